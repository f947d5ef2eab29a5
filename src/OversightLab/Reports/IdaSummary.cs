using System.Globalization;
using System.Text;
using OversightLab.Experiments;
using OversightLab.Protocols.Amplification;

namespace OversightLab.Reports;

/// <summary>
/// <c>results/ida/README.md</c>: what <c>oversightlab reproduce ida</c> measured across its run
/// folders, set against the paper (Christiano, Shlegeris, Amodei 2018). Every number is read from
/// the folders' <c>ida.csv</c> and <c>manifest.json</c>; the text around them is generated too, so
/// the file never disagrees with the data it sits beside.
/// </summary>
public static class IdaSummary
{
    public const string FileName = "README.md";

    public static void Write(string reproductionFolder, IReadOnlyList<string> folders)
    {
        var runs = folders.Where(f => File.Exists(Path.Combine(f, AmplificationProtocol.Table)))
            .Select(f => (Folder: f, Name: Path.GetFileName(Path.GetFullPath(f).TrimEnd(Path.DirectorySeparatorChar)),
                Curves: IdaReport.Curves(CsvTable.Read<IdaRow>(Path.Combine(f, AmplificationProtocol.Table))), Manifest: Manifest.TryRead(f)))
            .ToList();
        var md = new StringBuilder();
        md.AppendLine("# Iterated amplification — reproduction").AppendLine();
        md.AppendLine("Christiano, Shlegeris, Amodei 2018, *Supervising strong learners by amplifying weak experts*, section 4: five algorithmic");
        md.AppendLine("tasks where the overseer H only knows one-step decompositions; the learner X is trained on H's combinations of its own");
        md.AppendLine("answers to subquestions (amplify, then distill, repeated), and compared with X trained on ground truth.");
        md.AppendLine("Regenerate everything here with `oversightlab reproduce ida` (it runs every `experiments/ida-*.yaml` into this folder");
        md.AppendLine("and rewrites this file from the CSVs). Each run folder has its own `report.md`, `ida.csv` and `manifest.json`.").AppendLine();

        md.AppendLine("## Runs and conditions").AppendLine();
        md.AppendLine("| run | cells | compute (s, summed over cells) | wall (s, start to finish) | device, threads | commit |");
        md.AppendLine("|---|---|---|---|---|---|");
        double compute = 0, wall = 0;
        foreach (var run in runs)
        {
            var m = run.Manifest;
            double c = m?.Cells.Values.Sum(x => x.WallSeconds) ?? 0;
            double w = m?.FinishedUtc is DateTime end ? (end - m.StartedUtc).TotalSeconds : double.NaN;
            compute += c;
            wall += double.IsNaN(w) ? 0 : w;
            md.AppendLine($"| [{run.Name}]({run.Name}/report.md) | {m?.Cells.Count ?? 0} | {c:0} | {F(w, "0")} | {m?.Device}, {m?.Threads} | `{Short(m?.GitCommit)}` |");
        }
        md.AppendLine().AppendLine($"Total: {compute:0} s of cell compute ({compute / 60:0.0} min); {wall:0} s ({wall / 60:0.0} min) from the first run's start to the last run's end, as recorded in the manifests of the runs that computed the cells (a resumed run records only its own part).");
        md.AppendLine($"Machine: {runs.Select(r => r.Manifest?.Os).FirstOrDefault(o => o is not null) ?? "?"}; the timings are only comparable on the same machine and load.").AppendLine();

        var all = runs.SelectMany(r => r.Curves.Select(c => (r.Name, Curve: c))).ToList();
        var parityRuns = runs.Where(r => IdaReport.Parities(r.Curves).Count > 0).ToList();
        foreach (var run in parityRuns) md.Append(IdaReport.ParitySection(run.Curves, run.Name + "/").Replace("## Amplification vs supervised learning", $"## Amplification vs supervised learning ({run.Name})"));
        foreach (var run in runs) md.Append(IdaReport.ErrorSection(run.Curves, run.Name + "/").Replace("## ", $"## {run.Name}: "));

        var learned = all.Where(a => a.Curve.Method == IdaMethods.LearnedOverseer).ToList();
        if (learned.Count > 0)
        {
            md.AppendLine("## The learned overseer H′").AppendLine();
            md.AppendLine("H′ is trained on H transcripts (the oracle calls at step 0), then decomposes every question; below its confidence threshold it hands the move back to H (the calls after step 0).").AppendLine();
            md.AppendLine("| run | task | transcripts | consults H below | H′ held-out move accuracy | consultations | oracle calls in all | final accuracy (steps) |");
            md.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var (name, c) in learned)
            {
                long transcripts = c.Points[0].OracleCalls, calls = c.Final.OracleCalls;
                md.AppendLine($"| {name} | {c.TaskLabel} | {transcripts:N0} | {F(c.Confidence, "0.##")} | {F(c.Final.OverseerMoveAccuracy)} | {calls - transcripts:N0} | {calls:N0} | {F(c.Final.Accuracy)} ({c.Final.Step:N0}) |");
            }
            md.AppendLine();
        }
        md.Append(Paper(runs.SelectMany(r => IdaReport.Parities(r.Curves)).ToList(), all.Select(a => a.Curve).ToList()));
        AtomicFile.WriteText(Path.Combine(reproductionFolder, FileName), md.ToString());
    }

