using MathNet.Numerics.Random;

namespace OversightLab.Metrics;

/// <summary>
/// Elo ratings: logistic, base 10, scale 400 — P(a beats b) = 1 / (1 + 10^((R_b − R_a)/400)) —
/// fitted by maximum likelihood on a win matrix (the Bradley–Terry model). A weak Gaussian prior
/// on ratings (sd <see cref="DefaultPriorSd"/> Elo) keeps the fit finite when a player wins or loses
/// every game; with a few dozen games per pair its effect is a few Elo points. Ratings are
/// reported with mean <see cref="DefaultMean"/>.
/// </summary>
public static class Elo
{
    public const double Scale = 400, DefaultMean = 1000, DefaultPriorSd = 1000;

    /// <summary><paramref name="WinsA"/> wins of player <paramref name="A"/> over player <paramref name="B"/> in <paramref name="Games"/> games (draws count half).</summary>
    public readonly record struct Match(int A, int B, double WinsA, int Games);

    public static double WinProbability(double ratingA, double ratingB) => 1 / (1 + Math.Pow(10, (ratingB - ratingA) / Scale));

    /// <summary>Maximum-likelihood (maximum a posteriori with the weak prior) ratings of <paramref name="players"/> players, by Newton's method.</summary>
    public static double[] Fit(int players, IReadOnlyList<Match> matches, double mean = DefaultMean, double priorSd = DefaultPriorSd)
    {
        foreach (var m in matches)
        {
            if (m.A < 0 || m.A >= players || m.B < 0 || m.B >= players || m.A == m.B) throw new ArgumentException($"match between players {m.A} and {m.B} of {players}");
            if (m.Games < 0 || m.WinsA < 0 || m.WinsA > m.Games) throw new ArgumentException($"{m.WinsA} wins in {m.Games} games");
        }
        // Natural units: s = R · ln10 / 400, so P(a beats b) = σ(s_a − s_b).
        double unit = Math.Log(10) / Scale, lambda = 1 / Math.Pow(priorSd * unit, 2);
        var s = new double[players];
        for (int iteration = 0; iteration < 100; iteration++)
        {
            var gradient = new double[players];
            var hessian = new double[players, players];
            for (int i = 0; i < players; i++)
            {
                gradient[i] = -lambda * s[i];
                hessian[i, i] = -lambda;
            }
            foreach (var m in matches)
            {
                double p = 1 / (1 + Math.Exp(s[m.B] - s[m.A]));
                double g = m.WinsA - m.Games * p, h = m.Games * p * (1 - p);
                gradient[m.A] += g;
                gradient[m.B] -= g;
                hessian[m.A, m.A] -= h;
                hessian[m.B, m.B] -= h;
                hessian[m.A, m.B] += h;
                hessian[m.B, m.A] += h;
            }
            var step = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(hessian)
                .Solve(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(gradient));
            double largest = 0;
            for (int i = 0; i < players; i++)
            {
                s[i] -= step[i];
                largest = Math.Max(largest, Math.Abs(step[i]));
            }
            if (largest < 1e-10) break;
        }
        double shift = mean - s.Average() / unit;
        return s.Select(v => v / unit + shift).ToArray();
    }

    /// <summary>
    /// 95% percentile-bootstrap intervals of each rating: games are resampled within each pair
    /// (each pair's wins redrawn from its games), and ratings refitted.
    /// </summary>
    public static Interval[] Intervals(int players, IReadOnlyList<Match> matches, int seed, int resamples = 500,
        double mean = DefaultMean, double priorSd = DefaultPriorSd)
    {
        var rng = new Xoshiro256StarStar(seed, threadSafe: false);   // one thread draws: the same numbers without a lock per draw
        var draws = new double[players][];
        for (int i = 0; i < players; i++) draws[i] = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            var resampled = matches.Select(m =>
            {
                double p = m.Games == 0 ? 0 : m.WinsA / m.Games;
                int wins = 0;
                for (int g = 0; g < m.Games; g++) if (rng.NextDouble() < p) wins++;
                return m with { WinsA = wins };
            }).ToList();
            var ratings = Fit(players, resampled, mean, priorSd);
            for (int i = 0; i < players; i++) draws[i][r] = ratings[i];
        }
        return draws.Select(d =>
        {
            Array.Sort(d);
            return new Interval(MathNet.Numerics.Statistics.SortedArrayStatistics.Quantile(d, 0.025),
                MathNet.Numerics.Statistics.SortedArrayStatistics.Quantile(d, 0.975));
        }).ToArray();
    }
}
