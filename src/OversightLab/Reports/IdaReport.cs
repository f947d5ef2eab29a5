using System.Globalization;
using System.Text;
using OversightLab.Experiments;
using OversightLab.Protocols.Amplification;
using ScottPlot;

namespace OversightLab.Reports;

/// <summary>
/// Figures and <c>report.md</c> for an amplification run folder, read from <c>ida.csv</c> and
/// <c>manifest.json</c> only (reports never train): accuracy against steps per task (amplification
/// against supervised), accuracy per question level (the frontier amplification pushes up one
/// level per iteration), and final accuracy against the overseer's error rate ε. Also the
/// reproduction summary, <c>results/ida/README.md</c>, across several run folders.
/// </summary>
public static class IdaReport
{
    public const string ReportFile = "report.md";
    /// <summary>The parity target: amplification within this much of supervised's final accuracy …</summary>
    public const double ParityGap = 0.02;
    /// <summary>… using at most this many times the supervised steps.</summary>
    public const double ParitySteps = 2.0;

    /// <summary>One cell's learning curve (averaged over seeds when a run has several).</summary>
    public sealed record Curve(string Task, int Size, string Method, double Error, string ErrorKind, int Depth, double? Confidence, int Seeds,
        IReadOnlyList<IdaRow> Points, IReadOnlyDictionary<int, IReadOnlyList<IdaRow>> ByLevel)
    {
        public string TaskLabel => $"{Task} {Size}";
        public IdaRow Final => Points[^1];
        public bool Faulty => Error > 0 || Depth > 0;
        public string Overseer => Method == IdaMethods.Supervised ? "ground truth"
            : (Error > 0 ? $"ε = {Error.ToString("0.###", CultureInfo.InvariantCulture)} {ErrorKind}" : "ε = 0") + (Depth > 0 ? $", depth {Depth}" : "")
              + (Confidence is double c ? (c > 0 ? $", H′ consults H below {c:0.##}" : ", H′ never consults H") : "");

        /// <summary>The first measured step at which accuracy reaches <paramref name="target"/>, if any.</summary>
        public int? StepReaching(double target) => Points.FirstOrDefault(p => p.Accuracy >= target - 1e-12)?.Step;
    }

    /// <summary>One task's parity comparison: the best amplification method against supervised.</summary>
    public sealed record Parity(string Task, Curve Supervised, Curve Amplified)
    {
        public double Gap => Amplified.Final.Accuracy - Supervised.Final.Accuracy;
        public double StepRatio => (double)Amplified.Final.Step / Supervised.Final.Step;
        public int? StepsToParity => Amplified.StepReaching(Supervised.Final.Accuracy - ParityGap);
        public bool Met => Gap >= -ParityGap - 1e-12 && StepsToParity is int s && s <= ParitySteps * Supervised.Final.Step;
        public double OracleRatio => Supervised.Final.LabelsUsed == 0 ? double.NaN : (double)Amplified.Final.OracleCalls / Supervised.Final.LabelsUsed;
    }

    public static IReadOnlyList<Curve> Curves(IEnumerable<IdaRow> rows) =>
        rows.Where(r => r.Status == "ok")
            .GroupBy(r => (r.Task, r.Size, r.Method, r.OverseerError, r.OverseerErrors, r.OverseerDepth, r.OverseerConfidence))
            .Select(g =>
            {
                int seeds = g.Select(r => r.Seed).Distinct().Count();
                IReadOnlyList<IdaRow> Mean(IEnumerable<IdaRow> some) => some.GroupBy(r => r.Step).OrderBy(s => s.Key).Select(s => Average(s.ToList())).ToList();
                var byLevel = g.Where(r => r.Level is not null).GroupBy(r => r.Level!.Value)
                    .ToDictionary(l => l.Key, l => Mean(l));
                var k = g.Key;
                return new Curve(k.Task, k.Size, k.Method, k.OverseerError, k.OverseerErrors, k.OverseerDepth, k.OverseerConfidence, seeds,
                    Mean(g.Where(r => r.Level is null)), byLevel);
            })
            .OrderBy(c => c.Task).ThenBy(c => c.Size).ThenBy(c => IdaMethods.All.ToList().IndexOf(c.Method))
            .ThenBy(c => c.ErrorKind).ThenBy(c => c.Error).ThenBy(c => c.Depth)
            .ToList();

    static IdaRow Average(IReadOnlyList<IdaRow> rows)
    {
        var first = rows[0];
        double? Mean(Func<IdaRow, double?> f) => rows.All(r => f(r) is null) ? null : rows.Where(r => f(r) is not null).Average(r => f(r)!.Value);
        return new IdaRow
        {
            Task = first.Task, Size = first.Size, Method = first.Method, Level = first.Level, Step = first.Step,
            Iteration = first.Iteration, Accuracy = rows.Average(r => r.Accuracy), AccuracyCiLow = rows.Average(r => r.AccuracyCiLow),
            AccuracyCiHigh = rows.Average(r => r.AccuracyCiHigh), TestQuestions = first.TestQuestions, TargetAccuracy = Mean(r => r.TargetAccuracy),
            OracleCalls = (long)rows.Average(r => r.OracleCalls), LabelsUsed = (long)rows.Average(r => r.LabelsUsed),
            Lookups = (long)rows.Average(r => r.Lookups), Examples = (long)rows.Average(r => r.Examples),
            OverseerError = first.OverseerError, OverseerErrors = first.OverseerErrors, OverseerDepth = first.OverseerDepth,
            FixedPointAccuracy = Mean(r => r.FixedPointAccuracy), OverseerMoveAccuracy = Mean(r => r.OverseerMoveAccuracy),
            OverseerConfidence = first.OverseerConfidence,
            Seed = first.Seed,
        };
    }

    /// <summary>Per task: supervised against the amplification method (fault-free overseer) that ends closest to it, learned H′ preferred on a tie.</summary>
    public static IReadOnlyList<Parity> Parities(IReadOnlyList<Curve> curves) =>
        curves.Where(c => c.Method == IdaMethods.Supervised)
            .SelectMany(s => curves.Where(a => a.Task == s.Task && a.Size == s.Size && IdaMethods.UsesOverseer(a.Method) && !a.Faulty)
                .OrderByDescending(a => Math.Round(a.Final.Accuracy, 6)).ThenBy(a => a.Method == IdaMethods.LearnedOverseer ? 0 : 1)
                .Take(1).Select(a => new Parity(s.TaskLabel, s, a)))
            .ToList();

    public static void Write(string folder)
    {
        var rows = CsvTable.Read<IdaRow>(Path.Combine(folder, AmplificationProtocol.Table));
        var curves = Curves(rows);
        var manifest = Manifest.TryRead(folder);
        foreach (var task in curves.GroupBy(c => c.TaskLabel))
        {
            var fine = task.Where(c => !c.Faulty).ToList();
            if (fine.Count > 0) StepsFigure(fine, folder);
            foreach (var c in task.Where(c => IdaMethods.UsesOverseer(c.Method) && c.ByLevel.Count > 1 && !c.Faulty).Take(1)) LevelsFigure(c, folder);
            var faulty = task.Where(c => IdaMethods.UsesOverseer(c.Method) && c.Error > 0 || c.Method == IdaMethods.Amplification && c.Error == 0 && c.Depth == 0).ToList();
            if (faulty.Any(c => c.Error > 0)) ErrorFigure(faulty.Where(c => c.Depth == 0).ToList(), folder);
        }
        AtomicFile.WriteText(Path.Combine(folder, ReportFile), Markdown(rows, curves, manifest));
    }

    static string Slug(Curve c) => $"{c.Task}-{c.Size}";

    static string F(double? v, string format = "0.000") => v is double x && !double.IsNaN(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "–";

    static void StepsFigure(IReadOnlyList<Curve> curves, string folder)
    {
        var first = curves[0];
        var plot = FigureStyle.NewPlot($"{first.TaskLabel}: test accuracy vs training steps", "optimizer steps", "test accuracy (all levels)");
        foreach (var (c, i) in curves.Select((c, i) => (c, i)))
        {
            var line = plot.Add.Scatter(c.Points.Select(p => (double)p.Step).ToArray(), c.Points.Select(p => p.Accuracy).ToArray());
            line.Color = c.Method == IdaMethods.Supervised ? Colors.Black : FigureStyle.Palette[i % FigureStyle.Palette.Length];
            line.LineWidth = 2;
            line.MarkerSize = 5;
            line.MarkerShape = c.Method == IdaMethods.LearnedOverseer ? MarkerShape.FilledTriangleUp : MarkerShape.FilledCircle;
            line.LegendText = c.Method == IdaMethods.Supervised ? "supervised (ground truth)"
                : c.Method == IdaMethods.LearnedOverseer ? "amplification, learned H′" : "amplification, H";
        }
        var sup = curves.FirstOrDefault(c => c.Method == IdaMethods.Supervised);
        if (sup is not null)
        {
            var level = plot.Add.HorizontalLine(sup.Final.Accuracy - ParityGap);
            level.Color = Colors.Gray.WithAlpha(0.7);
            level.LineWidth = 1;
            level.LegendText = $"supervised final − {ParityGap * 100:0} points";
            var end = plot.Add.VerticalLine(sup.Final.Step);
            end.Color = Colors.Gray.WithAlpha(0.4);
            end.LineWidth = 1;
        }
        plot.Axes.SetLimitsY(0, 1.02);
        plot.Legend.FontName = FigureStyle.FontName;
        plot.ShowLegend(Edge.Bottom);
        FigureStyle.Save(plot, folder, $"accuracy_vs_steps_{Slug(first)}");
    }

    static void LevelsFigure(Curve c, string folder)
    {
        var plot = FigureStyle.NewPlot($"{c.TaskLabel}, {c.Method}: accuracy per question level", "optimizer steps", "test accuracy");
        foreach (var (level, points) in c.ByLevel.OrderBy(p => p.Key))
        {
            var line = plot.Add.Scatter(points.Select(p => (double)p.Step).ToArray(), points.Select(p => p.Accuracy).ToArray());
            line.Color = FigureStyle.Palette[(level - 1) % FigureStyle.Palette.Length];
            line.LineWidth = 2;
            line.MarkerSize = 4;
            line.LegendText = $"level {level}";
            var target = points.Where(p => p.TargetAccuracy is not null).ToList();
            if (target.Count == 0) continue;
            var t = plot.Add.Scatter(target.Select(p => (double)p.Step).ToArray(), target.Select(p => p.TargetAccuracy!.Value).ToArray());
            t.Color = line.Color.WithAlpha(0.45);
            t.LineWidth = 1;
            t.MarkerSize = 0;
            t.LegendText = $"level {level}: targets right";
        }
        plot.Axes.SetLimitsY(0, 1.02);
        plot.Legend.FontName = FigureStyle.FontName;
        plot.ShowLegend(Edge.Right);
        FigureStyle.Save(plot, folder, $"levels_{Slug(c)}", 1100, 600);
    }

    static void ErrorFigure(IReadOnlyList<Curve> curves, string folder)
    {
        var first = curves[0];
        var plot = FigureStyle.NewPlot($"{first.TaskLabel}: final accuracy vs overseer error rate ε", "overseer error rate ε", "test accuracy (all levels)");
        int colour = 0;
        foreach (string kind in new[] { "random", "systematic" })
        {
            // ε = 0 belongs to both kinds.
            var line = curves.Where(c => c.Error == 0 || c.ErrorKind == kind).OrderBy(c => c.Error).ToList();
            if (line.Count < 2 || !line.Any(c => c.ErrorKind == kind && c.Error > 0)) continue;
            var color = FigureStyle.Palette[colour++];
            double[] xs = line.Select(c => c.Error).ToArray();
            var learner = plot.Add.Scatter(xs, line.Select(c => c.Final.Accuracy).ToArray());
            learner.Color = color;
            learner.LineWidth = 2;
            learner.MarkerSize = 8;
            learner.LegendText = $"X after distillation ({kind} errors)";
            var fixedPoint = plot.Add.Scatter(xs, line.Select(c => c.Final.FixedPointAccuracy ?? 1.0).ToArray());
            fixedPoint.Color = color.WithAlpha(0.55);
            fixedPoint.LineWidth = 1;
            fixedPoint.MarkerShape = MarkerShape.OpenSquare;
            fixedPoint.MarkerSize = 7;
            fixedPoint.LegendText = $"perfect memory, converged ({kind})";
        }
        plot.Axes.SetLimitsY(0, 1.02);
        plot.Legend.FontName = FigureStyle.FontName;
        plot.ShowLegend(Edge.Bottom);
        FigureStyle.Save(plot, folder, $"accuracy_vs_error_{Slug(first)}");

        // How the training signal evolves: the share of amplified targets that are right, iteration by iteration.
        var targets = FigureStyle.NewPlot($"{first.TaskLabel}: amplified targets that are right, per iteration", "amplification iteration", "share of training targets right (all levels)");
        foreach (var (c, i) in curves.OrderBy(c => c.ErrorKind).ThenBy(c => c.Error).Select((c, i) => (c, i)))
        {
            var points = c.Points.Where(p => p.TargetAccuracy is not null).ToList();
            var line = targets.Add.Scatter(points.Select(p => (double)p.Iteration).ToArray(), points.Select(p => p.TargetAccuracy!.Value).ToArray());
            line.Color = FigureStyle.Palette[i % FigureStyle.Palette.Length];
            line.LineWidth = 2;
            line.MarkerSize = 4;
            line.MarkerShape = c.ErrorKind == "systematic" && c.Error > 0 ? MarkerShape.OpenSquare : MarkerShape.FilledCircle;
            line.LegendText = c.Error > 0 ? $"ε = {c.Error:0.##} ({c.ErrorKind})" : "ε = 0";
        }
        targets.Axes.SetLimitsY(0, 1.02);
        targets.Legend.FontName = FigureStyle.FontName;
        targets.ShowLegend(Edge.Right);
        FigureStyle.Save(targets, folder, $"targets_vs_iteration_{Slug(first)}", 1100, 600);
    }

    static string Markdown(IReadOnlyList<IdaRow> rows, IReadOnlyList<Curve> curves, Manifest? manifest)
    {
        var md = new StringBuilder();
        md.AppendLine($"# {manifest?.Experiment ?? "amplification"} — iterated amplification report").AppendLine();
        if (manifest?.Definition.TryGetValue("description", out var d) == true && d is string { Length: > 0 } text) md.AppendLine(text.Trim()).AppendLine();
        int cells = rows.Select(r => r.CellId).Distinct().Count(), failed = rows.Where(r => r.Status != "ok").Select(r => r.CellId).Distinct().Count();
        md.AppendLine($"- cells: {cells - failed} ok, {failed} failed, of {manifest?.CellsTotal.ToString(CultureInfo.InvariantCulture) ?? "?"}; seeds: {string.Join(", ", rows.Select(r => r.Seed).Distinct())}");
        if (manifest is not null)
            md.AppendLine($"- device: {manifest.Device}, threads: {manifest.Threads}, commit: `{manifest.GitCommit}`, compute time summed over cells: {manifest.Cells.Values.Sum(c => c.WallSeconds):0} s");
        md.AppendLine($"- test set: {rows.FirstOrDefault(r => r.Level is null)?.TestQuestions} questions per task, each from a fresh episode, levels drawn uniformly");
        md.AppendLine();
        md.Append(ParitySection(curves));
        md.Append(ErrorSection(curves));
        md.AppendLine("## Every curve's last point").AppendLine();
        md.AppendLine("| task | method | overseer | steps | iterations | accuracy [95% CI] | accuracy per level | oracle calls | labels | lookups | H′ move accuracy |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var c in curves)
        {
            var f = c.Final;
            string levels = string.Join(" / ", c.ByLevel.OrderBy(p => p.Key).Select(p => F(p.Value[^1].Accuracy, "0.00")));
            md.AppendLine($"| {c.TaskLabel} | {c.Method} | {c.Overseer} | {f.Step:N0} | {f.Iteration} | {F(f.Accuracy)} [{F(f.AccuracyCiLow)}, {F(f.AccuracyCiHigh)}] | {levels} | {f.OracleCalls:N0} | {f.LabelsUsed:N0} | {f.Lookups:N0} | {F(f.OverseerMoveAccuracy)} |");
        }
        var notes = rows.Where(r => r.Note.Length > 0).GroupBy(r => r.CellId).Select(g => g.First()).ToList();
        if (notes.Count > 0)
        {
            md.AppendLine().AppendLine("## Notes").AppendLine();
            foreach (var r in notes) md.AppendLine($"- {r.Task} {r.Size}, {r.Method}, seed {r.Seed} ({r.Status}): {r.Note}");
        }
        md.AppendLine().AppendLine("Files: `ida.csv` (one row per evaluation and level; empty level = all levels), `manifest.json` (provenance), figures as PNG and SVG.");
        return md.ToString();
    }

    /// <summary>The parity table and its figures, or nothing when the run has no supervised baseline.</summary>
    public static string ParitySection(IReadOnlyList<Curve> curves, string figurePrefix = "")
    {
        var parities = Parities(curves);
        if (parities.Count == 0) return "";
        var md = new StringBuilder();
        md.AppendLine("## Amplification vs supervised learning").AppendLine();
        md.AppendLine($"Target: amplification within {ParityGap * 100:0} points of the supervised baseline's final accuracy, in at most {ParitySteps:0}× its steps, with far fewer oracle calls than labels.").AppendLine();
        md.AppendLine("| task | supervised: accuracy (steps) | amplification: method, accuracy (steps) | gap | steps to within 2 points (× supervised) | oracle calls | labels | calls / labels | target |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var p in parities)
        {
            var s = p.Supervised.Final;
            var a = p.Amplified.Final;
            string reach = p.StepsToParity is int k ? $"{k:N0} ({(double)k / s.Step:0.00}×)" : "not reached";
            md.AppendLine($"| {p.Task} | {F(s.Accuracy)} ({s.Step:N0}) | {p.Amplified.Method}, {F(a.Accuracy)} ({a.Step:N0}) | {(p.Gap >= 0 ? "+" : "−")}{Math.Abs(p.Gap) * 100:0.0} pts | {reach} | {a.OracleCalls:N0} | {s.LabelsUsed:N0} | {F(p.OracleRatio, "0.0000")} | {(p.Met ? "met" : "missed")} |");
        }
        md.AppendLine().AppendLine($"Parity met on {parities.Count(p => p.Met)} of {parities.Count} tasks.").AppendLine();
        md.AppendLine("How each method climbs the question levels — the first measured step at which X answers 90% of a level's test questions right (supervised / amplification; – = never):").AppendLine();
        int levels = parities.Max(p => p.Supervised.ByLevel.Count == 0 ? 0 : p.Supervised.ByLevel.Keys.Max());
        md.AppendLine($"| task |{string.Concat(Enumerable.Range(1, levels).Select(l => $" level {l} |"))}");
        md.AppendLine($"|---|{string.Concat(Enumerable.Range(1, levels).Select(_ => "---|"))}");
        foreach (var p in parities)
        {
            string First(Curve c, int level) => c.ByLevel.TryGetValue(level, out var points) && points.FirstOrDefault(r => r.Accuracy >= 0.9) is { } hit ? hit.Step.ToString("N0", CultureInfo.InvariantCulture) : "–";
            md.AppendLine($"| {p.Task} |{string.Concat(Enumerable.Range(1, levels).Select(l => p.Supervised.ByLevel.ContainsKey(l) ? $" {First(p.Supervised, l)} / {First(p.Amplified, l)} |" : " |"))}");
        }
        md.AppendLine();
        md.AppendLine("Supervised learning gets every level's labels from the start; amplification's targets for a level are right only once X answers the level below, so its levels tend to rise in order — and while the deeper targets are still wrong they slow down even the levels whose targets are already right (no curriculum holds them back).").AppendLine();
        foreach (var p in parities)
        {
            string slug = $"{p.Supervised.Task}-{p.Supervised.Size}";
            md.AppendLine($"![{p.Task}: accuracy vs steps]({figurePrefix}accuracy_vs_steps_{slug}.png)");
        }
        md.AppendLine();
        return md.ToString();
    }

    /// <summary>Final accuracy against ε, with the compounding a perfect memory would suffer, and the depth runs.</summary>
    public static string ErrorSection(IReadOnlyList<Curve> curves, string figurePrefix = "")
    {
        var md = new StringBuilder();
        foreach (var task in curves.Where(c => IdaMethods.UsesOverseer(c.Method)).GroupBy(c => (c.TaskLabel, c.Method)))
        {
            var errors = task.Where(c => c.Depth == 0).OrderBy(c => c.ErrorKind).ThenBy(c => c.Error).ToList();
            var depths = task.Where(c => c.Depth > 0 && c.Error == 0).OrderBy(c => c.Depth).ToList();
            if (!errors.Any(c => c.Error > 0) && depths.Count == 0) continue;
            int levels = task.Max(c => c.ByLevel.Count == 0 ? 0 : c.ByLevel.Keys.Max());
            string levelHeads = string.Concat(Enumerable.Range(1, levels).Select(l => $" L{l} |"));
            string levelRule = string.Concat(Enumerable.Range(1, levels).Select(_ => "---|"));
            string PerLevel(Curve c, Func<IdaRow, double?> value) =>
                string.Concat(Enumerable.Range(1, levels).Select(l => c.ByLevel.TryGetValue(l, out var p) ? $" {F(value(p[^1]), "0.00")} |" : " – |"));
            if (errors.Any(c => c.Error > 0))
            {
                md.AppendLine($"## {task.Key.TaskLabel}: overseer errors ({task.Key.Method})").AppendLine();
                md.AppendLine("Per level: X's final accuracy, then (second row) the share of the last iteration's amplified targets that were right, then (third) where a perfect memory in place of X converges — errors compounding with nothing to average them out.").AppendLine();
                md.AppendLine($"| ε | errors | final accuracy | fixed point (perfect memory) | what |{levelHeads}");
                md.AppendLine($"|---|---|---|---|---|{levelRule}");
                foreach (var c in errors)
                {
                    string kind = c.Error > 0 ? c.ErrorKind : "–";
                    md.AppendLine($"| {F(c.Error, "0.###")} | {kind} | {F(c.Final.Accuracy)} | {F(c.Final.FixedPointAccuracy ?? (c.Error == 0 ? 1.0 : null))} | X accuracy |{PerLevel(c, r => r.Accuracy)}");
                    md.AppendLine($"| | | | | targets right |{PerLevel(c, r => r.TargetAccuracy)}");
                    if (c.Error > 0) md.AppendLine($"| | | | | fixed point |{PerLevel(c, r => r.FixedPointAccuracy)}");
                }
                md.AppendLine();
                md.AppendLine("Compounding, level 1 → deepest level (error = 1 − accuracy):").AppendLine();
                foreach (var c in errors.Where(c => c.Error > 0 && c.ByLevel.Count > 1))
                {
                    var low = c.ByLevel[c.ByLevel.Keys.Min()][^1];
                    var high = c.ByLevel[c.ByLevel.Keys.Max()][^1];
                    string Grow(double? a, double? b) => a is double x && b is double y
                        ? $"{1 - x:0.000} → {1 - y:0.000}" + (1 - x >= 0.01 ? $" (×{(1 - y) / (1 - x):0.0})" : "") : "–";
                    md.AppendLine($"- ε = {c.Error:0.###} {c.ErrorKind}: perfect memory {Grow(low.FixedPointAccuracy, high.FixedPointAccuracy)}; " +
                        $"amplified targets {Grow(low.TargetAccuracy, high.TargetAccuracy)}; X {Grow(low.Accuracy, high.Accuracy)}.");
                }
                bool monotone = errors.GroupBy(c => c.ErrorKind).All(g =>
                {
                    var acc = errors.Where(c => c.Error == 0 || c.ErrorKind == g.Key).OrderBy(c => c.Error).Select(c => c.Final.Accuracy).ToList();
                    return acc.Zip(acc.Skip(1)).All(p => p.Second <= p.First + 1e-9);
                });
                md.AppendLine().AppendLine($"Final accuracy {(monotone ? "falls monotonically" : "does not fall monotonically")} with ε for each kind of error.").AppendLine();
                md.AppendLine($"![accuracy vs ε]({figurePrefix}accuracy_vs_error_{task.First().Task}-{task.First().Size}.png)").AppendLine();
                md.AppendLine($"![targets right per iteration]({figurePrefix}targets_vs_iteration_{task.First().Task}-{task.First().Size}.png)").AppendLine();
            }
            if (depths.Count > 0)
            {
                md.AppendLine($"## {task.Key.TaskLabel}: truncated decomposition ({task.Key.Method})").AppendLine();
                md.AppendLine("H decomposes only questions up to its depth and guesses above it. Per level: X's final accuracy.").AppendLine();
                md.AppendLine($"| H's depth | final accuracy | fixed point |{levelHeads}");
                md.AppendLine($"|---|---|---|{levelRule}");
                foreach (var c in task.Where(c => c.Error == 0).OrderBy(c => c.Depth == 0 ? int.MaxValue : c.Depth))
                    md.AppendLine($"| {(c.Depth == 0 ? "all" : c.Depth.ToString(CultureInfo.InvariantCulture))} | {F(c.Final.Accuracy)} | {F(c.Final.FixedPointAccuracy ?? 1.0)} |{PerLevel(c, r => r.Accuracy)}");
                md.AppendLine();
            }
        }
        return md.ToString();
    }

    /// <summary>
    /// <c>results/ida/README.md</c>: the reproduction's results across its run folders, against the
    /// paper. Every number comes from the folders' CSVs and manifests.
    /// </summary>
    public static void Summarize(string reproductionFolder, IReadOnlyList<string> folders) =>
        IdaSummary.Write(reproductionFolder, folders);
}
