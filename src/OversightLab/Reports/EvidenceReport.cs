using System.Globalization;
using System.Text;
using OversightLab.Experiments;
using OversightLab.Protocols.Debate;
using ScottPlot;

namespace OversightLab.Reports;

/// <summary>
/// Figure and <c>report.md</c> for an evidence-debate run folder, from <c>debate.csv</c> only:
/// judge accuracy against advocate strength for consultancy and debate, the judge alone (naive)
/// as a level, one colour per judge capacity — the shape of Khan et al. 2024's figure 1.
/// </summary>
public static class EvidenceReport
{
    public const string AccuracyFigure = "evidence_accuracy";

    public static void Write(string folder)
    {
        var all = CsvTable.Read<DebateRow>(Path.Combine(folder, DebateProtocol.Table));
        var rows = all.Where(r => r.Status == "ok").ToList();
        var manifest = Manifest.TryRead(folder);
        string? shown = rows.Where(r => r.Protocol != EvidenceGame.Naive).Select(Verification).OrderByDescending(v => v == "normalized").FirstOrDefault();
        if (shown is not null) Plot(rows, shown, folder);

        var md = new StringBuilder();
        md.AppendLine($"# {manifest?.Experiment ?? "evidence-debate"} — naive judge, consultancy and debate with hidden evidence").AppendLine();
        if (manifest?.Definition.TryGetValue("description", out var d) == true && d is string { Length: > 0 } text) md.AppendLine(text.Trim()).AppendLine();
        md.AppendLine($"- cells: {rows.Count} ok, {all.Count - rows.Count} failed; questions per cell: {rows.FirstOrDefault()?.N}; seeds: {string.Join(", ", rows.Select(r => r.Seed).Distinct())}");
        if (manifest is not null) md.AppendLine($"- device: {manifest.Device}, commit: `{manifest.GitCommit}`, compute time summed over cells: {manifest.Cells.Values.Sum(c => c.WallSeconds):0.0} s");
        md.AppendLine("- judges: " + string.Join("; ", EvidenceJudge.All.Select(j => $"**{j.Name}** {j.Summary}")));
        md.AppendLine("- Khan et al. 2024 (QuALITY, LLM judge): naive 48%, consultancy 54%, debate 76%; accuracy rises with debater strength under debate and falls under consultancy.").AppendLine();
        if (shown is not null) md.AppendLine($"![judge accuracy vs advocate strength]({AccuracyFigure}.png)").AppendLine();
        md.AppendLine("| judge | protocol | quotes | advocate | judge accuracy [95% CI] | judge alone, same questions | questions |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in rows.OrderBy(r => Array.IndexOf(EvidenceJudge.Names.ToArray(), r.Judge)).ThenBy(r => Verification(r)).ThenBy(r => r.Protocol).ThenBy(r => r.Budget))
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Judge} | {r.Protocol} | {Verification(r)} | {(r.Protocol == EvidenceGame.Naive ? "–" : r.Debater)} | {r.JudgeAccuracy:0.000} [{r.CiLow:0.000}, {r.CiHigh:0.000}] | {r.JudgeAloneAccuracy:0.000} | {r.N} |"));
        md.AppendLine().AppendLine("Files: `debate.csv` (one row per cell), `manifest.json`, figures as PNG and SVG.");
        AtomicFile.WriteText(Path.Combine(folder, "report.md"), md.ToString());
    }

    /// <summary>The quote checking of a row ("exact", "normalized"; "-" for the judge alone).</summary>
    public static string Verification(DebateRow r) => r.PixelsOrTask.Contains(", ", StringComparison.Ordinal)
        ? r.PixelsOrTask.Split(", ")[1].Replace(" quotes", "", StringComparison.Ordinal) : "-";

    static void Plot(IReadOnlyList<DebateRow> rows, string verification, string folder)
    {
        var plot = FigureStyle.NewPlot($"Evidence task: judge accuracy vs advocate strength ({verification} quotes)",
            "advocate strength: best of N quote sets per turn (log scale)", "judge accuracy");
        int colour = 0;
        foreach (var judge in rows.Select(r => r.Judge).Distinct().OrderBy(j => Array.IndexOf(EvidenceJudge.Names.ToArray(), j)))
        {
            var color = FigureStyle.Palette[colour++ % FigureStyle.Palette.Length];
            foreach (var protocol in new[] { EvidenceGame.Consultancy, EvidenceGame.Debate })
            {
                var points = rows.Where(r => r.Judge == judge && r.Protocol == protocol && Verification(r) == verification && r.Budget is not null)
                    .GroupBy(r => r.Budget!.Value).OrderBy(g => g.Key).Select(g => (N: g.Key, Acc: DebateReport.Pool(g.ToList(), out var ci), Ci: ci)).ToList();
                if (points.Count == 0) continue;
                double[] xs = points.Select(p => Math.Log2(p.N)).ToArray(), ys = points.Select(p => p.Acc).ToArray();
                var line = plot.Add.Scatter(xs, ys);
                line.Color = color;
                line.LineWidth = 2;
                line.MarkerSize = 8;
                line.MarkerShape = protocol == EvidenceGame.Debate ? MarkerShape.FilledCircle : MarkerShape.OpenSquare;
                line.LinePattern = protocol == EvidenceGame.Debate ? LinePattern.Solid : LinePattern.Dashed;
                line.LegendText = $"{judge} judge, {protocol}";
            }
            var naive = rows.Where(r => r.Judge == judge && r.Protocol == EvidenceGame.Naive).ToList();
            if (naive.Count > 0)
            {
                var level = plot.Add.HorizontalLine(DebateReport.Pool(naive, out _));
                level.Color = color.WithAlpha(0.6);
                level.LinePattern = LinePattern.Dotted;
                level.LegendText = $"{judge} judge alone (naive)";
            }
        }
        var budgets = rows.Where(r => r.Budget is not null).Select(r => r.Budget!.Value).Distinct().Order().ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(budgets.Select(b => Math.Log2(b)).ToArray(), budgets.Select(b => b.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.SetLimitsY(0, 1);
        plot.Legend.FontName = FigureStyle.FontName;
        plot.ShowLegend(Edge.Right);
        FigureStyle.Save(plot, folder, AccuracyFigure, 1180, 620);
    }
}
