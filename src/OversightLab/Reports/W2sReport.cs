using System.Globalization;
using System.Text;
using OversightLab.Experiments;
using OversightLab.Protocols.WeakToStrong;
using ScottPlot;

namespace OversightLab.Reports;

/// <summary>
/// Figures and <c>report.md</c> for a weak-to-strong run folder, read from <c>w2s.csv</c> and
/// <c>manifest.json</c> only (reports never train). Paper's figure 3 style: test accuracy against
/// strong-student size, one line per weak supervisor, the strong ceiling in black.
/// </summary>
public static class W2sReport
{
    public const string AccuracyFigure = "accuracy_vs_strong";
    public const string ReportFile = "report.md";

    /// <summary>One (weak, strong, method) pair aggregated over seeds.</summary>
    /// <param name="Method">the variant: method, plus <c>+finetune</c> when pretrained models were fine-tuned</param>
    public sealed record Pair(string Weak, string Strong, string Method, int WeakRank, int StrongRank, long StrongParams,
        int Seeds, double Weak_, double Student, double StudentSd, double Ceiling, double? Pgr, double? PgrSd, double? PgrCiLow, double? PgrCiHigh,
        double Agreement, double Misfit, double Gain, int GainAtLeastMisfit);

    public static string Variant(W2sRow row) => row.Adapt == "probe" ? row.Method : $"{row.Method}+{row.Adapt}";

    public static IReadOnlyList<Pair> Pairs(IEnumerable<W2sRow> rows) =>
        rows.Where(r => r.Status == "ok")
            .GroupBy(r => (r.WeakModel, r.StrongModel, Variant(r)))
            .Select(g =>
            {
                var pgr = g.Where(r => r.Pgr is not null).Select(r => r.Pgr!.Value).ToArray();
                var low = g.Where(r => r.PgrCiLow is not null).Select(r => r.PgrCiLow!.Value).ToArray();
                var high = g.Where(r => r.PgrCiHigh is not null).Select(r => r.PgrCiHigh!.Value).ToArray();
                var first = g.First();
                return new Pair(first.WeakModel, first.StrongModel, Variant(first), first.WeakRank, first.StrongRank, first.StrongParams, g.Count(),
                    g.Average(r => r.WeakAcc!.Value), g.Average(r => r.StudentAcc!.Value), Sd(g.Select(r => r.StudentAcc!.Value)),
                    g.Average(r => r.CeilingAcc!.Value),
                    pgr.Length > 0 ? pgr.Average() : null, pgr.Length > 1 ? Sd(pgr) : null,
                    low.Length > 0 ? low.Average() : null, high.Length > 0 ? high.Average() : null,
                    g.Average(r => r.StudentWeakAgreement!.Value), g.Average(r => r.Misfit ?? double.NaN), g.Average(r => r.Gain ?? double.NaN),
                    g.Count(r => r.Gain >= r.Misfit));
            })
            .OrderBy(p => p.Method == "xent" ? 0 : 1).ThenBy(p => p.Method).ThenBy(p => p.WeakRank).ThenBy(p => p.StrongRank)
            .ToList();

