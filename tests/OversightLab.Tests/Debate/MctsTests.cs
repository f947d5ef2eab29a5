using OversightLab.Protocols.Debate;

namespace OversightLab.Tests.Debate;

/// <summary>PUCT search on tiny games whose best moves are known by hand.</summary>
public sealed class MctsTests
{
    /// <summary>
    /// A two-ply trap. The first player picks A, B or C (moves 0, 1, 2); the heuristic after that
    /// move rates A best (0.9), but the second player has a winning reply to A (and to C), while both
    /// replies to B lose for it. Greedy play picks A and loses; search must pick B.
    /// </summary>
    sealed class Trap(int copies, bool firstPlayerAtRoot = true) : ISearchGame
    {
        // Child values from the first player's view; sign-flipped when the second player is at the root.
        static readonly Dictionary<string, (int[] Moves, float[] Values, bool Terminal)> Tree = new()
        {
            [""] = ([0, 1, 2], [0.9f, 0.2f, 0.1f], false),
            ["0"] = ([0, 1], [1f, -1f], true),
            ["1"] = ([0, 1], [1f, 1f], true),
            ["2"] = ([0, 1], [-1f, 1f], true),
        };

        public int Expansions { get; private set; }
        public int Calls { get; private set; }

        public bool FirstPlayerMoves(int game, int depth) => depth % 2 == 0 == firstPlayerAtRoot;

        public IReadOnlyList<Expansion> Expand(IReadOnlyList<SearchLeaf> leaves)
        {
            Calls++;
            Expansions += leaves.Count;
            return leaves.Select(l =>
            {
                if (l.Game < 0 || l.Game >= copies) throw new ArgumentOutOfRangeException(nameof(leaves));
                var (moves, values, terminal) = Tree[string.Concat(l.Path)];
                float sign = firstPlayerAtRoot ? 1 : -1;
                return new Expansion(moves, values.Select(v => sign * v).ToArray(), Enumerable.Repeat(terminal, moves.Length).ToArray());
            }).ToList();
        }
    }

    [Test]
    public void GreedyFallsIntoTheTrap()
    {
        var moves = new Mcts(0).ChooseMoves(new Trap(1), [0]);
        Assert.That(moves, Is.EqualTo(new[] { 0 }), "with no rollouts the search trusts the heuristic and picks A");
    }

    [TestCase(true)]
    [TestCase(false)]
    public void SearchFindsTheOnlyWinningMoveForEitherPlayer(bool firstPlayerAtRoot)
    {
        var moves = new Mcts(8).ChooseMoves(new Trap(1, firstPlayerAtRoot), [0]);
        Assert.That(moves, Is.EqualTo(new[] { 1 }), "B is the only move whose every reply wins");
    }

    [Test]
    public void ManyCopiesAreSearchedInOneBatchPerRollout()
    {
        var game = new Trap(64);
        var moves = new Mcts(8).ChooseMoves(game, Enumerable.Range(0, 64).ToList());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(moves, Is.All.EqualTo(1));
            // One call for the roots, then one per rollout wave at most: never one call per copy.
            Assert.That(game.Calls, Is.LessThanOrEqualTo(1 + 8));
            Assert.That(game.Expansions, Is.EqualTo(64 * 3), "each copy expands its root, A and B once; B is then solved and C never needs a look; terminal leaves cost nothing");
        }
    }
}
