using BenchmarkDotNet.Attributes;
using OversightLab.Models;
using static TorchSharp.torch;

namespace OversightLab.Benchmarks;

/// <summary>One optimizer step of each ladder model trained end to end: <see cref="LadderStep"/>, the step the side-by-side script times in PyTorch.</summary>
[MemoryDiagnoser(false)]
public class TrainingStep
{
    LadderStep step = null!;

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "mlp-m";

    public static IEnumerable<string> Models => ModelLadder.Names;

    [GlobalSetup]
    public void Setup()
    {
        manual_seed(0);
        step = new LadderStep(Model);
    }

    [Benchmark]
    public void Step() => step.Step();

    [GlobalCleanup]
    public void Cleanup() => step.Dispose();
}
