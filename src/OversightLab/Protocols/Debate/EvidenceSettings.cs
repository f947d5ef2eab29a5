namespace OversightLab.Protocols.Debate;

/// <summary>An evidence-debate definition's keys, typed.</summary>
public sealed record EvidenceSettings(int People, int Questions, IReadOnlyList<EvidenceJudge> Judges, IReadOnlyList<string> Advocates,
    IReadOnlyList<string> Protocols, IReadOnlyList<string> Verification, double Paraphrase, int Rounds, int QuotesPerTurn);
