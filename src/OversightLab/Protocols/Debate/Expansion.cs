namespace OversightLab.Protocols.Debate;

/// <summary>
/// The children of one position: the legal moves, each child's value (a heuristic estimate, or
/// the exact result where <see cref="Terminal"/> says the child ends the game).
/// </summary>
public sealed record Expansion(int[] Moves, float[] Values, bool[] Terminal);
