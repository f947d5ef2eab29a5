using OversightLab.Models;
using static TorchSharp.torch;

namespace OversightLab.Tests.Training;

/// <summary>The encoders' average pool gives libtorch's bits, on any values, on 1 and 2 threads.</summary>
public sealed class AvgPoolTests
{
    [TestCase(2, 1)]
    [TestCase(2, 2)]
    [TestCase(4, 1)]
    [TestCase(4, 2)]
    [TestCase(3, 1)]
    [TestCase(7, 2)]
    public void PoolsToLibtorchsBits(int k, int threads)
    {
        using var _ = new LibtorchThreads(threads);
        manual_seed(k * 10 + threads);
        // Batches on both sides of the parallel grain, several channels, odd and even sides.
        foreach (var (n, c, h, w) in new[] { (0, 1, 28, 28), (1, 1, 28, 28), (5, 3, 2 * k, 3 * k), (513, 1, 28, 28), (64, 2, 4 * k, 5 * k) })
        {
            if (h % k != 0 || w % k != 0) continue;
            using var items = Values(n * c * h * w).view(n, c, h, w);
            using var ours = AvgPool.Of(items, k);
            using var theirs = nn.functional.avg_pool2d(items, k);
            Assert.That(AvgPool.Fast(items, k), Is.True);
            Assert.That(ours.shape, Is.EqualTo(theirs.shape), $"{n}×{c}×{h}×{w}");
            Assert.That(Bits(ours), Is.EqualTo(Bits(theirs)), $"{n}×{c}×{h}×{w}, k = {k}");
        }
    }

    [TestCase(2)]
    [TestCase(4)]
    public void WindowsThatRoundToNegativeZeroComeOutAsLibtorchsPositiveZero(int k)
    {
        // A window of negative zeros, and one whose sum is the smallest negative subnormal: its
        // quotient rounds to -0, and libtorch adds it to a zeroed output, which makes it +0.
        using var items = full(2, 1, 2 * k, 2 * k, -0f);
        items[0, 0, 0, 0] = tensor(-float.Epsilon);
        using var ours = AvgPool.Of(items, k);
        Assert.That(Bits(ours), Is.EqualTo(Bits(nn.functional.avg_pool2d(items, k))));
        Assert.That(Bits(ours), Has.All.EqualTo(0), "+0, not -0");
    }

    [Test]
    public void AnInputThatNeedsAGradientGoesThroughLibtorch()
    {
        using var items = rand(3, 1, 8, 8).requires_grad_();
        Assert.That(AvgPool.Fast(items, 2), Is.False);
        using var pooled = AvgPool.Of(items, 2);
        pooled.sum().backward();
        Assert.That(items.grad, Is.Not.Null);
        Assert.That(items.grad!.data<float>().ToArray(), Has.All.EqualTo(0.25f));
    }

    /// <summary>Normal values of every scale, mixed with zeros of both signs, subnormals, infinities, NaNs and sums that overflow.</summary>
    static Tensor Values(long count)
    {
        var values = randn(count).mul_(1000).data<float>().ToArray();
        float[] special = [-0f, 0f, 1e-40f, -3e-42f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 3e38f, -3e38f, 1e-30f, 16777217f];
        var random = new Random((int)count);
        for (int i = 0; i < values.Length; i++)
            if (random.Next(4) == 0) values[i] = special[random.Next(special.Length)];
        return tensor(values);
    }

    static int[] Bits(Tensor t) => t.numel() == 0 ? [] : [.. t.contiguous().data<float>().ToArray().Select(BitConverter.SingleToInt32Bits)];
}
