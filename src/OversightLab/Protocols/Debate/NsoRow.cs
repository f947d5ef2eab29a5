using CsvHelper;
using OversightLab.Experiments;

namespace OversightLab.Protocols.Debate;

/// <summary>One (game, general-Elo gap) of nested scalable oversight: a row of <c>nso.csv</c>.</summary>
[CsvRecord]
public sealed partial class NsoRow : IResultRow
{
    [CsvColumn("fits")] public string Fits { get; set; } = "";
    [CsvColumn("game")] public string Game { get; set; } = "";
    [CsvColumn("start_elo")] public double StartElo { get; set; }
    /// <summary>General-Elo gap between the starting guard and the target Houdini.</summary>
    [CsvColumn("gap")] public double Gap { get; set; }
    /// <summary>n*: the number of oversight steps with the highest success.</summary>
    [CsvColumn("best_steps")] public int BestSteps { get; set; }
    [CsvColumn("success")] public double Success { get; set; }
    /// <summary>Success with a single step (the guard oversees the target directly).</summary>
    [CsvColumn("success_one_step")] public double SuccessOneStep { get; set; }
    [CsvColumn("guard_slope")] public double GuardSlope { get; set; }
    [CsvColumn("guard_intercept")] public double GuardIntercept { get; set; }
    [CsvColumn("houdini_slope")] public double HoudiniSlope { get; set; }
    [CsvColumn("houdini_intercept")] public double HoudiniIntercept { get; set; }
    [CsvColumn("status")] public string Status { get; set; } = "ok";
    [CsvColumn("note")] public string Note { get; set; } = "";
    [CsvColumn("cell_id")] public string CellId { get; set; } = "";
}