    /// <summary>Median over pairs of the pair's mean PGR, excluding pairs whose ceiling does not beat the weak supervisor (as the reference code does).</summary>
    public static double? MedianPgr(IEnumerable<Pair> pairs)
    {
        var values = pairs.Where(p => p.Pgr is not null && p.Ceiling > p.Weak_).Select(p => p.Pgr!.Value).OrderBy(v => v).ToArray();
        if (values.Length == 0) return null;
        int mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    public static void Write(string folder)
    {
        var rows = CsvTable.Read<W2sRow>(Path.Combine(folder, WeakToStrongProtocol.Table));
        var pairs = Pairs(rows);
        var manifest = Manifest.TryRead(folder);
        if (pairs.Count > 0)
        {
            AccuracyPlot(pairs, folder);
            foreach (string method in pairs.Select(p => p.Method).Distinct()) PgrHeatmap(pairs.Where(p => p.Method == method).ToList(), method, folder);
        }
        AtomicFile.WriteText(Path.Combine(folder, ReportFile), Markdown(rows, pairs, manifest));
    }

    static void AccuracyPlot(IReadOnlyList<Pair> pairs, string folder)
    {
        var plot = FigureStyle.NewPlot("Weak-to-strong: student accuracy vs strong model size",
            "strong student (parameters, log scale)", "test accuracy");
        var strong = pairs.GroupBy(p => p.Strong).Select(g => g.First()).OrderBy(p => p.StrongRank).ToList();
        double X(Pair p) => Math.Log10(p.StrongParams);

        var weakNames = pairs.OrderBy(p => p.WeakRank).Select(p => p.Weak).Distinct().ToList();
        foreach (var (weak, i) in weakNames.Select((w, i) => (w, i)))
        {
            var color = FigureStyle.Palette[i % FigureStyle.Palette.Length];
            var methods = pairs.Select(p => p.Method).Distinct().ToList();
            foreach (var method in methods)
            {
                var line = pairs.Where(p => p.Weak == weak && p.Method == method).OrderBy(p => p.StrongRank).ToList();
                if (line.Count == 0) continue;
                double[] xs = line.Select(X).ToArray(), ys = line.Select(p => p.Student).ToArray();
                var scatter = plot.Add.Scatter(xs, ys);
                scatter.Color = color;
                scatter.LineWidth = 2;
                scatter.MarkerSize = 8;
                scatter.LinePattern = method == "xent" ? LinePattern.Solid : LinePattern.Dashed;
                scatter.MarkerShape = FigureStyle.Marker(methods.IndexOf(method));
                scatter.LegendText = $"{weak} → student ({method})";
                var bars = plot.Add.ErrorBar(xs, ys, line.Select(p => p.StudentSd).ToArray());
                bars.Color = color;
            }
            double weakAcc = pairs.Where(p => p.Weak == weak).Average(p => p.Weak_);
            var level = plot.Add.HorizontalLine(weakAcc);
            level.Color = color.WithAlpha(0.6);
            level.LinePattern = LinePattern.Dotted;
            level.LineWidth = 1.5f;
            level.LegendText = $"{weak} alone";
        }
        var ceiling = plot.Add.Scatter(strong.Select(X).ToArray(),
            strong.Select(s => pairs.Where(p => p.Strong == s.Strong).Average(p => p.Ceiling)).ToArray());
        ceiling.Color = Colors.Black;
        ceiling.LineWidth = 2.5f;
        ceiling.MarkerSize = 9;
        ceiling.LegendText = "strong ceiling (ground truth)";

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            strong.Select(X).ToArray(), strong.Select(s => $"{s.Strong}\n{s.StrongParams:N0}").ToArray());
        double[] all = pairs.SelectMany(p => new[] { p.Student - p.StudentSd, p.Ceiling, p.Weak_ }).ToArray();
        plot.Axes.SetLimitsY(Math.Floor(all.Min() * 50) / 50 - 0.01, Math.Min(1.0, Math.Ceiling(all.Max() * 50) / 50 + 0.01));
        double[] xAll = strong.Select(X).ToArray();
        double pad = Math.Max(0.15, (xAll.Max() - xAll.Min()) * 0.08);
        plot.Axes.SetLimitsX(xAll.Min() - pad, xAll.Max() + pad);
        plot.Legend.FontName = FigureStyle.FontName;
        plot.ShowLegend(Edge.Right);
        FigureStyle.Save(plot, folder, AccuracyFigure, 1180, 620);
    }

