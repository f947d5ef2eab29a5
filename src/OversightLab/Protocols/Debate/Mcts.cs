namespace OversightLab.Protocols.Debate;

/// <summary>
/// Monte Carlo tree search with PUCT (Silver et al. 2017; c_puct = 1 in Irving et al. 2018),
/// run on many game copies in lock-step so that each rollout wave is one batched
/// <see cref="ISearchGame.Expand"/> call — one judge batch for hundreds of trees at once.
/// <para>
/// Expanding a node evaluates all its children at once; their heuristic values initialise the
/// edges' Q (an unvisited edge's Q is its heuristic; a visited one's the mean of its backed-up
/// values). A leaf's backed-up value is its best child for the player to move there: a one-ply
/// look-ahead of the heuristic, exact when the children end the game. Priors are uniform — the
/// debaters have no policy network — so selection is
/// a = argmax s·Q(a) + c_puct · (1/|A|) · √N / (1 + N(a)), with s = +1 for the first player and −1
/// for the second. The move played is the most visited child, ties broken by s·Q. With 0 rollouts
/// this is the greedy debater: the child with the best heuristic value.
/// </para>
/// </summary>
public sealed class Mcts(int rollouts, double cPuct = 1.0)
{
    public int Rollouts { get; } = rollouts >= 0 ? rollouts : throw new ArgumentOutOfRangeException(nameof(rollouts));
    public double CPuct { get; } = cPuct;

    sealed class Node
    {
        public required int[] Moves;
        public required float[] Heuristic;
        public required bool[] Terminal;
        public required bool FirstPlayer;
        public required int[] Visits;
        public required double[] Total;
        public required Node?[] Children;
        public int VisitsSum;

        public static Node From(Expansion e, bool firstPlayer) => new()
        {
            Moves = e.Moves, Heuristic = e.Values, Terminal = e.Terminal, FirstPlayer = firstPlayer,
            Visits = new int[e.Moves.Length], Total = new double[e.Moves.Length], Children = new Node?[e.Moves.Length],
        };

        public double Q(int a) => Visits[a] > 0 ? Total[a] / Visits[a] : Heuristic[a];

        /// <summary>The value of this node for backing up: its best child for the player to move.</summary>
        public double Value()
        {
            double best = FirstPlayer ? double.NegativeInfinity : double.PositiveInfinity;
            foreach (float v in Heuristic) best = FirstPlayer ? Math.Max(best, v) : Math.Min(best, v);
            return best;
        }
    }

    /// <summary>Searches the current position of each copy in <paramref name="games"/> and returns the move to play in each.</summary>
    public int[] ChooseMoves(ISearchGame game, IReadOnlyList<int> games, CancellationToken cancellation = default)
    {
        var roots = game.Expand(games.Select(g => new SearchLeaf(g, [])).ToList())
            .Select((e, i) => Node.From(e, game.FirstPlayerMoves(games[i], 0))).ToArray();
        // A root whose children all end the game is solved by its expansion: no rollouts needed.
        var searching = Enumerable.Range(0, roots.Length).Where(i => roots[i].Terminal.Any(t => !t)).ToList();
        var path = new List<(Node Node, int Edge)>();
        for (int r = 0; r < Rollouts && searching.Count > 0; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            var pending = new List<(int Root, List<(Node, int)> Path, SearchLeaf Leaf)>();
            foreach (int i in searching)
            {
                path.Clear();
                var node = roots[i];
                var moves = new List<int>();
                while (true)
                {
                    int a = Select(node);
                    path.Add((node, a));
                    moves.Add(node.Moves[a]);
                    if (node.Terminal[a]) { Backup(path, node.Heuristic[a]); break; }
                    if (node.Children[a] is { } child) { node = child; continue; }
                    pending.Add((i, [.. path], new SearchLeaf(games[i], [.. moves])));
                    break;
                }
            }
            if (pending.Count == 0) continue;
            var expansions = game.Expand(pending.Select(p => p.Leaf).ToList());
            for (int j = 0; j < pending.Count; j++)
            {
                var (root, edges, leaf) = pending[j];
                var (parent, edge) = edges[^1];
                var child = Node.From(expansions[j], game.FirstPlayerMoves(leaf.Game, leaf.Path.Length));
                parent.Children[edge] = child;
                Backup(edges, child.Value());
            }
        }
        return roots.Select(Best).ToArray();
    }

    int Select(Node node)
    {
        double sign = node.FirstPlayer ? 1 : -1;
        double explore = CPuct / node.Moves.Length * Math.Sqrt(node.VisitsSum);
        int best = 0;
        double bestScore = double.NegativeInfinity;
        for (int a = 0; a < node.Moves.Length; a++)
        {
            double score = sign * node.Q(a) + explore / (1 + node.Visits[a]);
            if (score > bestScore) { bestScore = score; best = a; }
        }
        return best;
    }

    static void Backup(List<(Node Node, int Edge)> path, double value)
    {
        foreach (var (node, a) in path)
        {
            node.Visits[a]++;
            node.Total[a] += value;
            node.VisitsSum++;
        }
    }

    static int Best(Node root)
    {
        double sign = root.FirstPlayer ? 1 : -1;
        int best = 0;
        for (int a = 1; a < root.Moves.Length; a++)
        {
            if (root.Visits[a] > root.Visits[best] || root.Visits[a] == root.Visits[best] && sign * root.Q(a) > sign * root.Q(best))
                best = a;
        }
        return root.Moves[best];
    }
}
