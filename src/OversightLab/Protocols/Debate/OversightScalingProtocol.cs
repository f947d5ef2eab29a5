// Scaling laws for scalable oversight — Engels et al. 2025, "Scaling Laws For Scalable Oversight"
// (code: oversight-scaling-laws, theory-predictions notebook). Each game's guard and Houdini have
// domain Elo linear in general Elo; nested scalable oversight climbs a general-Elo gap Δ from a
// start of 1103 in n evenly spaced steps, succeeds only if every step's guard wins (Elo law, base
// 10, scale 400), and picks the best n in 1–20. This protocol tabulates n* and the success against
// Δ with the paper's fits (unrounded, as in its code, or rounded as printed). Pure arithmetic: no
// training. Debater Elo from our own MNIST tournaments is in the debate report.
using System.Globalization;
using OversightLab.Experiments;
using OversightLab.Metrics;
using OversightLab.Protocols.WeakToStrong;
using OversightLab.Reports;

namespace OversightLab.Protocols.Debate;

/// <summary>A nested-scalable-oversight definition's keys, typed.</summary>
public sealed record NsoSettings(string Fits, IReadOnlyList<string> Games, double StartElo, IReadOnlyList<double> Gaps, int MaxSteps);

/// <summary>One (fits, game, gap) evaluation.</summary>
public sealed record NsoCell(int Index, string Fits, string Game, double StartElo, double Gap, int MaxSteps, int Seed) : ICell
{
    public string Id => W2sCell.Hash(FormattableString.Invariant($"nso-1|{Fits}|{Game}|start={StartElo:R}|gap={Gap:R}|max={MaxSteps}"));
    public string Label => FormattableString.Invariant($"{Game} ({Fits} fits) · Δ = {Gap}");
}

public sealed class OversightScalingProtocol : Protocol<NsoSettings, NsoCell, NsoRow>
{
    public const string ProtocolName = "oversight-scaling";
    public const string Table = "nso.csv";
    public const string PaperFits = "paper", RoundedFits = "paper-rounded";

    public override string Name => ProtocolName;
    public override string TableFile => Table;

    static IReadOnlyList<OversightScaling.Game> FitsFor(string fits) => fits == RoundedFits ? OversightScaling.PaperGamesRounded : OversightScaling.PaperGames;

    public override IReadOnlyList<Field> Fields { get; } =
    [
        new("fits", FieldKind.String, "Domain-Elo fits: the paper code's unrounded linear fits, or the rounded ones it prints.")
            { Default = PaperFits, Choices = () => [PaperFits, RoundedFits] },
        new("games", FieldKind.String, "Oversight games; a list is a grid axis.")
            { Grid = true, Default = "Debate", Choices = () => OversightScaling.PaperGames.Select(g => g.Name).ToArray() },
        new("start_elo", FieldKind.Number, "General Elo of the starting guard (the paper: 1103).") { Min = -10_000, Max = 10_000, Default = OversightScaling.PaperStartElo },
        new("gaps", FieldKind.Mapping, "General-Elo gaps Δ between the starting guard and the target Houdini: from, to, step.")
        {
            Children =
            [
                new("from", FieldKind.Number, "Smallest gap.") { Min = 0, Max = 10_000, Default = 0.0 },
                new("to", FieldKind.Number, "Largest gap.") { Min = 0, Max = 10_000, Default = 2000.0 },
                new("step", FieldKind.Number, "Spacing.") { Min = 1, Max = 10_000, Default = 50.0 },
            ],
        },
        new("max_steps", FieldKind.Integer, "Largest number of oversight steps tried (the paper: 20).") { Min = 1, Max = 200, Default = (long)OversightScaling.PaperMaxSteps },
    ];

    public override NsoSettings Parse(DefinitionValues values)
    {
        double from = values.Number("gaps.from"), to = values.Number("gaps.to"), step = values.Number("gaps.step");
        if (to < from) throw values.Error("gaps.to", $"{to} is below gaps.from ({from})");
        int count = (int)Math.Floor((to - from) / step + 1e-9) + 1;
        var gaps = Enumerable.Range(0, count).Select(i => from + i * step).ToList();
        return new NsoSettings(values.String("fits"), values.Strings("games"), values.Number("start_elo"), gaps, values.Integer("max_steps"));
    }

    public override IReadOnlyList<NsoCell> Cells(NsoSettings s, IReadOnlyList<int> seeds) =>
        (from game in s.Games from gap in s.Gaps select (game, gap))
            .Select((c, i) => new NsoCell(i, s.Fits, c.game, s.StartElo, c.gap, s.MaxSteps, seeds[0])).ToList();

    public override NsoRow Run(NsoCell cell, RunContext context)
    {
        var game = FitsFor(cell.Fits).Single(g => g.Name == cell.Game);
        var (steps, success) = OversightScaling.Optimal(game, cell.StartElo, cell.Gap, cell.MaxSteps);
        var guard = (OversightScaling.Linear)game.Guard;
        var houdini = (OversightScaling.Linear)game.Houdini;
        return new NsoRow
        {
            Fits = cell.Fits, Game = cell.Game, StartElo = cell.StartElo, Gap = cell.Gap,
            BestSteps = steps, Success = success, SuccessOneStep = OversightScaling.Success(game, cell.StartElo, cell.Gap, 1),
            GuardSlope = guard.Slope, GuardIntercept = guard.Intercept, HoudiniSlope = houdini.Slope, HoudiniIntercept = houdini.Intercept,
            CellId = cell.Id,
        };
    }

    public override NsoRow Failed(NsoCell cell, string message) =>
        new() { Fits = cell.Fits, Game = cell.Game, StartElo = cell.StartElo, Gap = cell.Gap, Status = "failed", Note = message, CellId = cell.Id };

    public override string Outcome(NsoRow row) => string.Create(CultureInfo.InvariantCulture, $"n* = {row.BestSteps}, success {row.Success:0.0000}");

    public override void Report(string folder) => NsoReport.Write(folder);

    public override void Summarize(string reproductionFolder, IReadOnlyList<(ExperimentDefinition Definition, string Folder)> runs) =>
        DebateSummary.Write(reproductionFolder);
}