    static string Paper(IReadOnlyList<IdaReport.Parity> parities, IReadOnlyList<IdaReport.Curve> curves)
    {
        var md = new StringBuilder();
        md.AppendLine("## Against the paper").AppendLine();
        md.AppendLine("| claim | paper | here |");
        md.AppendLine("|---|---|---|");
        if (parities.Count > 0)
        {
            int met = parities.Count(p => p.Met);
            double worstGap = parities.Min(p => p.Gap);
            md.AppendLine($"| amplification matches supervised learning | on all 5 tasks | within {IdaReport.ParityGap * 100:0} points on {met} of {parities.Count} tasks; smallest difference (amplification − supervised) {worstGap * 100:+0.0;−0.0;0.0} points |");
            var ratios = parities.Where(p => p.StepsToParity is not null).Select(p => (double)p.StepsToParity!.Value / p.Supervised.Final.Step).ToList();
            if (ratios.Count > 0)
                md.AppendLine($"| slowdown to reach supervised accuracy | at worst a modest slowdown, about 2× | steps to come within {IdaReport.ParityGap * 100:0} points, as a multiple of the supervised steps: {string.Join(", ", parities.Select(p => p.StepsToParity is int s ? $"{p.Task} {(double)s / p.Supervised.Final.Step:0.00}×" : $"{p.Task} not reached"))} |");
            var ratio = parities.Where(p => !double.IsNaN(p.OracleRatio)).ToList();
            if (ratio.Count > 0)
                md.AppendLine($"| oracle calls vs labels | tens of thousands of H calls instead of tens of millions of labels | {string.Join(", ", ratio.Select(p => $"{p.Task}: {p.Amplified.Final.OracleCalls:N0} calls ({p.Amplified.Method}) vs {p.Supervised.Final.LabelsUsed:N0} labels = {p.OracleRatio:0.0000}"))} |");
        }
        var learned = curves.Where(c => c.Method == IdaMethods.LearnedOverseer && c.Final.OverseerMoveAccuracy is not null).ToList();
        if (learned.Count > 0)
            md.AppendLine($"| a learned H′ can stand in for H | yes (trained alongside X) | H′'s held-out move accuracy, then X's final accuracy with it and its oracle calls: {string.Join("; ", learned.Select(c => $"{c.TaskLabel} ({c.Points[0].OracleCalls:N0} transcripts, {(c.Confidence is > 0 ? $"consulting H below {c.Confidence:0.##}" : "never consulting H")}): {c.Final.OverseerMoveAccuracy:0.000} → {c.Final.Accuracy:0.000}, {c.Final.OracleCalls:N0} calls"))} |");
        var noisy = curves.Where(c => c.Method == IdaMethods.Amplification && c.Depth == 0).GroupBy(c => c.TaskLabel)
            .Where(g => g.Any(c => c.Error > 0) && g.Any(c => c.Error == 0)).ToList();
        foreach (var g in noisy)
        {
            var clean = g.First(c => c.Error == 0).Final.Accuracy;
            string Points(string kind) => string.Join(", ", g.Where(c => c.Error > 0 && c.ErrorKind == kind).OrderBy(c => c.Error)
                .Select(c => $"ε {c.Error:0.##}: {c.Final.Accuracy:0.000} (perfect memory {F(c.Final.FixedPointAccuracy)})"));
            md.AppendLine($"| overseer errors compound across iterations | named as the risk to measure | {g.Key}, ε = 0: {clean:0.000}; random errors — {Points("random")}; systematic — {Points("systematic")} |");
        }
        md.AppendLine();
        md.AppendLine("Where this differs from the paper, on purpose (see the opening comment of `AmplificationProtocol.cs`): sizes are small");
        md.AppendLine("so that each run takes minutes on a 2-core CPU (the paper: 64-element instances, GPU-days); iterations are explicit refreshes");
        md.AppendLine("of the copy of X that answers subquestions (the paper: a moving-average teacher, updated every step); no curriculum;");
        md.AppendLine("union find and shortest path are asked in the form whose one-step decomposition is a single union or a single Bellman step.");
        md.AppendLine("The paper's oracle counts are for its learned H′; ours count every question handed to H (method `amplification`), or");
        md.AppendLine("for `amplification-learned-h` the H transcripts H′ was trained and checked on plus every move H′ handed back to H because");
        md.AppendLine("it was unsure (its least probable chosen token below 0.9) — a consultation rule the paper does not have. Simple questions —");
        md.AppendLine("one fact read off the context — are answered by the environment, as in the paper's code, and counted separately as lookups.");
        return md.ToString();
    }

    static string Short(string? commit) => commit is null ? "?" : commit.Length > 12 ? commit[..12] + (commit.EndsWith("-dirty", StringComparison.Ordinal) ? "-dirty" : "") : commit;

    static string F(double? v, string format = "0.000") => v is double x && !double.IsNaN(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "–";
}
