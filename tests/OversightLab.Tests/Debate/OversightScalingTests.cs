using OversightLab.Metrics;

namespace OversightLab.Tests.Debate;

/// <summary>Nested scalable oversight (Engels et al. 2025) with the paper's fits, and the fits themselves.</summary>
public sealed class OversightScalingTests
{
    static OversightScaling.Game Paper(string name, bool rounded = false) =>
        (rounded ? OversightScaling.PaperGamesRounded : OversightScaling.PaperGames).Single(g => g.Name == name);

    [TestCase("Debate", 1, 0.5136)]
    [TestCase("Mafia", 1, 0.1106)]
    [TestCase("Backdoor Code", 2, 0.2757)]
    [TestCase("Wargames", 1, 0.0980)]
    public void PaperFitsAtAGeneralEloGapOf400(string game, int steps, double success)
    {
        var (n, p) = OversightScaling.Optimal(Paper(game), OversightScaling.PaperStartElo, gap: 400);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(n, Is.EqualTo(steps), "n*");
            Assert.That(p, Is.EqualTo(success).Within(5e-5), "success, to the paper code's four decimals");
        }
    }

    [Test]
    public void RoundedDebateFitsAgreeToThreeDecimals()
    {
        var (n, p) = OversightScaling.Optimal(Paper("Debate", rounded: true), OversightScaling.PaperStartElo, gap: 400);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(n, Is.EqualTo(1));
            Assert.That(p, Is.EqualTo(0.5137).Within(5e-5));
            Assert.That(Math.Round(p, 3), Is.EqualTo(Math.Round(0.5136, 3)));
        }
    }

    [Test]
    public void OneStepIsTheEloWinLawBetweenTheEnds()
    {
        // Debate, one step from 1103 to 1503: guard 1.098·1103 − 47.5, Houdini 0.049·1503 + 1080.4.
        double guard = 1.098 * 1103 - 47.5, houdini = 0.049 * 1503 + 1080.4;
        double expected = 1 / (1 + Math.Pow(10, (houdini - guard) / 400));
        Assert.That(OversightScaling.Success(Paper("Debate", rounded: true), 1103, 400, 1), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void MoreStepsHelpWhenTheHoudiniOutgrowsTheGuard()
    {
        // Equal slopes, Houdini 100 points ahead at the same general Elo: splitting a 1000-point gap
        // into more steps lets each guard face a closer Houdini.
        var game = new OversightScaling.Game("toy", new OversightScaling.Linear(1, 0), new OversightScaling.Linear(1, -300));
        var (n, p) = OversightScaling.Optimal(game, 0, 1000);
        Assert.That(n, Is.GreaterThan(1));
        Assert.That(p, Is.GreaterThan(OversightScaling.Success(game, 0, 1000, 1)));
    }

    [Test]
    public void LinearAndDoubleReluFitsRecoverTheirParameters()
    {
        double[] g = Enumerable.Range(0, 21).Select(i => 800 + 50.0 * i).ToArray();
        var line = OversightScaling.FitLinear(g, g.Select(x => 0.7 * x + 120).ToArray());
        var clipped = new OversightScaling.DoubleRelu(1000, 1500, 900, 1400);
        var fit = OversightScaling.FitDoubleRelu(g, g.Select(clipped.At).ToArray());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(line.Slope, Is.EqualTo(0.7).Within(1e-9));
            Assert.That(line.Intercept, Is.EqualTo(120).Within(1e-6));
            Assert.That(fit.From, Is.EqualTo(1000).Within(1e-9));
            Assert.That(fit.To, Is.EqualTo(1500).Within(1e-9));
            Assert.That(fit.Low, Is.EqualTo(900).Within(1e-6));
            Assert.That(fit.High, Is.EqualTo(1400).Within(1e-6));
        }
    }
}
