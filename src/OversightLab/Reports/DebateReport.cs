using System.Globalization;
using System.Text;
using OversightLab.Experiments;
using OversightLab.Metrics;
using OversightLab.Protocols.Debate;
using ScottPlot;

namespace OversightLab.Reports;

/// <summary>
/// Figures and <c>report.md</c> for a debate run folder, from <c>debate.csv</c> and
/// <c>manifest.json</c> only (reports never train): judge accuracy by condition next to the
/// paper's, accuracy against the search budget, and Elo ratings when the run is a tournament.
/// </summary>
public static class DebateReport
{
    public const string ReportFile = "report.md";
    public const string ConditionsFigure = "judge_accuracy", BudgetFigure = "accuracy_vs_budget", EloFigure = "elo";

    /// <summary>The four debate conditions in the order the paper's table gives them.</summary>
    public static readonly (bool Precommit, string FirstMover)[] Conditions =
        [(false, "honest"), (false, "liar"), (true, "honest"), (true, "liar")];

    public static IReadOnlyList<DebateRow> Read(string folder) =>
        CsvTable.Read<DebateRow>(Path.Combine(folder, DebateProtocol.Table)).Where(r => r.Status == "ok").ToList();

    public static void Write(string folder)
    {
        var all = CsvTable.Read<DebateRow>(Path.Combine(folder, DebateProtocol.Table));
        var rows = all.Where(r => r.Status == "ok").ToList();
        var manifest = Manifest.TryRead(folder);
        var figures = new List<(string File, string Caption)>();
        if (rows.Count > 0 && ConditionsPlot(rows, folder)) figures.Add((ConditionsFigure, "Judge accuracy by condition; hollow diamonds: the paper"));
        if (BudgetPlot(rows, folder)) figures.Add((BudgetFigure, "Judge accuracy (honest win rate) against the debaters' search budget"));
        var tournaments = Tournaments(rows);
        if (tournaments.Count > 0)
        {
            EloPlot(tournaments[0], folder);
            figures.Add((EloFigure, "Elo ratings from the tournament, pooled and by side"));
        }
        AtomicFile.WriteText(Path.Combine(folder, ReportFile), Markdown(all, rows, tournaments, manifest, figures));
    }

    /// <summary>A tournament's ratings for one (k, judge, precommit, first mover) setting.</summary>
    public sealed record EloTable(string Setting, IReadOnlyList<string> Debaters, double[] Pooled, Interval[] PooledCi,
        double[] Honest, Interval[] HonestCi, double[] Liar, Interval[] LiarCi);

    /// <summary>
    /// Elo per debater from tournament rows (every ordered pair played): pooled — debater a as
    /// honest beat debater b as liar on each question it won — and split by side, where a
    /// debater's honest and lying selves are separate players; their difference is the
    /// "truth advantage" (Khan et al. 2024).
    /// </summary>
    public static IReadOnlyList<EloTable> Tournaments(IReadOnlyList<DebateRow> rows)
    {
        var result = new List<EloTable>();
        foreach (var group in rows.Where(r => r.Protocol == "debate").GroupBy(r => (r.PixelsOrTask, r.Judge, r.Precommit, r.FirstMover, r.Seed)))
        {
            var games = group.ToList();
            if (!games.Any(r => r.HonestDebater != r.LiarDebater)) continue;
            var names = games.SelectMany(r => new[] { r.HonestDebater, r.LiarDebater }).Distinct()
                .OrderBy(n => DebaterSpec.Parse(n)?.Strength ?? int.MaxValue).ThenBy(n => n, StringComparer.Ordinal).ToList();
            int Index(string n) => names.IndexOf(n);
            var pooled = games.Where(r => r.HonestDebater != r.LiarDebater)
                .Select(r => new Elo.Match(Index(r.HonestDebater), Index(r.LiarDebater), r.Correct ?? 0, r.N)).ToList();
            var sided = games.Select(r => new Elo.Match(Index(r.HonestDebater), names.Count + Index(r.LiarDebater), r.Correct ?? 0, r.N)).ToList();
            var p = Elo.Fit(names.Count, pooled);
            var pci = Elo.Intervals(names.Count, pooled, seed: 1);
            var s = Elo.Fit(2 * names.Count, sided);
            var sci = Elo.Intervals(2 * names.Count, sided, seed: 2);
            string setting = $"k={group.Key.PixelsOrTask}, {group.Key.Judge}, {(group.Key.Precommit == true ? "precommit" : "no precommit")}, {group.Key.FirstMover} first, seed {group.Key.Seed}";
            result.Add(new EloTable(setting, names, p, pci, s[..names.Count], sci[..names.Count], s[names.Count..], sci[names.Count..]));
        }
        return result;
    }

