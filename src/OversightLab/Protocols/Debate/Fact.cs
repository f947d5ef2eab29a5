namespace OversightLab.Protocols.Debate;

/// <summary>A fact of an evidence story: "the parent of A is B" or "A lives in C".</summary>
public readonly record struct Fact(bool Parent, string Subject, string Object)
{
    /// <summary>The document's own wording, the one exact-match quoting accepts.</summary>
    public string Sentence => Parent ? $"The parent of {Subject} is {Object}." : $"{Subject} lives in {Object}.";

    /// <summary>A faithful paraphrase, which exact-match quoting rejects and normalized matching accepts.</summary>
    public string Paraphrase => Parent ? $"{Object} is {Subject}'s parent" : $"{Subject}'s home is {Object}";
}
