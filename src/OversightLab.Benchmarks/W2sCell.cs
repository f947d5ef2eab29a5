using BenchmarkDotNet.Attributes;
using OversightLab.Experiments;
using OversightLab.Models;
using OversightLab.Protocols.WeakToStrong;
using static TorchSharp.torch;
using Cell = OversightLab.Protocols.WeakToStrong.W2sCell;

namespace OversightLab.Benchmarks;

/// <summary>
/// One whole weak-to-strong cell of the quickstart (MNIST "digit ≥ 5", naive loss, 10 epochs,
/// batch 32): train the weak supervisor on ground truth, label the student's half, train the strong
/// ceiling and the strong student, evaluate all three and compute PGR with its bootstrap interval.
/// <para>
/// Pretraining the encoders is not part of a cell (a sweep does it once and caches it), so it
/// happens in <see cref="Setup"/>. Every iteration starts from a fresh <see cref="RunContext"/>
/// and a model cache holding only those encoders, with the task and the frozen features already
/// in memory — exactly what a cell finds in the middle of a sweep whose weak supervisor and
/// ceiling it does not share with an earlier cell.
/// </para>
/// </summary>
[MemoryDiagnoser(false)]
public class W2sCell
{
    readonly WeakToStrongProtocol protocol = new();
    string encoders = null!, cache = null!;
    Cell cell = null!;
    RunContext context = null!;

    /// <summary>weak supervisor → strong student: probes on pretrained features, and a from-scratch supervisor trained end to end.</summary>
    [Params("mlp-xs>mlp-m", "lin-pool7>mlp-xl")]
    public string Pair { get; set; } = "mlp-xs>mlp-m";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Pair.Split('>');
        string yaml = $$"""
            name: w2s-cell-benchmark
            protocol: weak-to-strong
            task: { family: mnist, target: digit-at-least-5 }
            roles: { weak_supervisor: {{parts[0]}}, strong_student: {{parts[1]}} }
            method: xent
            train: { epochs: 10, batch: 32, lr: 5e-3 }
            seeds: [0]
            """;
        var definition = DefinitionParser.Parse(yaml, "w2s-cell-benchmark.yaml");
        cell = protocol.Cells(definition).Single();
        encoders = Scratch("encoders");
        using var prepare = new RunContext(CPU, new ModelCache(encoders));
        Warm(prepare);
    }

    [IterationSetup]
    public void FreshContext()
    {
        cache = Scratch("cache");
        foreach (string file in Directory.GetFiles(encoders)) File.Copy(file, Path.Combine(cache, Path.GetFileName(file)));
        context = new RunContext(CPU, new ModelCache(cache));
        Warm(context);
    }

    [Benchmark]
    public W2sRow Run() => protocol.Run(cell, context);

    [IterationCleanup]
    public void DropContext()
    {
        // The cell must have trained its weak supervisor and ceiling, not found them in the cache.
        int misses = context.Cache.Misses;
        context.Dispose();
        Directory.Delete(cache, recursive: true);
        if (misses != 2) throw new InvalidOperationException($"expected the cell to train 2 models (weak supervisor, ceiling), but the cache missed {misses}");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(encoders, recursive: true);

    /// <summary>Loads (or, the first time, pretrains and caches) what every cell of a sweep shares: the task and the models' inputs.</summary>
    void Warm(RunContext run)
    {
        var task = run.Task(cell.Task);
        foreach (ModelSpec spec in new[] { cell.Weak, cell.Strong })
        {
            if (spec.Pretrained) run.ExampleFeatures(spec, task);
            else run.ExampleInputs(task);
        }
    }

    static string Scratch(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), "oversightlab-benchmarks", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
