using MathNet.Numerics.Random;
using MathNet.Numerics.Statistics;
using OversightLab.Metrics;

namespace OversightLab.Tests.Metrics;

/// <summary>
/// The bootstrap's inlined generator against the MathNet generator it replaces: the same draws, so
/// every committed interval stays what it was.
/// </summary>
public sealed class XoshiroTests
{
    [Test]
    public void ItDrawsWhatMathNetsXoshiro256StarStarDraws()
    {
        foreach (int seed in new[] { 0, 1, 2, -7, 12345, int.MaxValue, int.MinValue })
            foreach (int n in new[] { 1, 2, 7, 1000, 4999, 65537, int.MaxValue })
            {
                var reference = new Xoshiro256StarStar(seed);
                var ours = new Xoshiro(seed);
                for (int i = 0; i < 20_000; i++)
                {
                    int expected = reference.Next(n), actual = ours.Next(n);
                    if (expected != actual) Assert.Fail($"seed {seed}, n {n}: draw {i} is {actual}, MathNet's {expected}");
                }
            }
    }

    [Test]
    public void ThePgrIntervalIsWhatTheMathNetDrawsGive()
    {
        // The bootstrap as it was written on MathNet's generator, one array per outcome.
        var random = new Random(3);
        int n = 1500;
        bool[] weak = Draw(random, n, 0.7), student = Draw(random, n, 0.8), ceiling = Draw(random, n, 0.9);
        var rng = new Xoshiro256StarStar(11);
        var values = new List<double>();
        for (int r = 0; r < Bootstrap.DefaultResamples; r++)
        {
            int w = 0, s = 0, c = 0;
            for (int i = 0; i < n; i++)
            {
                int j = rng.Next(n);
                if (weak[j]) w++;
                if (student[j]) s++;
                if (ceiling[j]) c++;
            }
            if (Pgr.Compute((double)w / n, (double)s / n, (double)c / n, Pgr.DefaultMinGap) is double v) values.Add(v);
        }
        double tail = (1 - 0.95) / 2;
        var interval = Bootstrap.PgrInterval(weak, student, ceiling, seed: 11);
        Assert.That(interval.Low, Is.EqualTo(values.ToArray().Quantile(tail)));
        Assert.That(interval.High, Is.EqualTo(values.ToArray().Quantile(1 - tail)));
    }

    static bool[] Draw(Random random, int n, double p) => [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() < p)];
}
