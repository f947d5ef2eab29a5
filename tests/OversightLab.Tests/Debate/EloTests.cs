using MathNet.Numerics.Random;
using OversightLab.Metrics;

namespace OversightLab.Tests.Debate;

/// <summary>Elo by maximum likelihood recovers known ratings from synthetic win matrices.</summary>
public sealed class EloTests
{
    static readonly double[] Truth = [1000, 1200, 1400, 1100, 700];

    /// <summary>Every ordered pair plays <paramref name="games"/> games; wins are exact expectations, or binomial draws when <paramref name="seed"/> is given.</summary>
    static List<Elo.Match> Matches(double[] ratings, int games, int? seed = null)
    {
        var rng = seed is int s ? new Xoshiro256StarStar(s) : null;
        var matches = new List<Elo.Match>();
        for (int a = 0; a < ratings.Length; a++)
            for (int b = 0; b < ratings.Length; b++)
            {
                if (a == b) continue;
                double p = Elo.WinProbability(ratings[a], ratings[b]);
                double wins = rng is null ? p * games : Enumerable.Range(0, games).Count(_ => rng.NextDouble() < p);
                matches.Add(new Elo.Match(a, b, wins, games));
            }
        return matches;
    }

    [Test]
    public void TheWinLawIsLogisticBase10Scale400()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Elo.WinProbability(1400, 1000), Is.EqualTo(1 / 1.1).Within(1e-12), "400 points = 10:1 odds");
            Assert.That(Elo.WinProbability(1000, 1000), Is.EqualTo(0.5));
            Assert.That(Elo.WinProbability(1000, 1400) + Elo.WinProbability(1400, 1000), Is.EqualTo(1).Within(1e-12));
        }
    }

    [Test]
    public void ExpectedWinCountsGiveBackTheRatings()
    {
        var fitted = Elo.Fit(Truth.Length, Matches(Truth, games: 100_000));
        double shift = Truth.Average() - fitted.Average();
        Assert.That(fitted.Select(r => r + shift), Is.EqualTo(Truth).Within(1.0), "within one Elo point (the weak prior's pull)");
        Assert.That(fitted.Average(), Is.EqualTo(Elo.DefaultMean).Within(1e-6));
    }

    [Test]
    public void SampledGamesGiveRatingsInsideTheirIntervals()
    {
        var matches = Matches(Truth, games: 200, seed: 11);
        var fitted = Elo.Fit(Truth.Length, matches);
        var intervals = Elo.Intervals(Truth.Length, matches, seed: 5, resamples: 300);
        double shift = Truth.Average() - Elo.DefaultMean;
        using (Assert.EnterMultipleScope())
        {
            for (int i = 0; i < Truth.Length; i++)
            {
                Assert.That(fitted[i] + shift, Is.EqualTo(Truth[i]).Within(40), $"player {i}");
                Assert.That(intervals[i].Low, Is.LessThan(fitted[i]));
                Assert.That(intervals[i].High, Is.GreaterThan(fitted[i]));
                Assert.That(Truth[i] - shift, Is.InRange(intervals[i].Low - 10, intervals[i].High + 10), $"player {i}'s true rating near its interval");
            }
        }
    }

    [Test]
    public void SideSplitRatingsRecoverATruthAdvantage()
    {
        // Two debaters; each is 150 points stronger arguing the truth than lying. Honest selves are
        // players 0–1, lying selves 2–3; matches only pit an honest self against a lying one.
        double[] honest = [1100, 1300], liar = [950, 1150];
        var matches = new List<Elo.Match>();
        for (int h = 0; h < 2; h++)
            for (int l = 0; l < 2; l++)
                matches.Add(new Elo.Match(h, 2 + l, 50_000 * Elo.WinProbability(honest[h], liar[l]), 50_000));
        var r = Elo.Fit(4, matches);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r[0] - r[2], Is.EqualTo(150).Within(1), "debater 0's truth advantage");
            Assert.That(r[1] - r[3], Is.EqualTo(150).Within(1), "debater 1's truth advantage");
            Assert.That(r[1] - r[0], Is.EqualTo(200).Within(1));
        }
    }

    [Test]
    public void APerfectRecordStaysFinite()
    {
        var r = Elo.Fit(2, [new Elo.Match(0, 1, 20, 20)]);
        Assert.That(r[0] - r[1], Is.GreaterThan(400).And.LessThan(4000));
    }
}
