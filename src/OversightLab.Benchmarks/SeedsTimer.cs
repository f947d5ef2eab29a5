using System.Diagnostics;
using System.Globalization;
using System.Text;
using OversightLab.Models;
using static TorchSharp.torch;

namespace OversightLab.Benchmarks;

/// <summary>
/// The <c>seeds</c> mode: the batched-seeds speedup measured in alternating rounds. Each round fits
/// the S models one by one once, then as one stack three times (<see cref="BatchedSeeds"/>' fits:
/// the same data, initialisation and 40 steps), and divides the two: the round's speedup. The VM
/// this project runs on changes speed by tens of percent for minutes at a time; BenchmarkDotNet
/// measures the two methods minutes apart, so its ratio mixes two speeds of the machine, where a
/// round's two fits run within a second of each other. A square sgemm is timed before and after,
/// for the stack's fraction of the sgemm rate.
/// </summary>
public static class SeedsTimer
{
    const string Usage = "usage: seeds [--threads T] [--models a,b,...] [--sizes 8,16,32] [--rounds R] [--out DIR]";

    /// <summary>Stacked fits per round: their median is the round's stacked time.</summary>
    const int StackedFits = 3;

    public static int Run(string[] args)
    {
        if (ModeOptions.Parse("seeds", Usage, args) is not { } options) return 2;
        string[] models;
        int[] sizes;
        int threads, rounds;
        try
        {
            models = options.Models(["mlp-xs", "mlp-s", "lin-pool7"]);
            sizes = options.TryGetValue("sizes", out var s) ? [.. s.Split(',').Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n
                : throw new FormatException($"--sizes takes whole numbers, not '{v}'"))] : [8, 16, 32];
            threads = options.Int("threads", 1);
            rounds = options.Int("rounds", 15);
        }
        catch (FormatException e)
        {
            return options.Refuse(e.Message);
        }
        if (threads < 1 || rounds < 1 || sizes.Any(size => size < 2))
            return options.Refuse("threads and rounds must be at least 1, sizes at least 2");

        set_num_threads(threads);
        double sgemmBefore = SgemmGflops();
        var roundRows = new StringBuilder("model,S,threads,round,one_by_one_ms,stacked_ms,speedup\n");
        var summaryRows = new StringBuilder("model,params,S,threads,rounds,one_by_one_ms,stacked_ms,speedup,speedup_min,speedup_max,bar,rounds_at_or_above_bar,stacked_gflops,sgemm_gflops,fraction_of_sgemm\n");
        var summaries = new List<(string Model, int S, double OneByOne, double Stacked, double Speedup, double Min, double Max, int AtBar, double Gflops)>();
        foreach (string name in models)
            foreach (int size in sizes)
            {
                var bench = new BatchedSeeds { Model = name, S = size };
                bench.Setup();
                int warmUps = WarmUp(bench);
                var oneByOne = new List<double>();
                var stacked = new List<double>();
                var speedups = new List<double>();
                for (int round = 1; round <= rounds; round++)
                {
                    double one = Milliseconds(bench.OneByOne);
                    double stack = Median([.. Enumerable.Range(0, StackedFits).Select(_ => Milliseconds(bench.Stacked))]);
                    oneByOne.Add(one);
                    stacked.Add(stack);
                    speedups.Add(one / stack);
                    roundRows.Append(Invariant($"{name},{size},{threads},{round},{one:0.000},{stack:0.000},{one / stack:0.00}\n"));
                }
                double bar = 0.6 * size, gflops = bench.StackedFlops / (Median(stacked) / 1e3) / 1e9;
                int atBar = speedups.Count(v => v >= bar);
                summaries.Add((name, size, Median(oneByOne), Median(stacked), Median(speedups), speedups.Min(), speedups.Max(), atBar, gflops));
                Console.WriteLine(Invariant($"seeds threads={threads} {name,-10} S={size,-3} ({warmUps} warm-up rounds) one by one {Median(oneByOne),8:0.0} ms  stacked {Median(stacked),7:0.00} ms  speedup {Median(speedups),5:0.0}x (min {speedups.Min():0.0}, max {speedups.Max():0.0}; ≥ {bar:0.0}x in {atBar} of {rounds})  stack {gflops:0.0} GFLOP/s"));
            }
        double sgemmAfter = SgemmGflops(), sgemm = Math.Max(sgemmBefore, sgemmAfter);
        Console.WriteLine(Invariant($"torchsharp threads={threads} sgemm 2048²: {sgemmBefore:0.0} GFLOP/s before, {sgemmAfter:0.0} after"));
        foreach (var (name, size, one, stack, speedup, min, max, atBar, gflops) in summaries)
            summaryRows.Append(Invariant($"{name},{ModelLadder.Find(name)!.Parameters(2)},{size},{threads},{rounds},{one:0.000},{stack:0.000},{speedup:0.00},{min:0.00},{max:0.00},{0.6 * size:0.0},{atBar},{gflops:0.00},{sgemm:0.0},{gflops / sgemm:0.000}\n"));
        if (options.TryGetValue("out", out var dir))
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, $"rounds-threads{threads}.csv"), roundRows.ToString());
            File.WriteAllText(Path.Combine(dir, $"seeds-threads{threads}.csv"), summaryRows.ToString());
        }
        return 0;
    }

    /// <summary>
    /// Rounds (one by one, then the stacked fits) until the JIT has compiled no new method for three
    /// of them, at most 30 (<see cref="StepTimer.WarmUntilQuiet"/>); returns how many ran. For the
    /// first seconds of a process, tiered compilation recompiles hot methods on a background thread
    /// that competes with the fits for the cores (two on our VM), and that mostly slows the one-by-one
    /// fits (their TorchSharp calls are many methods): one warm-up round left several measured rounds
    /// with one-by-one fits 1.5–3× as long as the rest, which inflated their speedups.
    /// </summary>
    static int WarmUp(BatchedSeeds bench) => StepTimer.WarmUntilQuiet(() =>
    {
        bench.OneByOne();
        for (int i = 0; i < StackedFits; i++) bench.Stacked();
    }, minBlockSeconds: 0, mostBlocks: 30);

    static double Milliseconds(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>The faster of three timings of five 2048² products, in GFLOP/s (the fastest, as the sgemm rate the bar compares with).</summary>
    static double SgemmGflops()
    {
        using var a = randn(2048, 2048);
        using var b = randn(2048, 2048);
        a.mm(b).Dispose();
        double best = double.MaxValue;
        for (int r = 0; r < 3; r++)
            best = Math.Min(best, Milliseconds(() => { for (int i = 0; i < 5; i++) a.mm(b).Dispose(); }) / 5);
        return 2.0 * 2048 * 2048 * 2048 / (best / 1e3) / 1e9;
    }

    static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
