using CsvHelper;
using OversightLab.Experiments;
using OversightLab.Reports;
using OversightLab.Training;

namespace OversightLab.Tests.Reliability;

/// <summary>A cell whose training diverges fails alone: the sweep goes on, the summary lists it, a rerun retries only it.</summary>
public sealed class FaultTests
{
    [Test]
    public void DivergingCellsFailAloneAndAreRetriedAlone()
    {
        string dir = TestPaths.Scratch("faults");
        var protocol = new FlakyProtocol { Diverging = [2, 4] };
        var definition = new ExperimentDefinition("flaky", "", protocol, "flaky.yaml", [0, 1, 2, 3, 4, 5], new object(), new Dictionary<string, object>());
        var first = Runner.Run(definition, new RunOptions(dir, "cpu"));
        var rows = CsvTable.Read<FlakyRow>(Path.Combine(dir, protocol.TableFile));

        protocol.Diverging = [];
        protocol.Ran.Clear();
        var second = Runner.Run(definition, new RunOptions(dir, "cpu"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That((first.Computed, first.Failed), Is.EqualTo((6, 2)), "every cell ran; two failed");
            Assert.That(first.Failures, Has.Count.EqualTo(2).And.All.Contains("loss became NaN"));
            Assert.That(rows.Where(r => r.Status == "failed").Select(r => r.Seed), Is.EqualTo(new[] { 2, 4 }));
            Assert.That(rows.Single(r => r.Seed == 2).Note, Does.Contain("NaN"));
            Assert.That(protocol.Ran, Is.EqualTo(new[] { 2, 4 }), "the rerun retried only the failed cells");
            Assert.That((second.Computed, second.Skipped, second.Failed), Is.EqualTo((2, 4, 0)));
        }
    }

    sealed record FlakyCell(int Index, int Seed) : ICell
    {
        public string Id => $"flaky-{Seed}";
        public string Label => $"seed {Seed}";
    }

    sealed class FlakyProtocol : Protocol<object, FlakyCell, FlakyRow>
    {
        public HashSet<int> Diverging { get; set; } = [];
        public List<int> Ran { get; } = [];
        public override string Name => "flaky";
        public override string TableFile => "flaky.csv";
        public override IReadOnlyList<Field> Fields => [];
        public override object Parse(DefinitionValues values) => new();
        public override IReadOnlyList<FlakyCell> Cells(object settings, IReadOnlyList<int> seeds) => seeds.Select((s, i) => new FlakyCell(i, s)).ToList();
        public override FlakyRow Run(FlakyCell cell, RunContext context)
        {
            Ran.Add(cell.Seed);
            if (Diverging.Contains(cell.Seed)) throw new TrainingDivergedException("training loss became NaN in epoch 1 (lr 10)");
            return new FlakyRow { Seed = cell.Seed, Value = cell.Seed * 0.5, CellId = cell.Id };
        }
        public override FlakyRow Failed(FlakyCell cell, string message) => new() { Seed = cell.Seed, Status = "failed", Note = message, CellId = cell.Id };
        public override string Outcome(FlakyRow row) => $"value {row.Value}";
        public override void Report(string folder) { }
    }
}

[CsvRecord]
public sealed partial class FlakyRow : IResultRow
{
    [CsvColumn("seed")] public int Seed { get; set; }
    [CsvColumn("value")] public double? Value { get; set; }
    [CsvColumn("status")] public string Status { get; set; } = "ok";
    [CsvColumn("note")] public string Note { get; set; } = "";
    [CsvColumn("cell_id")] public string CellId { get; set; } = "";
}
