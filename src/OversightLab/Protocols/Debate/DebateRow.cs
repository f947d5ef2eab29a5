using CsvHelper;
using OversightLab.Experiments;

namespace OversightLab.Protocols.Debate;

/// <summary>
/// One debate cell's result: a row of <c>debate.csv</c>. Judge accuracy is the fraction of
/// questions (test digits) where the judge's final verdict is the truth — for a debate between an
/// honest debater and a liar, the honest win rate — with a 95% Wilson interval.
/// </summary>
[CsvRecord]
public sealed partial class DebateRow : IResultRow
{
    [CsvColumn("task")] public string Task { get; set; } = "";
    /// <summary><c>judge-alone</c> or <c>debate</c> (evidence tasks: <c>naive</c>, <c>consultancy</c>, <c>debate</c>).</summary>
    [CsvColumn("protocol")] public string Protocol { get; set; } = "";
    [CsvColumn("judge")] public string Judge { get; set; } = "";
    /// <summary>MNIST: the number of revealed pixels k; evidence tasks: the task's name.</summary>
    [CsvColumn("pixels_or_task")] public string PixelsOrTask { get; set; } = "";
    /// <summary>The pairing: one name when a debater argues against itself, else "honest vs liar".</summary>
    [CsvColumn("debater")] public string Debater { get; set; } = "";
    [CsvColumn("honest_debater")] public string HonestDebater { get; set; } = "";
    [CsvColumn("liar_debater")] public string LiarDebater { get; set; } = "";
    [CsvColumn("precommit")] public bool? Precommit { get; set; }
    [CsvColumn("first_mover")] public string FirstMover { get; set; } = "";
    /// <summary>Search budget: rollouts per move of the strongest debater (0 greedy; empty for random or the judge alone).</summary>
    [CsvColumn("budget")] public int? Budget { get; set; }
    [CsvColumn("seed")] public int Seed { get; set; }
    /// <summary>Questions judged (test digits).</summary>
    [CsvColumn("n")] public int N { get; set; }
    [CsvColumn("correct")] public int? Correct { get; set; }
    [CsvColumn("judge_accuracy")] public double? JudgeAccuracy { get; set; }
    [CsvColumn("ci_low")] public double? CiLow { get; set; }
    [CsvColumn("ci_high")] public double? CiHigh { get; set; }
    /// <summary>The same judge alone on the same questions (random evidence), for a paired comparison.</summary>
    [CsvColumn("judge_alone_accuracy")] public double? JudgeAloneAccuracy { get; set; }
    /// <summary>Games played: with precommit one per lie per question (the liar wins a question if any lie wins).</summary>
    [CsvColumn("games")] public int? Games { get; set; }
    /// <summary>With precommit, the mean number of lies (of 9) that beat the honest debater per question.</summary>
    [CsvColumn("lies_won_mean")] public double? LiesWonMean { get; set; }
    /// <summary>Positions the judge scored, search included.</summary>
    [CsvColumn("judge_evaluations")] public long? JudgeEvaluations { get; set; }
    [CsvColumn("judge_train_batches")] public int? JudgeTrainBatches { get; set; }
    [CsvColumn("status")] public string Status { get; set; } = "ok";
    [CsvColumn("note")] public string Note { get; set; } = "";
    [CsvColumn("cell_id")] public string CellId { get; set; } = "";
}
