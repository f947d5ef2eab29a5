using System.Globalization;
using System.Text;
using OversightLab.Experiments;
using OversightLab.Protocols.Debate;
using ScottPlot;

namespace OversightLab.Reports;

/// <summary>Figures and <c>report.md</c> for a nested-scalable-oversight run folder, from <c>nso.csv</c> only.</summary>
public static class NsoReport
{
    public const string SuccessFigure = "nso_success", StepsFigure = "nso_steps";

    /// <summary>The paper's headline values at Δ = 400 (its code, unrounded fits).</summary>
    public static readonly IReadOnlyDictionary<string, (int Steps, double Success)> PaperAt400 = new Dictionary<string, (int, double)>
    {
        ["Debate"] = (1, 0.5136), ["Mafia"] = (1, 0.1106), ["Backdoor Code"] = (2, 0.2757), ["Wargames"] = (1, 0.0980),
    };

    public static void Write(string folder)
    {
        var rows = CsvTable.Read<NsoRow>(Path.Combine(folder, OversightScalingProtocol.Table)).Where(r => r.Status == "ok").ToList();
        var manifest = Manifest.TryRead(folder);
        if (rows.Count > 0)
        {
            Plot(rows, folder, SuccessFigure, "Nested scalable oversight: success with the best number of steps", "P(oversight succeeds)", r => r.Success);
            Plot(rows, folder, StepsFigure, "Nested scalable oversight: optimal number of steps n*", "n*", r => r.BestSteps);
        }
        var md = new StringBuilder();
        md.AppendLine($"# {manifest?.Experiment ?? "oversight-scaling"} — nested scalable oversight").AppendLine();
        if (manifest?.Definition.TryGetValue("description", out var d) == true && d is string { Length: > 0 } text) md.AppendLine(text.Trim()).AppendLine();
        md.AppendLine("Engels et al. 2025: domain Elo of the guard and the Houdini linear in general Elo; n oversight steps evenly spaced in general Elo from the start; success = product of the guards' win probabilities (Elo law, base 10, scale 400); n* = the best n in 1–max_steps.").AppendLine();
        md.AppendLine($"![success]({SuccessFigure}.png)").AppendLine();
        md.AppendLine($"![n*]({StepsFigure}.png)").AppendLine();
        md.AppendLine("## At a general-Elo gap of 400").AppendLine();
        md.AppendLine("| game | fits | guard (slope, intercept) | Houdini (slope, intercept) | n* | success | one step | paper code (n*, success) |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows.Where(r => Math.Abs(r.Gap - 400) < 1e-9))
        {
            string paper = PaperAt400.TryGetValue(r.Game, out var p) ? string.Create(CultureInfo.InvariantCulture, $"{p.Steps}, {p.Success:0.0000}") : "–";
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Game} | {r.Fits} | {r.GuardSlope:0.000}, {r.GuardIntercept:0.0} | {r.HoudiniSlope:0.000}, {r.HoudiniIntercept:0.0} | {r.BestSteps} | {r.Success:0.0000} | {r.SuccessOneStep:0.0000} | {paper} |"));
        }
        md.AppendLine().AppendLine("Files: `nso.csv` (one row per game and gap), `manifest.json`, figures as PNG and SVG.");
        AtomicFile.WriteText(Path.Combine(folder, "report.md"), md.ToString());
    }

    static void Plot(IReadOnlyList<NsoRow> rows, string folder, string name, string title, string yLabel, Func<NsoRow, double> y)
    {
        var plot = FigureStyle.NewPlot(title, "general-Elo gap Δ between the starting guard and the target Houdini", yLabel);
        int i = 0;
        foreach (var g in rows.GroupBy(r => (r.Game, r.Fits)))
        {
            var points = g.OrderBy(r => r.Gap).ToList();
            var line = plot.Add.Scatter(points.Select(r => r.Gap).ToArray(), points.Select(y).ToArray());
            line.Color = FigureStyle.Palette[i++ % FigureStyle.Palette.Length];
            line.LineWidth = 2;
            line.MarkerSize = 4;
            line.LegendText = g.Key.Fits == OversightScalingProtocol.PaperFits ? g.Key.Game : $"{g.Key.Game} ({g.Key.Fits})";
        }
        var at400 = plot.Add.VerticalLine(400);
        at400.Color = Colors.Gray;
        at400.LinePattern = LinePattern.Dotted;
        plot.Legend.FontName = FigureStyle.FontName;
        plot.ShowLegend(Edge.Right);
        FigureStyle.Save(plot, folder, name, 1000, 560);
    }
}
