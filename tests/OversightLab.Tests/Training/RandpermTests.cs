using OversightLab.Training;
using static TorchSharp.torch;

namespace OversightLab.Tests.Training;

/// <summary>
/// Trainer draws each epoch's order on the CPU with <see cref="Randperm"/> instead of libtorch's
/// randperm: the orders, and so every training run's numbers, must be libtorch's.
/// </summary>
public sealed class RandpermTests
{
    // Seeds past 32 bits (libtorch keeps the low 32), and sizes from one row to more than one
    // Mersenne Twister state (624 draws) per permutation; three draws in a row from each generator.
    [TestCase(0UL)]
    [TestCase(5489UL)]
    [TestCase(0xFFFFFFFFUL)]
    [TestCase(0x1_0000_0007UL)]
    [TestCase(ulong.MaxValue)]
    public void PermutationsAreLibtorchsRandperms(ulong seed)
    {
        foreach (int n in new[] { 1, 2, 3, 17, 640, 10_007 })
        {
            using var generator = new Generator(seed);
            var permutations = new Randperm(seed);
            for (int draw = 0; draw < 3; draw++)
            {
                using var expected = randperm(n, generator: generator);
                var order = new long[n];
                permutations.Next(order);
                Assert.That(order, Is.EqualTo(expected.data<long>().ToArray()), $"n = {n}, draw {draw + 1}");
            }
        }
    }

    [Test]
    public void AnOffsetIsAddedToEveryRowNumber()
    {
        long[] plain = new long[50], shifted = new long[50];
        new Randperm(7).Next(plain);
        new Randperm(7).Next(shifted, offset: 100);
        Assert.That(shifted, Is.EqualTo(plain.Select(r => r + 100).ToArray()));
        Assert.That(plain.Order(), Is.EqualTo(Enumerable.Range(0, 50).Select(r => (long)r)), "a permutation");
    }
}
