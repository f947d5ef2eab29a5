using System.Runtime.Intrinsics;
using OversightLab.Models;
using OversightLab.Training;
using static TorchSharp.torch;

namespace OversightLab.Tests.Training;

/// <summary>
/// The fused soft cross-entropy must give libtorch's bits, loss and gradient, or every committed
/// result would move: SLEEF's exp and log reproduced, against the values libtorch's own log_softmax
/// exposes, then the loss and its gradient against libtorch's ops and autograd for batch shapes
/// on both sides of every threshold in libtorch's sums, one model and stacked, and class counts
/// from 1 to 17 (StackTrainingTests checks whole trainings with and without autograd).
/// </summary>
public sealed class FusedSoftCrossEntropyTests
{
    [Test]
    public void ExpAndLogAreLibtorchsOnAMillionInputs()
    {
        Assume.That(SleefFloat.Supported, "the reproduction needs AVX2 and FMA");
        const int n = 1 << 20;
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        // Rows [0, d]: log_softmax's backward with upstream [1, 0] is −exp(out₁)·1 exactly, and its
        // output for the row's maximum is 0 − log(1 + exp(d)): libtorch's exp and log, laid bare.
        var d = rand(n, generator: generator) * -110;
        var z = stack([zeros(n), d], 1).requires_grad_(true);
        var output = z.log_softmax(-1);
        output.backward([stack([ones(n), zeros(n)], 1)]);
        float[] outs = output.detach().select(1, 1).contiguous().data<float>().ToArray(), exps = z.grad!.select(1, 1).contiguous().data<float>().ToArray();
        float[] logs = output.detach().select(1, 0).contiguous().data<float>().ToArray(), ds = d.data<float>().ToArray();
        bool avx512 = FusedSoftCrossEntropy.Width(2)?.Fold == 16;
        int expWrong = 0, logWrong = 0;
        for (int i = 0; i < n; i += 8)
        {
            var e = SleefFloat.Exp(Vector256.Create(outs, i));
            var log = SleefFloat.Log(Vector256.Create(1f) + SleefFloat.Exp(Vector256.Create(ds, i)), avx512);
            for (int l = 0; l < 8; l++)
            {
                if (Bits(0f - e[l]) != Bits(exps[i + l])) expWrong++;
                if (Bits(0f - log[l]) != Bits(logs[i + l])) logWrong++;
            }
        }
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expWrong, Is.Zero, "exp differs from libtorch's");
            Assert.That(logWrong, Is.Zero, "log differs from libtorch's");
            Assert.That(outs.Min(), Is.LessThan(-104f), "the inputs reach exp's underflow");
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(10)]
    [TestCase(16)]
    [TestCase(17)]
    public void TheFusedLossAndGradientAreLibtorchsBits(int classes)
    {
        Assume.That(SleefFloat.Supported, "the reproduction needs AVX2 and FMA");
        Assert.That(FusedSoftCrossEntropy.Width(classes), Is.Not.Null, "the fused path reproduces libtorch here");
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)classes);
        foreach (long[] shape in new[] { new long[] { 1, classes }, [7, classes], [32, classes], [600, classes], [5, 32, classes], [3, 21, classes], [2, 100, classes] })
        {
            var logits = randn(shape, generator: generator) * exp(randn(shape[..^1], generator: generator) * 1.5).unsqueeze(-1);
            var targets = (randn(shape, generator: generator) * 2).softmax(-1);
            Assert.That(FusedSoftCrossEntropy.Applies(logits, targets), Is.True);
            var z = logits.detach().requires_grad_(true);
            var composed = FusedSoftCrossEntropy.Composed(z, targets);
            composed.sum().backward();
            var (fused, gradient) = FusedSoftCrossEntropy.LossAndGradient(logits, targets)!.Value;
            string at = string.Join('×', shape);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(Bits(fused), Is.EqualTo(Bits(composed.detach())), $"{at}: loss");
                Assert.That(Bits(gradient), Is.EqualTo(Bits(z.grad!)), $"{at}: gradient");
            }
        }
    }

    [Test]
    public void WhereItMightNotReproduceLibtorchItStepsAside()
    {
        using var scope = NewDisposeScope();
        var logits = randn(4, 8, 3, dtype: ScalarType.Float64);
        var targets = rand(4, 8, 3, dtype: ScalarType.Float64).softmax(-1);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(FusedSoftCrossEntropy.Applies(logits, targets), Is.False, "float64 is not fused");
            Assert.That(FusedSoftCrossEntropy.LossAndGradient(logits, targets), Is.Null);
            Assert.That(FusedSoftCrossEntropy.Applies(randn(4, 40000, 2), rand(4, 40000, 2)), Is.False, "nor a batch libtorch may sum on two threads");
        }
    }

    // A minibatch in the middle, one that ends the epoch, and a last one shorter than the gather's
    // look-ahead (which then must not read past the next model's minibatch, nor past the order);
    // on one thread, and split over two (shares of 1 and 2 models), three, and four (one share empty).
    [TestCase(10, 16, 1)]
    [TestCase(34, 16, 1)]
    [TestCase(45, 5, 1)]
    [TestCase(10, 16, 2)]
    [TestCase(45, 5, 2)]
    [TestCase(34, 16, 3)]
    [TestCase(45, 5, 4)]
    public void GatheringRowsGivesIndexSelectsRows(int start, int length, int threads)
    {
        using var scope = NewDisposeScope();
        var flat = randn(3 * 50, 7);
        var order = stack([randperm(50), randperm(50) + 50, randperm(50) + 100]);
        var rows = order.narrow(1, start, length).reshape(-1);
        Assert.That(Rows.CanGather(flat), Is.True);
        Assert.That(Rows.Gather(flat, order.data<long>().ToArray(), 50, start, length, threads: threads).data<float>().ToArray(),
            Is.EqualTo(flat.index_select(0, rows).data<float>().ToArray()));
    }

    [TestCase(1)]
    [TestCase(2)]
    public void ARowNumberPastTheDataIsRefusedOnAnyThread(int threads)
    {
        using var scope = NewDisposeScope();
        var flat = randn(2 * 10, 3);
        long[] order = [.. Enumerable.Range(0, 20).Select(r => (long)r)];
        order[15] = 20;   // the second model's: with two threads, the other thread's share
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Rows.Gather(flat, order, 10, 0, 10, threads: threads));
        Assert.That(error!.Message, Does.Contain("row 20 of a 20-row matrix"));
    }

    static int[] Bits(Tensor t) => [.. t.contiguous().data<float>().ToArray().Select(Bits)];

    static int Bits(float x) => BitConverter.SingleToInt32Bits(x);
}