    static bool ConditionsPlot(IReadOnlyList<DebateRow> rows, string folder)
    {
        // One group per (k, judge); bars: the judge alone, then the four debate conditions for the
        // strongest self-play debater measured in that group.
        var groups = rows.GroupBy(r => (K: int.Parse(r.PixelsOrTask, CultureInfo.InvariantCulture), r.Judge)).OrderBy(g => g.Key.K).ThenBy(g => g.Key.Judge).ToList();
        var plot = FigureStyle.NewPlot("MNIST debate: judge accuracy", "", "judge accuracy (honest win rate)");
        string[] labels = ["judge alone", "no precommit, honest first", "no precommit, liar first", "precommit, honest first", "precommit, liar first"];
        var ticks = new List<(double, string)>();
        bool any = false;
        for (int g = 0; g < groups.Count; g++)
        {
            var (k, judge) = groups[g].Key;
            var alone = groups[g].Where(r => r.Protocol == "judge-alone").ToList();
            var debater = Headline(groups[g]);
            double x0 = g * (labels.Length + 1.5);
            ticks.Add((x0 + 2, $"k = {k}, {judge}\n{(debater is null ? "" : "debaters: " + debater)}"));
            for (int c = 0; c < labels.Length; c++)
            {
                var cell = c == 0 ? alone : groups[g].Where(r => r.Protocol == "debate" && r.Debater == debater
                    && r.Precommit == Conditions[c - 1].Precommit && r.FirstMover == Conditions[c - 1].FirstMover).ToList();
                if (cell.Count == 0) continue;
                double acc = Pool(cell, out var ci);
                var bar = plot.Add.Bar(new Bar { Position = x0 + c, Value = acc, FillColor = FigureStyle.Palette[c], Error = 0 });
                var err = Bars(plot, [x0 + c], [acc], [acc - ci.Low], [ci.High - acc]);
                err.Color = Colors.Black;
                double? paper = c == 0 ? IrvingPaper.JudgeAlone(k) : IrvingPaper.Debate(k, Conditions[c - 1].Precommit, Conditions[c - 1].FirstMover == "honest");
                if (paper is double v)
                {
                    var marker = plot.Add.Marker(x0 + c, v);
                    marker.Shape = MarkerShape.OpenDiamond;
                    marker.Size = 12;
                    marker.Color = Colors.Black;
                }
                any = true;
            }
        }
        if (!any) return false;
        for (int c = 0; c < labels.Length; c++)
        {
            var legend = plot.Add.Scatter(new double[] { double.NaN }, new double[] { double.NaN });
            legend.Color = FigureStyle.Palette[c];
            legend.LegendText = labels[c];
            legend.MarkerSize = 10;
            legend.MarkerShape = MarkerShape.FilledSquare;
        }
        var paperLegend = plot.Add.Scatter(new double[] { double.NaN }, new double[] { double.NaN });
        paperLegend.MarkerShape = MarkerShape.OpenDiamond;
        paperLegend.Color = Colors.Black;
        paperLegend.LegendText = "Irving et al. 2018";
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.Select(t => t.Item1).ToArray(), ticks.Select(t => t.Item2).ToArray());
        plot.Axes.SetLimitsY(0, 1);
        plot.Legend.FontName = FigureStyle.FontName;
        plot.ShowLegend(Edge.Right);
        FigureStyle.Save(plot, folder, ConditionsFigure, 1180, 620);
        return true;
    }

    static bool BudgetPlot(IReadOnlyList<DebateRow> rows, string folder)
    {
        var selfPlay = rows.Where(r => r.Protocol == "debate" && r.HonestDebater == r.LiarDebater && r.Budget is not null).ToList();
        var series = selfPlay.GroupBy(r => (r.PixelsOrTask, r.Judge, r.Precommit, r.FirstMover)).Where(g => g.Select(r => r.Budget).Distinct().Count() > 1).ToList();
        if (series.Count == 0) return false;
        var plot = FigureStyle.NewPlot("MNIST debate: judge accuracy vs search budget (self-play)", "rollouts per move (0 = greedy; log scale)", "judge accuracy (honest win rate)");
        double X(int budget) => Math.Log2(budget + 1);
        int i = 0;
        foreach (var s in series.OrderBy(s => s.Key.PixelsOrTask).ThenBy(s => s.Key.Precommit).ThenBy(s => s.Key.FirstMover))
        {
            var points = s.GroupBy(r => r.Budget!.Value).OrderBy(g => g.Key).Select(g => (Budget: g.Key, Acc: Pool(g.ToList(), out var ci), Ci: ci, N: g.Sum(r => r.N))).ToList();
            double[] xs = points.Select(p => X(p.Budget)).ToArray(), ys = points.Select(p => p.Acc).ToArray();
            var color = FigureStyle.Palette[i++ % FigureStyle.Palette.Length];
            var line = plot.Add.Scatter(xs, ys);
            line.Color = color;
            line.LineWidth = 2;
            line.MarkerSize = 8;
            line.LinePattern = s.Key.Precommit == true ? LinePattern.Solid : LinePattern.Dashed;
            line.LegendText = $"k = {s.Key.PixelsOrTask}, {(s.Key.Precommit == true ? "precommit" : "no precommit")}, {s.Key.FirstMover} first (n = {string.Join("/", points.Select(p => p.N).Distinct())})";
            var err = Bars(plot, xs, ys, points.Select(p => p.Acc - p.Ci.Low).ToArray(), points.Select(p => p.Ci.High - p.Acc).ToArray());
            err.Color = color;
        }
        var budgets = selfPlay.Select(r => r.Budget!.Value).Distinct().Order().ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(budgets.Select(b => X(b)).ToArray(), budgets.Select(b => b == 0 ? "greedy" : b.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.SetLimitsY(0, 1);
        plot.Legend.FontName = FigureStyle.FontName;
        plot.ShowLegend(Edge.Right);
        FigureStyle.Save(plot, folder, BudgetFigure, 1180, 620);
        return true;
    }

    static void EloPlot(EloTable t, string folder)
    {
        var plot = FigureStyle.NewPlot($"Debater Elo ({t.Setting})", "debater", "Elo (mean 1000; 95% bootstrap interval)");
        string[] series = ["pooled", "as honest", "as liar"];
        var values = new[] { t.Pooled, t.Honest, t.Liar };
        var intervals = new[] { t.PooledCi, t.HonestCi, t.LiarCi };
        for (int s = 0; s < series.Length; s++)
        {
            for (int d = 0; d < t.Debaters.Count; d++)
            {
                double x = d * 4 + s;
                plot.Add.Bar(new Bar { Position = x, Value = values[s][d], FillColor = FigureStyle.Palette[s], ValueBase = 0 });
                var err = Bars(plot, [x], [values[s][d]], [values[s][d] - intervals[s][d].Low], [intervals[s][d].High - values[s][d]]);
                err.Color = Colors.Black;
            }
            var legend = plot.Add.Scatter(new double[] { double.NaN }, new double[] { double.NaN });
            legend.Color = FigureStyle.Palette[s];
            legend.MarkerShape = MarkerShape.FilledSquare;
            legend.MarkerSize = 10;
            legend.LegendText = series[s];
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, t.Debaters.Count).Select(d => d * 4 + 1.0).ToArray(), t.Debaters.ToArray());
        double low = intervals.SelectMany(i => i).Min(i => i.Low), high = intervals.SelectMany(i => i).Max(i => i.High);
        plot.Axes.SetLimitsY(Math.Floor((low - 50) / 100) * 100, Math.Ceiling((high + 50) / 100) * 100);
        plot.Legend.FontName = FigureStyle.FontName;
        plot.ShowLegend(Edge.Right);
        FigureStyle.Save(plot, folder, EloFigure, 1000, 560);
    }

    /// <summary>Asymmetric vertical error bars (below, above) at each point.</summary>
    static ScottPlot.Plottables.ErrorBar Bars(Plot plot, double[] xs, double[] ys, double[] below, double[] above)
    {
        var none = new double[xs.Length];
        var bars = new ScottPlot.Plottables.ErrorBar(xs, ys, none, none, above, below);
        plot.Add.Plottable(bars);
        return bars;
    }

    /// <summary>The self-play debater with the largest budget in a group (the headline debater), or null.</summary>
    public static string? Headline(IEnumerable<DebateRow> rows) => rows.Where(r => r.Protocol == "debate" && r.HonestDebater == r.LiarDebater)
        .OrderByDescending(r => DebaterSpec.Parse(r.Debater)?.Strength ?? -2).ThenByDescending(r => r.N).Select(r => r.Debater).FirstOrDefault();

    /// <summary>Accuracy pooled over rows (seeds) and its Wilson interval.</summary>
    public static double Pool(IReadOnlyList<DebateRow> rows, out Interval interval)
    {
        int correct = rows.Sum(r => r.Correct ?? 0), n = rows.Sum(r => r.N);
        interval = Wilson.Interval(correct, n);
        return n == 0 ? double.NaN : (double)correct / n;
    }

    static string Markdown(IReadOnlyList<DebateRow> all, IReadOnlyList<DebateRow> rows, IReadOnlyList<EloTable> tournaments, Manifest? manifest,
        IReadOnlyList<(string File, string Caption)> figures)
    {
        var md = new StringBuilder();
        md.AppendLine($"# {manifest?.Experiment ?? "debate"} — MNIST debate report").AppendLine();
        if (manifest?.Definition.TryGetValue("description", out var d) == true && d is string { Length: > 0 } text) md.AppendLine(text.Trim()).AppendLine();
        int failed = all.Count(r => r.Status != "ok");
        md.AppendLine($"- cells: {rows.Count} ok, {failed} failed, of {manifest?.CellsTotal.ToString(CultureInfo.InvariantCulture) ?? "?"}; seeds: {string.Join(", ", rows.Select(r => r.Seed).Distinct())}");
        if (manifest is not null)
            md.AppendLine($"- device: {manifest.Device}, threads: {manifest.Threads}, commit: `{manifest.GitCommit}`, compute time summed over cells: {manifest.Cells.Values.Sum(c => c.WallSeconds):0.0} s");
        md.AppendLine("- judge accuracy = fraction of test digits where the judge's final verdict is the truth (in a debate: the honest win rate); brackets: 95% Wilson interval. Paper: Irving et al. 2018 (MCTS debaters, 10k rollouts; per-first-mover values from a secondary source).").AppendLine();
        foreach (var (file, caption) in figures) md.AppendLine($"![{caption}]({file}.png)").AppendLine();

        md.AppendLine("## Judge alone (k random nonzero pixels)").AppendLine();
        md.AppendLine("| k | judge | training batches | digits | judge accuracy [95% CI] | paper |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var g in rows.Where(r => r.Protocol == "judge-alone").GroupBy(r => (r.PixelsOrTask, r.Judge, r.JudgeTrainBatches, r.N)).OrderBy(g => g.Key.PixelsOrTask))
        {
            double acc = Pool(g.ToList(), out var ci);
            md.AppendLine($"| {g.Key.PixelsOrTask} | {g.Key.Judge} | {g.Key.JudgeTrainBatches:N0} | {g.Sum(r => r.N)} | {acc:0.000} [{ci.Low:0.000}, {ci.High:0.000}] | {F(IrvingPaper.JudgeAlone(int.Parse(g.Key.PixelsOrTask, CultureInfo.InvariantCulture)))} |");
        }
        md.AppendLine().AppendLine("## Debates").AppendLine();
        md.AppendLine("| k | judge | honest | liar | precommit | first mover | digits | judge accuracy [95% CI] | judge alone, same digits | lies that won (of 9) | paper | judge evaluations |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows.Where(r => r.Protocol == "debate")
            .OrderBy(r => r.PixelsOrTask).ThenBy(r => r.Judge).ThenBy(r => DebaterSpec.Parse(r.HonestDebater)?.Strength).ThenBy(r => DebaterSpec.Parse(r.LiarDebater)?.Strength)
            .ThenBy(r => r.Precommit).ThenBy(r => r.FirstMover).ThenBy(r => r.Seed))
        {
            // The paper's numbers are for strong debaters in self-play; other pairings have none.
            bool comparable = r.HonestDebater == r.LiarDebater && DebaterSpec.Parse(r.HonestDebater)?.Random == false;
            double? paper = comparable ? IrvingPaper.Debate(int.Parse(r.PixelsOrTask, CultureInfo.InvariantCulture), r.Precommit == true, r.FirstMover == "honest") : null;
            md.AppendLine($"| {r.PixelsOrTask} | {r.Judge} | {r.HonestDebater} | {r.LiarDebater} | {(r.Precommit == true ? "yes" : "no")} | {r.FirstMover} | {r.N} | " +
                $"{r.JudgeAccuracy:0.000} [{r.CiLow:0.000}, {r.CiHigh:0.000}] | {r.JudgeAloneAccuracy:0.000} | {(r.LiesWonMean is double l ? l.ToString("0.00", CultureInfo.InvariantCulture) : "–")} | {F(paper)} | {r.JudgeEvaluations:N0} |");
        }
        foreach (var t in tournaments)
        {
            md.AppendLine().AppendLine($"## Elo ({t.Setting})").AppendLine();
            md.AppendLine("Maximum-likelihood Elo (logistic, base 10, scale 400; mean 1000) from the tournament's win counts, 95% bootstrap intervals. *Truth advantage* = Elo as honest − Elo as liar.").AppendLine();
            md.AppendLine("| debater | Elo (pooled) | Elo as honest | Elo as liar | truth advantage |");
            md.AppendLine("|---|---|---|---|---|");
            for (int i = 0; i < t.Debaters.Count; i++)
                md.AppendLine($"| {t.Debaters[i]} | {t.Pooled[i]:0} [{t.PooledCi[i].Low:0}, {t.PooledCi[i].High:0}] | {t.Honest[i]:0} [{t.HonestCi[i].Low:0}, {t.HonestCi[i].High:0}] | {t.Liar[i]:0} [{t.LiarCi[i].Low:0}, {t.LiarCi[i].High:0}] | {t.Honest[i] - t.Liar[i]:0} |");
        }
        var notes = all.Where(r => r.Note.Length > 0).ToList();
        if (notes.Count > 0)
        {
            md.AppendLine().AppendLine("## Notes").AppendLine();
            foreach (var r in notes) md.AppendLine($"- k={r.PixelsOrTask} {r.Judge} {r.Protocol} {r.Debater} ({r.Status}): {r.Note}");
        }
        md.AppendLine().AppendLine("Files: `debate.csv` (one row per cell), `manifest.json` (provenance), figures as PNG and SVG.");
        return md.ToString();
    }

    static string F(double? v) => v is double x ? x.ToString("0.000", CultureInfo.InvariantCulture) : "–";
}
