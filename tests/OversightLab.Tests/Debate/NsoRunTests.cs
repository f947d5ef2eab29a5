using OversightLab.Experiments;
using OversightLab.Protocols.Debate;
using OversightLab.Reports;

namespace OversightLab.Tests.Debate;

/// <summary>The shipped nested-scalable-oversight definition, run end to end, and the reproduction's summary.</summary>
public sealed class NsoRunTests
{
    [Test]
    public void TheNsoDefinitionTabulatesThePapersNumbersAndTheSummaryQuotesThem()
    {
        string reproduction = TestPaths.Scratch("debate-reproduction");
        var definition = DefinitionParser.Load(Path.Combine(TestPaths.Experiments, "debate-nso.yaml"));
        string folder = Path.Combine(reproduction, definition.Name);
        var summary = Runner.Run(definition, new RunOptions(folder, "cpu", Threads: 1));
        var rows = CsvTable.Read<NsoRow>(Path.Combine(folder, OversightScalingProtocol.Table));
        definition.Protocol.Summarize(reproduction, [(definition, folder)]);
        var debate = rows.Single(r => r.Game == "Debate" && r.Gap == 400);
        string readme = File.ReadAllText(Path.Combine(reproduction, DebateSummary.FileName));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(summary.Computed, Is.EqualTo(4 * 41), "4 games × gaps 0, 50, …, 2000");
            Assert.That(debate.BestSteps, Is.EqualTo(1));
            Assert.That(Math.Round(debate.Success, 4), Is.EqualTo(0.5136));
            Assert.That(rows.Single(r => r.Game == "Backdoor Code" && r.Gap == 400).BestSteps, Is.EqualTo(2));
            Assert.That(rows.All(r => r.Success <= r.SuccessOneStep + 1e-12 == (r.BestSteps == 1)), Is.True, "n* > 1 exactly where more steps beat one");
            Assert.That(File.Exists(Path.Combine(folder, NsoReport.SuccessFigure + ".png")));
            Assert.That(readme, Does.Contain("| Debate | paper | 1 | 0.5136 | n* = 1, 0.5136 | ✔ |"));
        }
    }
}
