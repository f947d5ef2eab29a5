using OversightLab.Experiments;
using OversightLab.Protocols.WeakToStrong;

namespace OversightLab.Protocols.Debate;

/// <summary>One (fits, game, gap) evaluation.</summary>
public sealed record NsoCell(int Index, string Fits, string Game, double StartElo, double Gap, int MaxSteps, int Seed) : ICell
{
    public string Id => W2sCell.Hash(FormattableString.Invariant($"nso-1|{Fits}|{Game}|start={StartElo:R}|gap={Gap:R}|max={MaxSteps}"));
    public string Label => FormattableString.Invariant($"{Game} ({Fits} fits) · Δ = {Gap}");
}
