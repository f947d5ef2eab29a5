namespace OversightLab.Protocols.Debate;

/// <summary>
/// A two-player, zero-sum, perfect-information game played in many copies at once, as
/// <see cref="Mcts"/> searches it. Values are always from the first player's (the honest
/// debater's) point of view, in [−1, 1]. Positions are named by the moves played from a copy's
/// current position.
/// </summary>
public interface ISearchGame
{
    /// <summary>Whether the first player moves in copy <paramref name="game"/> after <paramref name="depth"/> more moves.</summary>
    bool FirstPlayerMoves(int game, int depth);

    /// <summary>
    /// The children of many positions at once — this is where the batching happens: one call,
    /// one judge batch. Every position passed is non-terminal and has at least one move.
    /// </summary>
    IReadOnlyList<Expansion> Expand(IReadOnlyList<SearchLeaf> leaves);
}

/// <summary>The position reached in copy <paramref name="Game"/> by playing <paramref name="Path"/> from its current position.</summary>
public readonly record struct SearchLeaf(int Game, int[] Path);

/// <summary>
/// The children of one position: the legal moves, each child's value (a heuristic estimate, or
/// the exact result where <see cref="Terminal"/> says the child ends the game).
/// </summary>
public sealed record Expansion(int[] Moves, float[] Values, bool[] Terminal);
