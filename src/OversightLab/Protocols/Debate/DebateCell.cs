using System.Globalization;
using OversightLab.Protocols.WeakToStrong;
using OversightLab.Experiments;

namespace OversightLab.Protocols.Debate;

/// <summary>
/// One unit of an MNIST debate sweep: the judge alone, or one (honest, liar) pairing under one
/// game setting, on the first <see cref="Images"/> test digits. Its <see cref="Id"/> hashes
/// everything that determines the result.
/// </summary>
public sealed record DebateCell(int Index, string Protocol, int Pixels, JudgeSpec Judge, JudgeTraining Train,
    DebaterSpec? Honest, DebaterSpec? Liar, bool Precommit, bool HonestFirst, int Images, double CPuct, int Seed) : ICell
{
    /// <summary>Bump when a change to the protocol code should invalidate finished cells.</summary>
    public const string ProtocolVersion = "debate-mnist-1";
    public const string JudgeAloneProtocol = "judge-alone", DebateProtocol = "debate";

    public string Id => W2sCell.Hash(string.Join('|', ProtocolVersion, "mnist-pixels", $"k={Pixels}", Judge.Canonical, Train.Canonical, Protocol,
        Honest?.Name ?? "-", Liar?.Name ?? "-", $"precommit={Precommit}", $"honest_first={HonestFirst}", $"images={Images}",
        $"c_puct={CPuct.ToString("R", CultureInfo.InvariantCulture)}", $"seed={Seed}"));

    public bool IsDebate => Protocol == DebateProtocol;

    public string FirstMover => IsDebate ? (HonestFirst ? "honest" : "liar") : "";

    /// <summary>The pairing as the report names it: one name for self-play, "honest vs liar" otherwise.</summary>
    public string Debater => !IsDebate ? "" : Honest == Liar ? Honest!.Name : $"{Honest!.Name} vs {Liar!.Name}";

    public string Label => IsDebate
        ? $"k={Pixels} {Judge.Name} · {Debater} · {(Precommit ? "precommit" : "no precommit")} · {FirstMover} first · {Images} digits · seed {Seed}"
        : $"k={Pixels} {Judge.Name} · judge alone · {Images} digits · seed {Seed}";
}
