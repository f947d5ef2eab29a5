using System.Runtime.InteropServices;
using OversightLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Protocols.Debate;

/// <summary>
/// Plays MNIST debates (<see cref="PixelGame"/>) in batches, with the judge evaluated on many
/// positions per call. Each image's nonzero pixels get their judge contribution computed once
/// (<see cref="SparseJudge.Contributions"/>); a position's state is then the sum of a few table
/// rows, and the children of a searched node are its state plus each candidate's row.
/// </summary>
public sealed class PixelDebate : ISearchGame, IDisposable
{
    /// <summary>Positions per judge call: large enough to amortise per-op overhead, small enough to stay in cache.</summary>
    public const int EvaluationBatch = 2048;
    /// <summary>Games searched together; bounds the trees and tables held at once.</summary>
    public const int GamesPerChunk = 512;

    readonly SparseJudge judge;
    readonly SparseDigits digits;
    readonly int pixels;
    readonly IReadOnlyList<PixelGame> games;
    readonly List<int>[] revealed;
    readonly Dictionary<int, int> tableOffset = [];
    readonly Tensor table;
    readonly int zeroRow;

    /// <summary>Positions the judge has scored so far.</summary>
    public long Evaluations { get; private set; }

    /// <summary>
    /// The opening position of <paramref name="games"/> (nothing revealed yet), searchable with
    /// <see cref="Mcts"/>. <see cref="Play"/> is the way to play whole debates; this is public so
    /// that benchmarks can time a single move.
    /// </summary>
    public PixelDebate(SparseJudge judge, SparseDigits digits, int pixels, IReadOnlyList<PixelGame> games, Device device)
    {
        this.judge = judge;
        this.digits = digits;
        this.pixels = pixels;
        this.games = games;
        revealed = games.Select(_ => new List<int>(pixels)).ToArray();
        var rowsPixels = new List<long>();
        var rowsValues = new List<float>();
        foreach (int image in games.Select(g => g.Image).Distinct())
        {
            if (digits.Nonzero[image].Length < pixels)
                throw new ArgumentException($"image {image} has {digits.Nonzero[image].Length} nonzero pixels, fewer than the {pixels} a debate reveals");
            tableOffset[image] = rowsPixels.Count;
            rowsPixels.AddRange(digits.Nonzero[image].Select(p => (long)p));
            rowsValues.AddRange(digits.Values[image]);
        }
        zeroRow = rowsPixels.Count;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var contributions = judge.Contributions(tensor(rowsPixels.ToArray(), device: device), tensor(rowsValues.ToArray(), device: device));
        table = cat([contributions, zeros(1, judge.StateSize, device: device)], 0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Plays every game to the end and returns, per game, whether the honest debater won. The
    /// judge must be in eval mode. Random debaters draw from a generator seeded by
    /// (<paramref name="seed"/>, game index), so results do not depend on batching.
    /// </summary>
    public static (bool[] HonestWins, long Evaluations) Play(SparseJudge judge, SparseDigits digits, int pixels, IReadOnlyList<PixelGame> games,
        DebaterSpec honest, DebaterSpec liar, long seed, Device device, double cPuct = 1.0, CancellationToken cancellation = default)
    {
        var wins = new bool[games.Count];
        long evaluations = 0;
        for (int start = 0; start < games.Count; start += GamesPerChunk)
        {
            int count = Math.Min(GamesPerChunk, games.Count - start);
            var chunk = games.Skip(start).Take(count).ToList();
            var random = Enumerable.Range(start, count).Select(i => new Random((int)(Seeds.Derive(seed, "debate-game", i) & int.MaxValue))).ToArray();
            using var debate = new PixelDebate(judge, digits, pixels, chunk, device);
            for (int ply = 0; ply < pixels; ply++)
            {
                foreach (bool honestMoves in new[] { true, false })
                {
                    var movers = Enumerable.Range(0, count).Where(i => chunk[i].HonestMoves(ply) == honestMoves).ToList();
                    if (movers.Count == 0) continue;
                    var debater = honestMoves ? honest : liar;
                    int[] moves = debater.Random
                        ? movers.Select(i => debate.RandomCandidate(i, random[i])).ToArray()
                        : new Mcts(debater.Rollouts, cPuct).ChooseMoves(debate, movers, cancellation);
                    for (int j = 0; j < movers.Count; j++) debate.revealed[movers[j]].Add(moves[j]);
                }
            }
            float[] margins = debate.FinalMargins();
            for (int i = 0; i < count; i++) wins[start + i] = margins[i] > 0;
            evaluations += debate.Evaluations;
        }
        return (wins, evaluations);
    }

    public bool FirstPlayerMoves(int game, int depth) => games[game].HonestMoves(revealed[game].Count + depth);

    public IReadOnlyList<Expansion> Expand(IReadOnlyList<SearchLeaf> leaves)
    {
        var moves = new int[leaves.Count][];
        var parentRows = new long[leaves.Count * (pixels - 1)];
        Array.Fill(parentRows, zeroRow);
        var shown = new int[leaves.Count][];
        int children = 0;
        for (int l = 0; l < leaves.Count; l++)
        {
            var (g, path) = leaves[l];
            shown[l] = [.. revealed[g], .. path];
            if (shown[l].Length >= pixels) throw new ArgumentException("a finished game has no children to expand");
            children += digits.Nonzero[games[g].Image].Length - shown[l].Length;   // shown pixels are distinct nonzero ones
        }
        // Every child's parent, table row and game, in arrays sized once: a rollout wave has tens of thousands.
        var childParent = new long[children];
        var childRows = new long[children];
        var childGames = new PixelGame[children];
        int at = 0;
        for (int l = 0; l < leaves.Count; l++)
        {
            int g = leaves[l].Game, image = games[g].Image, offset = tableOffset[image];
            for (int j = 0; j < shown[l].Length; j++) parentRows[l * (pixels - 1) + j] = Row(image, shown[l][j]);
            var nonzero = digits.Nonzero[image];
            var candidates = new int[nonzero.Length - shown[l].Length];
            int c = 0;
            // The candidates are the image's nonzero pixels not yet shown, in order; pixel k's table row is offset + k.
            for (int k = 0; k < nonzero.Length; k++)
            {
                if (Array.IndexOf(shown[l], nonzero[k]) >= 0) continue;
                if (c == candidates.Length) throw new ArgumentException("a shown pixel is not a nonzero pixel of its image");
                candidates[c++] = nonzero[k];
                childParent[at] = l;
                childRows[at] = offset + k;
                childGames[at++] = games[g];
            }
            moves[l] = candidates;
        }
        float[] margins;
        using (var scope = NewDisposeScope())
        {
            Tensor parents = pixels > 1
                ? table.index_select(0, tensor(parentRows, device: table.device)).view(leaves.Count, pixels - 1, -1).sum(1)
                : zeros(leaves.Count, judge.StateSize, device: table.device);
            margins = Margins(parents, childParent, childRows, childGames);
        }
        var result = new Expansion[leaves.Count];
        at = 0;
        for (int l = 0; l < leaves.Count; l++)
        {
            var (g, path) = leaves[l];
            bool final = revealed[g].Count + path.Length + 1 == pixels;
            var values = new float[moves[l].Length];
            for (int c = 0; c < values.Length; c++) values[c] = PixelGame.Value(margins[at++], final);
            result[l] = new Expansion(moves[l], values, Enumerable.Repeat(final, values.Length).ToArray());
        }
        return result;
    }

    /// <summary>The judge's margin for the truth on each game's revealed pixels.</summary>
    float[] FinalMargins()
    {
        using var scope = NewDisposeScope();
        var rows = revealed.SelectMany((shown, g) => shown.Select(p => (long)Row(games[g].Image, p))
            .Concat(Enumerable.Repeat((long)zeroRow, pixels - shown.Count))).ToArray();
        var states = table.index_select(0, tensor(rows, device: table.device)).view(games.Count, pixels, -1).sum(1);
        return Margins(states, Enumerable.Range(0, games.Count).Select(i => (long)i).ToArray(), Enumerable.Repeat((long)zeroRow, games.Count).ToArray(), games);
    }

    /// <summary>Margins of positions whose state is parents[parent[i]] + table[row[i]], in judge batches.</summary>
    float[] Margins(Tensor parents, long[] parent, long[] row, IReadOnlyList<PixelGame> owners)
    {
        using var _ = no_grad();
        var margins = new float[parent.Length];
        for (int start = 0; start < parent.Length; start += EvaluationBatch)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(EvaluationBatch, parent.Length - start);
            var device = table.device;
            var states = parents.index_select(0, tensor(parent[start..(start + n)], device: device))
                .add_(table.index_select(0, tensor(row[start..(start + n)], device: device)), Scalars.One);
            var logits = judge.Head(states).to(CPU).contiguous();
            // Read in place: copying 2,048 × 10 logits out element by element cost about a tenth of a search.
            ReadOnlySpan<float> values = logits.dtype == ScalarType.Float32 ? MemoryMarshal.Cast<byte, float>(logits.bytes) : logits.to(ScalarType.Float32).data<float>().ToArray();
            for (int i = 0; i < n; i++) margins[start + i] = owners[start + i].Margin(values.Slice(i * SparseJudge.Classes, SparseJudge.Classes));
        }
        Evaluations += parent.Length;
        return margins;
    }

    int RandomCandidate(int game, Random random)
    {
        var set = new HashSet<int>(revealed[game]);
        var candidates = digits.Nonzero[games[game].Image].Where(p => !set.Contains(p)).ToArray();
        return candidates[random.Next(candidates.Length)];
    }

    int Row(int image, int pixel)
    {
        int at = Array.BinarySearch(digits.Nonzero[image], pixel);
        if (at < 0) throw new ArgumentException($"pixel {pixel} is not a nonzero pixel of image {image}");
        return tableOffset[image] + at;
    }

    public void Dispose() => table.Dispose();
}
