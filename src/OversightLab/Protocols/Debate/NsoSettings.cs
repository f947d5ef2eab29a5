namespace OversightLab.Protocols.Debate;

/// <summary>A nested-scalable-oversight definition's keys, typed.</summary>
public sealed record NsoSettings(string Fits, IReadOnlyList<string> Games, double StartElo, IReadOnlyList<double> Gaps, int MaxSteps);
