using OversightLab.Protocols.Debate;
using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Tests.Debate;

/// <summary>The sparse judges' additive state, which search relies on to score a node's children in one batch.</summary>
public sealed class JudgeTests
{
    [TestCase("pixel-mlp-s")]
    [TestCase("pixel-mlp")]
    [TestCase("paper-cnn")]
    public void AChildsStateIsItsParentsPlusOnePixelsContribution(string name)
    {
        manual_seed(3);
        using var judge = JudgeSpec.Find(name)!.Create();
        judge.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        const int b = 16, k = 5;
        // Distinct pixels per position (a random permutation's first k), random values, one empty slot in the last row.
        var pixels = stack(Enumerable.Range(0, b).Select(_ => randperm(SparseDigits.Pixels).narrow(0, 0, k)).ToArray());
        pixels[b - 1, 2] = tensor((long)SparseJudge.NoPixel);
        var values = rand(b, k);
        var positions = stack([pixels.to_type(ScalarType.Float32), values], 1);

        var direct = judge.call(positions);
        var parent = judge.State(pixels.narrow(1, 0, k - 1), values.narrow(1, 0, k - 1));
        var child = parent + judge.Contributions(pixels.select(1, k - 1), values.select(1, k - 1));
        var incremental = judge.Head(child);
        Assert.That((direct - incremental).abs().max().item<float>(), Is.LessThan(1e-4f));
    }

    [Test]
    public void AnEmptySlotChangesNothing()
    {
        manual_seed(4);
        using var judge = new PixelMlpJudge(64, 32);
        judge.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var three = judge.call(stack([tensor(new float[,] { { 10, 20, 30 } }), tensor(new float[,] { { 0.5f, 0.2f, 0.9f } })], 1));
        var padded = judge.call(stack([tensor(new float[,] { { 10, 20, 30, SparseJudge.NoPixel } }), tensor(new float[,] { { 0.5f, 0.2f, 0.9f, 0.7f } })], 1));
        Assert.That((three - padded).abs().max().item<float>(), Is.LessThan(1e-6f));
    }

    [Test]
    public void TrainingPositionsUseOnlyNonzeroPixelsAndEveryDigitEquallyOften()
    {
        var digits = SparseDigits.Mnist();
        int[] rows = [0, 1, 2, 3];
        var (positions, labels) = JudgeTraining.Positions(digits, rows, pixels: 6, count: 40, seed: 9);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(labels.GroupBy(l => l).Sum(g => g.Count()), Is.EqualTo(40));
            for (int i = 0; i < 40; i++)
            {
                var drawn = Enumerable.Range(0, 6).Select(j => (int)positions[i * 12 + j]).ToArray();
                Assert.That(drawn.Distinct().Count(), Is.EqualTo(6), "k distinct pixels");
                Assert.That(Enumerable.Range(0, 6).All(j => positions[i * 12 + 6 + j] > 0), Is.True, "every revealed pixel is nonzero");
            }
            // 40 positions over 4 digits in shuffled passes: each digit exactly 10 times.
            var byImage = Enumerable.Range(0, 40).GroupBy(i => rows.First(r => Enumerable.Range(0, 6).All(j => digits.Value(r, (int)positions[i * 12 + j]) == positions[i * 12 + 6 + j])));
            Assert.That(byImage.Select(g => g.Count()), Is.All.EqualTo(10));
        }
    }
}
