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
/// median over <c>repeats</c> of (time of <c>steps</c> consecutive steps) / <c>steps</c>.
/// Writes the same JSON layout as the Python script, for <c>perf/side_by_side.sh</c>.
/// </summary>
public static class StepTimer
{
    const string Usage = "usage: steps [--threads T] [--json FILE] [--warmup N] [--repeats R] [--steps M] [--models a,b,...] [--sgemm-size N] [--sgemm-steps K] [--batch B]";

    public static int Run(string[] args)
    {
        var options = new Dictionary<string, string>();
        for (int i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"steps: unexpected '{args[i]}'\n{Usage}");
                return 2;
            }
            options[args[i][2..]] = args[i + 1];
        }
        int Int(string key, int fallback) => options.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        int threads = Int("threads", 1), warmup = Math.Max(1, Int("warmup", 50)), repeats = Int("repeats", 7), steps = Int("steps", 200);
        int sgemmSize = Int("sgemm-size", 2048), sgemmSteps = Int("sgemm-steps", 5), batch = Int("batch", LadderStep.DefaultBatch);
        var models = options.TryGetValue("models", out var list) ? list.Split(',') : ModelLadder.Names.ToArray();

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
    static double Time(Action action, int steps)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < steps; i++) action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds / steps;
    }

    static double Median(int repeats, Func<double> sample)
    {
        var samples = Enumerable.Range(0, repeats).Select(_ => sample()).Order().ToArray();
        return repeats % 2 == 1 ? samples[repeats / 2] : (samples[repeats / 2 - 1] + samples[repeats / 2]) / 2;
    }
}
