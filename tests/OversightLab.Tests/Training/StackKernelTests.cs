using OversightLab.Models;
using static TorchSharp.torch;

namespace OversightLab.Tests.Training;

/// <summary>
/// The stack's own matrix kernels against libtorch: the same outputs and the same gradients as its
/// batched product, up to floating-point reassociation, on shapes with every kind of remainder
/// (widths not a multiple of the vector width, row counts not a multiple of the 4-row block).
/// </summary>
public sealed class StackKernelTests
{
    [TestCase(new[] { 49, 16, 16, 2 }, 32, false, TestName = "mlp-xs shape")]
    [TestCase(new[] { 49, 2 }, 32, false, TestName = "lin-pool7 shape")]
    [TestCase(new[] { 196, 128, 64, 2 }, 32, false, TestName = "mlp-m shape")]
    [TestCase(new[] { 13, 17, 9, 3 }, 7, false, TestName = "odd widths, odd rows")]
    [TestCase(new[] { 24, 40, 5 }, 33, false, TestName = "8-wide remainder, one row over a block")]
    [TestCase(new[] { 512, 1 }, 19, true, TestName = "preference probe")]
    public void TheKernelsComputeWhatLibtorchsBatchedProductComputes(int[] widths, int rows, bool pairs)
    {
        const int models = 3;
        manual_seed(7);
        using var kernels = new MlpStack(models, widths, pairs);
        using var batched = new MlpStack(models, widths, pairs) { UseKernels = false };
        var (k, b) = (kernels.parameters().Single(), batched.parameters().Single());
        using (no_grad())
        {
            k.normal_(0, 0.3);
            b.copy_(k);
        }
        using var inputs = randn(models, rows, widths[0]);
        using var weights = randn(models, rows, pairs ? 2 : widths[^1]);
        var outputs = new List<float[]>();
        foreach (var stack in new[] { kernels, batched })
        {
            using var output = stack.call(inputs);
            outputs.Add(output.detach().data<float>().ToArray());
            (output * weights).sum().backward();
        }
        float[] gk = k.grad!.data<float>().ToArray(), gb = b.grad!.data<float>().ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outputs[0].Length, Is.EqualTo(outputs[1].Length));
            Assert.That(MaxDifference(outputs[0], outputs[1]), Is.LessThan(1e-4 * Scale(outputs[1])), "outputs");
            Assert.That(MaxDifference(gk, gb), Is.LessThan(1e-4 * Scale(gb)), "gradients");
            Assert.That(gb.Count(g => g != 0), Is.GreaterThan(gb.Length / 2), "most parameters get a gradient");
        }
    }

    [Test]
    public void SplittingTheModelsOverTwoThreadsChangesNoBit()
    {
        int[] widths = [196, 128, 64, 2];
        const int models = 3, rows = 64;   // 3 models over 2 threads: shares of 1 and 2, so one thread runs ahead
        manual_seed(9);
        using var stack = new MlpStack(models, widths, pairs: false);
        Assert.That((long)models * rows * (196 * 128 + 128 * 64 + 64 * 2), Is.GreaterThanOrEqualTo(MlpStack.ParallelWork), "enough work to split");
        var k = stack.parameters().Single();
        using (no_grad()) k.normal_(0, 0.3);
        using var inputs = randn(models, rows, widths[0]);
        using var weights = randn(models, rows, widths[^1]);
        var results = new List<(float[] Output, float[] Gradient)>();
        // Repeated: a race between the threads would show in some of the runs.
        foreach (int threads in Enumerable.Repeat(2, 30).Prepend(1))
        {
            using var _ = new LibtorchThreads(threads);
            k.grad = null;
            using var output = stack.call(inputs);
            (output * weights).sum().backward();
            results.Add((output.detach().data<float>().ToArray(), k.grad!.data<float>().ToArray()));
        }
        for (int i = 1; i < results.Count; i++)
        {
            Assert.That(results[i].Output, Is.EqualTo(results[0].Output), $"outputs, 2 threads, run {i}");
            Assert.That(results[i].Gradient, Is.EqualTo(results[0].Gradient), $"gradients, 2 threads, run {i}");
        }
        Assert.That(results[0].Gradient.Count(g => g != 0), Is.GreaterThan(results[0].Gradient.Length / 2), "most parameters get a gradient");
    }

    [Test]
    public void TheProductKernelMatchesADoublePrecisionProductOnEveryRemainder()
    {
        var random = new Random(3);
        foreach (var (m, n, k) in new[] { (1, 1, 1), (5, 19, 7), (4, 16, 3), (9, 33, 50), (3, 8, 2), (6, 2, 11) })
            foreach (bool transposedA in new[] { false, true })
                foreach (bool accumulate in new[] { false, true })
                {
                    float[] a = Random(random, m * k), b = Random(random, k * n), c = Random(random, m * n);
                    var expected = new double[m * n];
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++)
                        {
                            double sum = accumulate ? c[i * n + j] : 0;
                            for (int t = 0; t < k; t++) sum += (double)(transposedA ? a[t * m + i] : a[i * k + t]) * b[t * n + j];
                            expected[i * n + j] = sum;
                        }
                    if (transposedA) StackKernels.Gemm(m, n, k, a, 1, m, b, c, accumulate);
                    else StackKernels.Gemm(m, n, k, a, k, 1, b, c, accumulate);
                    double worst = expected.Zip(c).Max(p => Math.Abs(p.First - p.Second));
                    Assert.That(worst, Is.LessThan(1e-5 * (k + 1)), $"m={m} n={n} k={k} transposed={transposedA} accumulate={accumulate}");
                }
    }

    [Test]
    public void EveryProductElementIsItsOwnChainOfFusedMultiplyAddsInIndexOrder()
    {
        // What makes a stacked model's bits independent of its neighbours and of the vector width:
        // each element of C is c ← fma(a[i,t], b[t,j], c) for t = 0, 1, … whatever block computes it.
        var random = new Random(5);
        foreach (var (m, n, k) in new[] { (32, 64, 49), (49, 64, 32), (32, 16, 33), (7, 40, 5), (5, 9, 3), (2, 32, 32) })
            foreach (bool transposedA in new[] { false, true })
            {
                float[] a = Random(random, m * k), b = Random(random, k * n), c = new float[m * n];
                if (transposedA) StackKernels.Gemm(m, n, k, a, 1, m, b, c, accumulate: false);
                else StackKernels.Gemm(m, n, k, a, k, 1, b, c, accumulate: false);
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                    {
                        float chain = 0f;
                        for (int t = 0; t < k; t++) chain = MathF.FusedMultiplyAdd(transposedA ? a[t * m + i] : a[i * k + t], b[t * n + j], chain);
                        Assert.That(c[i * n + j], Is.EqualTo(chain), $"m={m} n={n} k={k} transposed={transposedA} at ({i}, {j})");
                    }
            }
    }

    [Test]
    public void AHeadElementIsTheSameDotProductWhetherItsRowIsComputedAloneOrInAPair()
    {
        // The narrow head's product runs rows two at a time; each row must get the bits it gets alone
        // (what a model trained before the pairing got), on every remainder of the row length.
        var random = new Random(7);
        foreach (var (m, n, k) in new[] { (32, 2, 49), (7, 2, 49), (5, 1, 3), (3, 3, 8), (4, 2, 9), (9, 2, 16), (6, 5, 17), (2, 2, 24), (11, 2, 64), (1, 2, 33) })
        {
            float[] a = Random(random, m * k), b = Random(random, n * k), c = new float[m * n], alone = new float[n];
            StackKernels.GemmTransposed(m, n, k, a, b, c);
            for (int i = 0; i < m; i++)
            {
                StackKernels.GemmTransposed(1, n, k, a.AsSpan(i * k, k), b, alone);
                for (int j = 0; j < n; j++)
                {
                    Assert.That(BitConverter.SingleToInt32Bits(c[i * n + j]), Is.EqualTo(BitConverter.SingleToInt32Bits(alone[j])), $"m={m} n={n} k={k} at ({i}, {j})");
                    double exact = Enumerable.Range(0, k).Sum(t => (double)a[i * k + t] * b[j * k + t]);
                    Assert.That(c[i * n + j], Is.EqualTo(exact).Within(1e-5 * k), $"m={m} n={n} k={k} at ({i}, {j})");
                }
            }
        }
    }

    [Test]
    public void TheTransposeMovesEveryElementOnEveryShape()
    {
        var random = new Random(6);
        foreach (var (rows, cols) in new[] { (1, 1), (8, 8), (64, 32), (49, 64), (13, 16), (16, 13), (2, 32), (9, 17) })
        {
            float[] matrix = Random(random, rows * cols), result = new float[rows * cols];
            StackKernels.Transpose(rows, cols, matrix, result);
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                    Assert.That(result[c * rows + r], Is.EqualTo(matrix[r * cols + c]), $"{rows} × {cols} at ({r}, {c})");
        }
    }

    static float[] Random(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1))];

    static double MaxDifference(float[] a, float[] b) => a.Zip(b).Max(p => Math.Abs(p.First - p.Second));

    static double Scale(float[] a) => Math.Max(1, a.Max(Math.Abs));
}
