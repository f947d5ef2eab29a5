using MathNet.Numerics.Statistics;

namespace OversightLab.Metrics;

/// <summary>
/// Percentile bootstrap over test examples. The weak, student and ceiling predictions are
/// resampled together (a paired bootstrap), so the interval reflects test-set noise in PGR
/// itself, not three independent noises.
/// </summary>
public static class Bootstrap
{
    public const int DefaultResamples = 1000;

    /// <summary>
    /// Interval of PGR over test-example resamples. Resamples where PGR is undefined are skipped;
    /// if more than half are, the interval is undefined.
    /// </summary>
    public static Interval PgrInterval(bool[] weak, bool[] student, bool[] ceiling, int seed,
        int resamples = DefaultResamples, double confidence = 0.95, double minGap = Pgr.DefaultMinGap)
    {
        int n = weak.Length;
        if (student.Length != n || ceiling.Length != n) throw new ArgumentException("paired bootstrap needs equal-length vectors");
        var rng = new Xoshiro(seed);   // MathNet's Xoshiro256StarStar's draws, inlined
        // Each example's three outcomes as bits of one byte: a draw reads one array, not three.
        var outcomes = new byte[n];
        for (int i = 0; i < n; i++) outcomes[i] = (byte)((weak[i] ? 1 : 0) | (student[i] ? 2 : 0) | (ceiling[i] ? 4 : 0));
        var values = new List<double>(resamples);
        for (int r = 0; r < resamples; r++)
        {
            int w = 0, s = 0, c = 0;
            for (int i = 0; i < n; i++)
            {
                int o = outcomes[rng.Next(n)];
                w += o & 1;
                s += (o >> 1) & 1;
                c += o >> 2;
            }
            double? pgr = Pgr.Compute((double)w / n, (double)s / n, (double)c / n, minGap);
            if (pgr is double v) values.Add(v);
        }
        return Percentile(values, resamples, confidence);
    }

    /// <summary>Percentile bootstrap interval of a statistic of one resampled vector.</summary>
    public static Interval Of(IReadOnlyList<double> sample, Func<IReadOnlyList<double>, double> statistic, int seed,
        int resamples = DefaultResamples, double confidence = 0.95)
    {
        var rng = new Xoshiro(seed);
        var values = new List<double>(resamples);
        var draw = new double[sample.Count];
        for (int r = 0; r < resamples; r++)
        {
            for (int i = 0; i < draw.Length; i++) draw[i] = sample[rng.Next(sample.Count)];
            values.Add(statistic(draw));
        }
        return Percentile(values, resamples, confidence);
    }

    static Interval Percentile(List<double> values, int resamples, double confidence)
    {
        if (values.Count < resamples / 2) return Interval.Undefined;
        double tail = (1 - confidence) / 2;
        var sorted = values.ToArray();
        return new(sorted.Quantile(tail), sorted.Quantile(1 - tail));
    }
}
