using OversightLab.Experiments;
using OversightLab.Protocols.Debate;
using OversightLab.Reports;

namespace OversightLab.Tests.Debate;

/// <summary>
/// A smoke-size MNIST debate run (a small judge trained briefly, k = 4, a few dozen test digits):
/// the whole path from definition to CSV, figures and report, and outcomes a researcher relies on.
/// </summary>
public sealed class DebateRunTests
{
    const string Smoke = """
        name: debate-smoke
        protocol: debate
        task: { family: mnist-pixels, pixels: 4, images: 40 }
        roles: { judge: pixel-mlp-s, debaters: [random, greedy, mcts-2], pairing: tournament }
        game: { precommit: [true, false], first_mover: liar }
        search: { images: 12 }
        train: { batches: 300, batch: 128, lr: 3e-3 }
        seeds: [0]
        """;

    static readonly Lazy<(RunSummary Summary, List<DebateRow> Rows)> Run = new(() =>
    {
        var summary = Runner.Run(DefinitionParser.Parse(Smoke, "smoke.yaml"), new RunOptions(TestPaths.Scratch("debate-smoke"), "cpu", Threads: 1));
        return (summary, CsvTable.Read<DebateRow>(Path.Combine(summary.OutDir, DebateProtocol.Table)));
    });

    static DebateRow Row(string honest, string liar, bool precommit) =>
        Run.Value.Rows.Single(r => r.Protocol == "debate" && r.HonestDebater == honest && r.LiarDebater == liar && r.Precommit == precommit);

    [Test]
    public void EveryCellRunsAndTheTableHasTheIssuesColumns()
    {
        var (summary, rows) = Run.Value;
        string header = File.ReadLines(Path.Combine(summary.OutDir, DebateProtocol.Table)).First();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((summary.Computed, summary.Failed), Is.EqualTo((19, 0)), "the judge alone + 9 pairings × 2 precommit settings");
            foreach (string column in new[] { "protocol", "judge", "debater", "pixels_or_task", "precommit", "first_mover", "budget", "seed", "n", "judge_accuracy", "ci_low", "ci_high" })
                Assert.That(header.Split(','), Does.Contain(column));
            foreach (var r in rows)
            {
                Assert.That(r.JudgeAccuracy, Is.EqualTo((double)r.Correct!.Value / r.N).Within(1e-12));
                Assert.That(r.CiLow, Is.LessThanOrEqualTo(r.JudgeAccuracy!.Value + 1e-12));
                Assert.That(r.CiHigh, Is.GreaterThanOrEqualTo(r.JudgeAccuracy!.Value - 1e-12));
                Assert.That(r.N, Is.EqualTo(r.Budget > 0 ? 12 : 40), "search cells judge search.images digits");
                if (r.Precommit == true) Assert.That(r.Games, Is.EqualTo(9 * r.N));
            }
        }
    }

    [Test]
    public void TheJudgeBeatsChanceAndAGreedyDebaterBeatsARandomOne()
    {
        var alone = Run.Value.Rows.Single(r => r.Protocol == "judge-alone");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(alone.JudgeAccuracy, Is.GreaterThan(0.2), "k = 4 pixels carry information (chance: 0.1)");
            foreach (bool precommit in new[] { true, false })
            {
                Assert.That(Row("greedy", "random", precommit).JudgeAccuracy, Is.GreaterThanOrEqualTo(0.8), "greedy honest vs random liar");
                Assert.That(Row("random", "greedy", precommit).JudgeAccuracy, Is.LessThanOrEqualTo(0.2), "random honest vs greedy liar");
            }
        }
    }

    [Test]
    public void TheReportHasFiguresTablesAndElo()
    {
        string dir = Run.Value.Summary.OutDir;
        string report = File.ReadAllText(Path.Combine(dir, DebateReport.ReportFile));
        using (Assert.EnterMultipleScope())
        {
            foreach (string figure in new[] { DebateReport.ConditionsFigure, DebateReport.BudgetFigure, DebateReport.EloFigure })
            {
                Assert.That(new FileInfo(Path.Combine(dir, figure + ".png")).Length, Is.GreaterThan(10_000), figure);
                Assert.That(File.ReadAllText(Path.Combine(dir, figure + ".svg")), Does.Contain("<svg"));
            }
            Assert.That(report, Does.Contain("## Judge alone").And.Contain("## Debates").And.Contain("truth advantage"));
            var elo = DebateReport.Tournaments(DebateReport.Read(dir));
            Assert.That(elo, Has.Count.EqualTo(2), "one tournament per precommit setting");
            var t = elo[0];
            Assert.That(t.Pooled[t.Debaters.ToList().IndexOf("greedy")], Is.GreaterThan(t.Pooled[t.Debaters.ToList().IndexOf("random")] + 200));
        }
    }

    [Test]
    public void ARerunComputesNothing()
    {
        var again = Runner.Run(DefinitionParser.Parse(Smoke, "smoke.yaml"), new RunOptions(Run.Value.Summary.OutDir, "cpu", Threads: 1));
        Assert.That((again.Computed, again.Skipped), Is.EqualTo((0, 19)));
    }

    [Test]
    public void TheSameSeedGivesByteIdenticalResults()
    {
        string definition = Smoke.Replace("debaters: [random, greedy, mcts-2], pairing: tournament", "debaters: [greedy, mcts-2]")
            .Replace("images: 40", "images: 10").Replace("images: 12", "images: 4");
        string a = TestPaths.Scratch("debate-det-a"), b = TestPaths.Scratch("debate-det-b");
        Runner.Run(DefinitionParser.Parse(definition, "det.yaml"), new RunOptions(a, "cpu", Threads: 1));
        Runner.Run(DefinitionParser.Parse(definition, "det.yaml"), new RunOptions(b, "cpu", Threads: 1));
        Assert.That(File.ReadAllBytes(Path.Combine(b, DebateProtocol.Table)), Is.EqualTo(File.ReadAllBytes(Path.Combine(a, DebateProtocol.Table))));
    }

    [TestCase("debaters: [random, greedy, mcts-2]", "debaters: [random, greedy, mcts-two]", 4, "roles.debaters", "unknown debater 'mcts-two'")]
    [TestCase("pairing: tournament", "pairing: round-robin", 4, "roles.pairing", "unknown value 'round-robin'")]
    [TestCase("pixels: 4", "pixels: 0", 3, "task.pixels", "out of range")]
    [TestCase("images: 40", "images: 5000", 3, "task.images", "out of range")]
    [TestCase("judge: pixel-mlp-s", "judge: paper-cnnn", 4, "roles.judge", "did you mean 'paper-cnn'")]
    public void ABadDefinitionIsRefusedWithOneClearLine(string good, string bad, int line, string field, string problem)
    {
        var e = Assert.Throws<DefinitionException>(() => DefinitionParser.Parse(Smoke.Replace(good, bad), "bad.yaml"))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Message, Does.StartWith($"bad.yaml:{line}:"));
            Assert.That(e.Message, Does.Contain(field).And.Contain(problem));
            Assert.That(e.Message.Split('\n'), Has.Length.EqualTo(1));
        }
    }
}
