namespace OversightLab.Protocols.Debate;

/// <summary>The position reached in copy <paramref name="Game"/> by playing <paramref name="Path"/> from its current position.</summary>
public readonly record struct SearchLeaf(int Game, int[] Path);