    static void PgrHeatmap(IReadOnlyList<Pair> pairs, string method, string folder)
    {
        var weak = pairs.OrderBy(p => p.WeakRank).Select(p => p.Weak).Distinct().ToList();
        var strong = pairs.OrderBy(p => p.StrongRank).Select(p => p.Strong).Distinct().ToList();
        var plot = FigureStyle.NewPlot($"Performance gap recovered ({method}, mean over seeds)", "strong student", "weak supervisor");
        // ScottPlot draws row 0 at the top; put the weakest supervisor at the bottom.
        var values = new double[weak.Count, strong.Count];
        for (int r = 0; r < weak.Count; r++)
            for (int c = 0; c < strong.Count; c++)
                values[weak.Count - 1 - r, c] = pairs.FirstOrDefault(p => p.Weak == weak[r] && p.Strong == strong[c])?.Pgr ?? double.NaN;
        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.ManualRange = new ScottPlot.Range(0, 1);
        // Cell (row r from the bottom, column c) is centred on (c, r).
        map.Rectangle = new CoordinateRect(-0.5, strong.Count - 0.5, -0.5, weak.Count - 0.5);
        plot.Add.ColorBar(map).Label = "PGR";
        for (int r = 0; r < weak.Count; r++)
            for (int c = 0; c < strong.Count; c++)
            {
                var pair = pairs.FirstOrDefault(p => p.Weak == weak[r] && p.Strong == strong[c]);
                if (pair is null) continue;
                var text = plot.Add.Text(pair.Pgr is double v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "undef.", c, r);
                text.LabelFontName = FigureStyle.FontName;
                text.LabelFontSize = 16;
                text.LabelBold = true;
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontColor = pair.Pgr is > 0.6 ? Colors.Black : Colors.White;
            }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(Enumerable.Range(0, strong.Count).Select(i => (double)i).ToArray(), strong.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(Enumerable.Range(0, weak.Count).Select(i => (double)i).ToArray(), weak.ToArray());
        plot.Axes.SetLimits(-0.5, strong.Count - 0.5, -0.5, weak.Count - 0.5);
        FigureStyle.Save(plot, folder, $"pgr_heatmap_{method}", 820, 560);
    }

    static string Markdown(IReadOnlyList<W2sRow> rows, IReadOnlyList<Pair> pairs, Manifest? manifest)
    {
        var md = new StringBuilder();
        string name = manifest?.Experiment ?? "weak-to-strong";
        md.AppendLine($"# {name} — weak-to-strong report").AppendLine();
        if (manifest?.Definition.TryGetValue("description", out var d) == true && d is string { Length: > 0 } text) md.AppendLine(text.Trim()).AppendLine();
        int ok = rows.Count(r => r.Status == "ok"), failed = rows.Count(r => r.Status != "ok");
        md.AppendLine($"- task: `{rows.FirstOrDefault()?.Task}`, test examples: {rows.FirstOrDefault()?.NTest}, student half: {rows.FirstOrDefault()?.NTrainHalf}");
        md.AppendLine($"- cells: {ok} ok, {failed} failed, of {manifest?.CellsTotal.ToString(CultureInfo.InvariantCulture) ?? "?"}; seeds: {string.Join(", ", rows.Select(r => r.Seed).Distinct())}");
        if (manifest is not null)
        {
            double wall = manifest.Cells.Values.Sum(c => c.WallSeconds);
            md.AppendLine($"- device: {manifest.Device}, threads: {manifest.Threads}, commit: `{manifest.GitCommit}`, compute time summed over cells: {wall:0.0} s");
        }
        md.AppendLine().AppendLine($"![accuracy vs strong size]({AccuracyFigure}.png)").AppendLine();
        md.AppendLine("PGR = (student − weak) / (ceiling − weak) on the shared test set. Table cells: mean ± sd over seeds, then the 95% paired-bootstrap interval over test examples (averaged over seeds). Empty: pair not in the sweep; *undef.*: ceiling − weak < 0.005 in every seed.").AppendLine();
        foreach (var method in pairs.Select(p => p.Method).Distinct())
        {
            var mine = pairs.Where(p => p.Method == method).ToList();
            var weak = mine.OrderBy(p => p.WeakRank).Select(p => p.Weak).Distinct().ToList();
            var strong = mine.OrderBy(p => p.StrongRank).Select(p => p.Strong).Distinct().ToList();
            md.AppendLine($"## PGR — method `{method}`").AppendLine();
            md.AppendLine($"| weak \\ strong | {string.Join(" | ", strong)} |");
            md.AppendLine($"|---|{string.Concat(strong.Select(_ => "---|"))}");
            foreach (var w in weak)
                md.AppendLine($"| {w} | {string.Join(" | ", strong.Select(s => Cell(mine.FirstOrDefault(p => p.Weak == w && p.Strong == s))))} |");
            md.AppendLine().AppendLine($"Median PGR over pairs (pairs with ceiling ≤ weak excluded): **{F(MedianPgr(mine))}**").AppendLine();
            md.AppendLine($"![PGR heatmap](pgr_heatmap_{method}.png)").AppendLine();
        }
        md.AppendLine("## Accuracies (mean over seeds)").AppendLine();
        md.AppendLine("| weak | strong | method | seeds | weak acc | student acc (± sd) | ceiling acc | PGR | student–weak agreement | misfit | gain |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var p in pairs)
            md.AppendLine($"| {p.Weak} | {p.Strong} | {p.Method} | {p.Seeds} | {p.Weak_:0.0000} | {p.Student:0.0000} ± {p.StudentSd:0.0000} | {p.Ceiling:0.0000} | {F(p.Pgr)} | {p.Agreement:0.000} | {p.Misfit:0.0000} | {p.Gain:0.0000} |");
        var squared = pairs.Where(p => p.Method == "sqloss").ToList();
        if (squared.Count > 0)
            md.AppendLine().AppendLine($"Squared loss with a linear probe (Charikar et al. 2024: gain ≥ misfit, with equality in the population for a linear class): " +
                $"gain ≥ misfit in {squared.Sum(p => p.GainAtLeastMisfit)} of {squared.Sum(p => p.Seeds)} cells; gain / misfit over pairs: {string.Join(", ", squared.Select(p => (p.Gain / p.Misfit).ToString("0.00", CultureInfo.InvariantCulture)))}.");
        // One line per distinct note (a failure, an undefined PGR, a bootstrapping chain), with the cells it concerns.
        var notes = rows.Where(r => r.Note.Length > 0).SelectMany(r => r.Note.Split("; ").Select(n => (Note: n, Row: r)))
            .GroupBy(x => System.Text.RegularExpressions.Regex.Replace(x.Note, @"epoch \d+|-?\d+\.\d+", "…")).ToList();
        if (notes.Count > 0)
        {
            md.AppendLine().AppendLine("## Notes").AppendLine();
            foreach (var g in notes)
            {
                var cells = g.Select(x => $"{x.Row.WeakModel} → {x.Row.StrongModel} {Variant(x.Row)} s{x.Row.Seed}{(x.Row.Status == "ok" ? "" : " (" + x.Row.Status + ")")}").ToList();
                string example = g.Count() == 1 ? g.First().Note : g.Key;
                md.AppendLine($"- {example} — {cells.Count} cell{(cells.Count == 1 ? "" : "s")}: {string.Join(", ", cells.Take(6))}{(cells.Count > 6 ? ", …" : "")}");
            }
        }
        md.AppendLine().AppendLine("Files: `w2s.csv` (one row per cell), `manifest.json` (provenance), figures as PNG and SVG.");
        return md.ToString();
    }

    static string Cell(Pair? p) => p is null ? "" : p.Pgr is null ? "*undef.*"
        : $"{p.Pgr:0.00}{(p.PgrSd is double sd ? $" ± {sd:0.00}" : "")} [{F(p.PgrCiLow)}, {F(p.PgrCiHigh)}]";

    static string F(double? v) => v is double x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "–";

    static double Sd(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Length < 2) return 0;
        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
    }
}
