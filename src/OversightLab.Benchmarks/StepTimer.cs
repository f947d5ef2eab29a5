using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using OversightLab.Models;
using static TorchSharp.torch;

namespace OversightLab.Benchmarks;

/// <summary>
/// The <c>steps</c> mode: times <see cref="LadderStep"/> for each ladder model, and a square sgemm,
/// with the same protocol as <c>perf/pytorch_steps.py</c>: <c>warmup</c> untimed steps, then the
/// median over <c>repeats</c> of (time of <c>steps</c> consecutive steps) / <c>steps</c>. Unlike
/// Python, .NET keeps compiling after the warm-up (<see cref="WarmUntilQuiet"/>), so more untimed
/// steps follow until it stops. Writes the same JSON layout as the Python script, for <c>perf/side_by_side.sh</c>.
/// </summary>
public static class StepTimer
{
    const string Usage = "usage: steps [--threads T] [--json FILE] [--warmup N] [--repeats R] [--steps M] [--models a,b,...] [--sgemm-size N] [--sgemm-steps K] [--batch B]";

    public static int Run(string[] args)
    {
        if (ModeOptions.Parse("steps", Usage, args) is not { } options) return 2;
        int threads, warmup, repeats, steps, sgemmSize, sgemmSteps, batch;
        string[] models;
        try
        {
            models = options.Models(ModelLadder.Names);
            (threads, warmup, repeats, steps) = (options.Int("threads", 1), Math.Max(1, options.Int("warmup", 50)), options.Int("repeats", 7), options.Int("steps", 200));
            (sgemmSize, sgemmSteps, batch) = (options.Int("sgemm-size", 2048), options.Int("sgemm-steps", 5), options.Int("batch", LadderStep.DefaultBatch));
        }
        catch (FormatException e)
        {
            return options.Refuse(e.Message);
        }

        set_num_threads(threads);
        manual_seed(0);
        double sgemmSeconds = TimeSgemm(sgemmSize, warmup: 2, repeats, sgemmSteps);
        double sgemmGflops = 2.0 * sgemmSize * sgemmSize * sgemmSize / sgemmSeconds / 1e9;
        Console.WriteLine($"torchsharp threads={get_num_threads()} sgemm {sgemmSize}²: {sgemmGflops:0.0} GFLOP/s");

        var rows = new JsonArray();
        bool? setsNone = null;
        foreach (string name in models)
        {
            using var step = new LadderStep(name, batch);
            for (int i = 0; i < warmup; i++) step.Step();
            int quietSteps = WarmUntilQuiet(step.Step);
            setsNone ??= step.ZeroGradSetsNone();
            double seconds = Median(repeats, () => Time(step.Step, steps));
            double gflops = step.Flops / seconds / 1e9;
            Console.WriteLine($"torchsharp threads={threads} {name,-10} {seconds * 1e6,9:0.0} µs/step  {gflops,7:0.00} GFLOP/s  {gflops / sgemmGflops,6:P1} of sgemm");
            rows.Add(new JsonObject
            {
                ["model"] = name,
                ["params"] = step.Parameters,
                ["flops_per_step"] = step.Flops,
                ["step_us"] = seconds * 1e6,
                ["gflops"] = gflops,
                ["warmup_until_quiet"] = quietSteps,
            });
        }

        var result = new JsonObject
        {
            ["framework"] = "torchsharp",
            ["framework_version"] = typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["threads"] = get_num_threads(),
            ["protocol"] = new JsonObject { ["warmup"] = warmup, ["repeats"] = repeats, ["steps"] = steps, ["batch"] = batch },
            ["zero_grad_set_to_none"] = setsNone,
            ["sgemm"] = new JsonObject { ["size"] = sgemmSize, ["steps"] = sgemmSteps, ["seconds"] = sgemmSeconds, ["gflops"] = sgemmGflops },
            ["models"] = rows,
        };
        if (options.TryGetValue("json", out var path))
            File.WriteAllText(path, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return 0;
    }

    /// <summary>
    /// Runs <paramref name="step"/> in blocks of at least <paramref name="minBlockSeconds"/> (one call
    /// at least) until the JIT has compiled no new method for three blocks running, at most
    /// <paramref name="mostBlocks"/>; returns the calls it made. Tiered compilation recompiles hot
    /// methods on a background thread for the first seconds of a process, and with 2 libtorch
    /// threads on this 2-core VM that thread takes a core from libtorch's: after 50 warm-up steps,
    /// mlp-l's 2-thread step at batch 512 (the first model timed) took 3.6–5.9 ms in five processes,
    /// and 3.3–3.8 ms with tiered compilation off (2026-11-29).
    /// </summary>
    internal static int WarmUntilQuiet(Action step, double minBlockSeconds = 0.2, int mostBlocks = 20)
    {
        int calls = 0;
        for (int blocks = 0, quiet = 0; blocks < mostBlocks && quiet < 3; blocks++)
        {
            long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            long start = Stopwatch.GetTimestamp();
            do
            {
                step();
                calls++;
            } while (Stopwatch.GetElapsedTime(start).TotalSeconds < minBlockSeconds);
            quiet = System.Runtime.JitInfo.GetCompiledMethodCount() == compiled ? quiet + 1 : 0;
        }
        return calls;
    }

    /// <summary>Seconds per product of two random n×n float matrices.</summary>
    static double TimeSgemm(int n, int warmup, int repeats, int steps)
    {
        using var a = randn(n, n);
        using var b = randn(n, n);
        void Multiply()
        {
            using var c = a.mm(b);
        }
        for (int i = 0; i < warmup; i++) Multiply();
        return Median(repeats, () => Time(Multiply, steps));
    }

    /// <summary>Seconds per call, over <paramref name="steps"/> consecutive calls.</summary>
    internal static double Time(Action action, int steps)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < steps; i++) action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds / steps;
    }

    internal static double Median(int repeats, Func<double> sample)
    {
        var samples = Enumerable.Range(0, repeats).Select(_ => sample()).Order().ToArray();
        return repeats % 2 == 1 ? samples[repeats / 2] : (samples[repeats / 2 - 1] + samples[repeats / 2]) / 2;
    }
}
