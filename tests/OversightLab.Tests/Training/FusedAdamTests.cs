using OversightLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OversightLab.Tests.Training;

/// <summary>
/// <see cref="FusedAdam"/> must give TorchSharp's Adam's numbers bit for bit, so that switching to it
/// changed no committed result: every parameter and both moments compared exactly after every
/// step, under the cosine schedule the trainer uses, for odd sizes (vector tails), several
/// parameters, gradients spanning six orders of magnitude, and 1 or 2 threads. A fixed fifth of
/// each parameter never gets a gradient (a dead unit: its second moment stays zero) and a tenth
/// gets one so small that its second moment is subnormal — the inputs MKL's square root treats
/// apart (<see cref="OversightLab.Models.MklSqrt"/>).
/// </summary>
public sealed class FusedAdamTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(new long[][] { [7] }, 1, true, null).SetName("one tiny parameter (tail only)");
        yield return new TestCaseData(new long[][] { [32, 196], [32], [2, 32], [2] }, 1, true, null).SetName("an mlp-s-like model");
        yield return new TestCaseData(new long[][] { [100_003] }, 1, true, null).SetName("one odd-sized flat stack, 1 thread");
        yield return new TestCaseData(new long[][] { [100_003], [33] }, 2, true, null).SetName("one odd-sized flat stack, 2 threads");
        // Split over two threads, every parameter's second share ends in a tail; the 5-element ones fall to the second thread whole.
        yield return new TestCaseData(new long[][] { [129, 301], [129], [5, 129], [5] }, 2, true, null).SetName("an mlp-m-like model, 2 threads");
        // Eight lanes at a time where sixteen would run: the path of a processor without 512-bit vectors.
        yield return new TestCaseData(new long[][] { [32, 196], [32], [2, 32], [2] }, 1, false, null).SetName("an mlp-s-like model, 8 lanes");
        yield return new TestCaseData(new long[][] { [100_003], [33] }, 2, false, null).SetName("one odd-sized flat stack, 2 threads, 8 lanes");
        // A stack's one parameter in blocks (MlpStack.ParameterBlocks of 12 models, 49 → 64 → 2, plus a ragged
        // block), each split over the threads on its own; the first parameter has the blocks, the second none.
        yield return new TestCaseData(new long[][] { [12 * 49 * 64 + 12 * 64 + 12 * 64 * 2 + 12 * 2 + 1001], [33] }, 2, true,
            new long[] { 12 * 49 * 64, 12 * 64, 12 * 64 * 2, 12 * 2, 0, 1001 }).SetName("a stack's parameter in blocks, 2 threads");
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorchSharpAdamBitForBit(long[][] shapes, int threads, bool wide, long[]? blocks)
    {
        Assert.That(FusedAdam.Available, "libtorch's CPU library exports MKL's square root, so the fused step runs (not TorchSharp's)");
        using var _ = new LibtorchThreads(threads);
        FusedAdam.Wide = wide;
        try
        {
            manual_seed(7);
            var initial = shapes.Select(s => randn(s) * 0.1).ToList();
            var reference = initial.Select(t => new Parameter(t.clone())).ToList();
            var fused = initial.Select(t => new Parameter(t.clone())).ToList();
            const int steps = 40;
            using var adam = optim.Adam(reference, lr: 3e-3, weight_decay: 0);
            using var ours = new FusedAdam(fused, lr: 3e-3);
            if (blocks is not null) ours.SplitInBlocks(fused[0], blocks);
            var schedules = new[] { optim.lr_scheduler.CosineAnnealingLR(adam, T_max: steps), optim.lr_scheduler.CosineAnnealingLR(ours, T_max: steps) };
            var scales = shapes.Select(DeadAndTiny).ToList();
            for (int step = 0; step < steps; step++)
            {
                using var scope = NewDisposeScope();
                adam.zero_grad();
                ours.zero_grad();
                foreach (var (r, f, scale) in reference.Zip(fused, scales))
                {
                    var g = randn(r.shape) * (rand(r.shape) * 14 - 7).exp() * scale;   // |g| from ~1e-3 to ~1e3, 0, or ~1e-21
                    (r * g).sum().backward();
                    (f * g).sum().backward();
                }
                adam.step();
                ours.step();
                foreach (var s in schedules) s.step();
                for (int i = 0; i < fused.Count; i++)
                    Assert.That(fused[i].data<float>().ToArray(), Is.EqualTo(reference[i].data<float>().ToArray()), $"parameter {i} after step {step + 1}");
            }
            Assert.That(reference[0].data<float>().ToArray(), Is.Not.EqualTo(initial[0].data<float>().ToArray()), "training moved the parameters");
        }
        finally
        {
            FusedAdam.Wide = true;
        }
    }

    /// <summary>Per element, the gradient's fixed scale: 0 for a fifth (dead), 1e-21 for a tenth (subnormal second moment), 1 for the rest.</summary>
    static Tensor DeadAndTiny(long[] shape)
    {
        var u = rand(shape);
        return where(u < 0.2, zeros(shape), where(u < 0.3, full(shape, 1e-21f), ones(shape)));
    }

    /// <summary>zero_grad sets gradients to none (the cheaper step), and the next backward and step work from there.</summary>
    [Test]
    public void ZeroGradLeavesNoGradient()
    {
        using var p = new Parameter(ones(3));
        using var adam = new FusedAdam([p], lr: 0.1);
        (p * 2).sum().backward();
        using (var g = p.grad) Assert.That(g!.data<float>().ToArray(), Is.EqualTo(new float[] { 2, 2, 2 }));
        adam.zero_grad();
        Assert.That(p.grad, Is.Null, "set to none, not zero-filled");
        (p * 3).sum().backward();
        using (var g = p.grad) Assert.That(g!.data<float>().ToArray(), Is.EqualTo(new float[] { 3, 3, 3 }), "not accumulated onto the old gradient");
        adam.step();
        Assert.That(p.data<float>().ToArray(), Is.All.EqualTo(0.9f).Within(1e-6), "Adam's first step moves each weight by lr");
    }

    [Test]
    public void BlocksMustCoverTheParameter()
    {
        using var p = new Parameter(ones(10));
        using var adam = new FusedAdam([p], lr: 0.1);
        Assert.Throws<ArgumentException>(() => adam.SplitInBlocks(p, [4, 5]), "one element short");
        Assert.Throws<ArgumentException>(() => adam.SplitInBlocks(p, [12, -2]), "a negative block");
        Assert.DoesNotThrow(() => adam.SplitInBlocks(p, [4, 6]));
        using var other = new Parameter(ones(10));
        Assert.Throws<ArgumentException>(() => adam.SplitInBlocks(other, [4, 6]), "not this optimizer's parameter");
    }

    [Test]
    public void AnUnsupportedParameterTakesTorchSharpsOwnStep()
    {
        manual_seed(8);
        var initial = randn(5, 3, dtype: ScalarType.Float64);
        var reference = new Parameter(initial.clone());
        var fused = new Parameter(initial.clone());
        using var adam = optim.Adam([reference], lr: 1e-2, weight_decay: 0);
        using var ours = new FusedAdam([fused], lr: 1e-2);
        for (int step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            var g = randn(5, 3, dtype: ScalarType.Float64);
            adam.zero_grad();
            ours.zero_grad();
            (reference * g).sum().backward();
            (fused * g).sum().backward();
            adam.step();
            ours.step();
        }
        Assert.That(fused.data<double>().ToArray(), Is.EqualTo(reference.data<double>().ToArray()));
        Assert.That(fused.data<double>().ToArray(), Is.Not.EqualTo(initial.data<double>().ToArray()));
    }
}
