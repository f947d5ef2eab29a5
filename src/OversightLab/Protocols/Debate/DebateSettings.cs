namespace OversightLab.Protocols.Debate;

/// <summary>An MNIST debate definition's own keys, typed.</summary>
public sealed record DebateSettings(
    IReadOnlyList<int> Pixels,
    int Images,
    int SearchImages,
    IReadOnlyList<JudgeSpec> Judges,
    IReadOnlyList<DebaterSpec> Debaters,
    string Pairing,
    IReadOnlyList<bool> Precommit,
    IReadOnlyList<bool> HonestFirst,
    bool JudgeAlone,
    double CPuct,
    JudgeTraining Train)
{
    public const string SelfPlay = "self-play", Tournament = "tournament";
    public static IReadOnlyList<string> Pairings { get; } = [SelfPlay, Tournament];

    /// <summary>(honest, liar) pairs: each debater against itself, or every ordered pair.</summary>
    public IEnumerable<(DebaterSpec Honest, DebaterSpec Liar)> Pairs() => Pairing == SelfPlay
        ? Debaters.Select(d => (d, d))
        : Debaters.SelectMany(h => Debaters.Select(l => (h, l)));
}
