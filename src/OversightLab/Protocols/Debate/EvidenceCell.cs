using System.Globalization;
using OversightLab.Experiments;
using OversightLab.Protocols.WeakToStrong;

namespace OversightLab.Protocols.Debate;

/// <summary>One (judge, protocol, advocate, verification, seed) over the questions.</summary>
public sealed record EvidenceCell(int Index, int People, int Questions, EvidenceJudge Judge, string Protocol, string Advocate, string Verification,
    double Paraphrase, int Rounds, int QuotesPerTurn, int Seed) : ICell
{
    public const string ProtocolVersion = "evidence-1";

    public string Id => W2sCell.Hash(string.Join('|', ProtocolVersion, $"people={People}", $"questions={Questions}", Judge.Canonical, Protocol, Advocate, Verification,
        $"paraphrase={Paraphrase.ToString("R", CultureInfo.InvariantCulture)}", $"rounds={Rounds}", $"quotes={QuotesPerTurn}", $"seed={Seed}"));

    public string Label => Protocol == EvidenceGame.Naive
        ? $"{Judge.Name} judge · naive · seed {Seed}"
        : $"{Judge.Name} judge · {Protocol} · {Advocate} · {Verification} quotes · seed {Seed}";

    public string Task => $"kinship-{People}, {Verification} quotes";
}
