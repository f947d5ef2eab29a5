using BenchmarkDotNet.Attributes;
using OversightLab.Protocols.Debate;
using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Benchmarks;

/// <summary>
/// Judge evaluations per second: one judge call on <see cref="Batch"/> positions given as states
/// (parent state + one pixel's contribution, as search scores a node's children). BenchmarkDotNet
/// reports the time per position (OperationsPerInvoke), so 1 s / that time = evaluations per second.
/// </summary>
[MemoryDiagnoser(false)]
public class DebateJudge
{
    public const int Batch = PixelDebate.EvaluationBatch;

    static readonly Scalar One = 1.ToScalar();
    SparseJudge judge = null!;
    Tensor parents = null!, contributions = null!;

    [Params("pixel-mlp", "pixel-mlp-s", "paper-cnn")]
    public string Judge { get; set; } = "pixel-mlp";

    [GlobalSetup]
    public void Setup()
    {
        manual_seed(0);
        judge = JudgeSpec.Find(Judge)!.Create();
        judge.eval();
        using var _ = no_grad();
        // Positions with 5 revealed pixels (the parents) and one more each (the children).
        var pixels = randint(0, SparseDigits.Pixels, [Batch, 5]);
        parents = judge.State(pixels, rand(Batch, 5)).DetachFromDisposeScope();
        contributions = judge.Contributions(randint(0, SparseDigits.Pixels, [Batch]), rand(Batch)).DetachFromDisposeScope();
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void ScoreChildren()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        judge.Head(parents.add(contributions, One)).to(CPU).data<float>().ToArray();
    }
}
