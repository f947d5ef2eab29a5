using System.Globalization;
using System.Text;
using OversightLab.Experiments;
using OversightLab.Protocols.Debate;

namespace OversightLab.Reports;

/// <summary>
/// <c>results/debate/README.md</c> after <c>oversightlab reproduce debate</c>: our numbers next to
/// the papers', read from the run folders' CSVs and manifests only.
/// </summary>
public static class DebateSummary
{
    public const string FileName = "README.md";
    const double Tolerance = 0.05;

    public static void Write(string reproductionFolder)
    {
        var folders = Directory.Exists(reproductionFolder) ? Directory.GetDirectories(reproductionFolder).Order(StringComparer.Ordinal).ToList() : [];
        var debate = folders.Where(f => File.Exists(Path.Combine(f, DebateProtocol.Table)))
            .SelectMany(f => DebateReport.Read(f).Select(r => (Folder: Path.GetFileName(f), Row: r))).ToList();
        var nso = folders.Where(f => File.Exists(Path.Combine(f, OversightScalingProtocol.Table)))
            .SelectMany(f => CsvTable.Read<NsoRow>(Path.Combine(f, OversightScalingProtocol.Table)).Where(r => r.Status == "ok").Select(r => (Folder: Path.GetFileName(f), Row: r))).ToList();
        var manifests = folders.Select(f => (Folder: Path.GetFileName(f), Manifest: Manifest.TryRead(f))).Where(m => m.Manifest is not null).ToList();

        var md = new StringBuilder();
        md.AppendLine("# Debate — reproduction").AppendLine();
        md.AppendLine("Regenerate with `./oversightlab reproduce debate` (every `experiments/debate-*.yaml` into this folder; finished cells are skipped, so delete a run folder to recompute it). Each run folder has its own `report.md`, CSV, figures and `manifest.json` (provenance).").AppendLine();
        Conditions(md, manifests);
        // Tournament runs (some pairing of two different debaters) get their own section: their
        // self-play rows use another setting and would blur the comparison with the paper.
        var tournaments = debate.Where(d => d.Row.Protocol == "debate" && d.Row.HonestDebater != d.Row.LiarDebater).Select(d => d.Folder).ToHashSet();
        Mnist(md, debate.Where(d => d.Row.Task == DebateProtocol.TaskFamily && !tournaments.Contains(d.Folder)).ToList());
        Tournament(md, debate.Where(d => tournaments.Contains(d.Folder)).ToList());
        var evidence = debate.Where(d => d.Row.Task != DebateProtocol.TaskFamily).ToList();
        Evidence(md, evidence.Select(d => d.Row).ToList());
        foreach (string folder in evidence.Select(d => d.Folder).Distinct()) md.AppendLine($"![{folder}]({folder}/{EvidenceReport.AccuracyFigure}.png)").AppendLine();
        Nso(md, nso.Select(n => n.Row).ToList());
        foreach (string folder in nso.Select(n => n.Folder).Distinct()) md.AppendLine($"![{folder}]({folder}/{NsoReport.SuccessFigure}.png)").AppendLine();
        AtomicFile.WriteText(Path.Combine(reproductionFolder, FileName), md.ToString());
    }

    static void Conditions(StringBuilder md, IReadOnlyList<(string Folder, Manifest? Manifest)> manifests)
    {
        md.AppendLine("## Conditions").AppendLine();
        md.AppendLine("| run | cells | compute time summed over cells | device | threads | commit |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var (folder, m) in manifests)
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| [{folder}]({folder}/report.md) | {m!.Cells.Count} of {m.CellsTotal} | {m.Cells.Values.Sum(c => c.WallSeconds):0} s | {m.Device} | {m.Threads} | `{m.GitCommit[..Math.Min(12, m.GitCommit.Length)]}` |"));
        double total = manifests.Sum(m => m.Manifest!.Cells.Values.Sum(c => c.WallSeconds));
        // From cell records only, so the span survives a later run that finds every cell done.
        var cells = manifests.SelectMany(m => m.Manifest!.Cells.Values).ToList();
        var started = cells.Count > 0 ? cells.Min(c => c.FinishedUtc.AddSeconds(-c.WallSeconds)) : default;
        var finished = cells.Count > 0 ? cells.Max(c => c.FinishedUtc) : default;
        md.AppendLine().AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Compute time over all runs: {total:0} s ({total / 60:0.0} min); from the first cell's start to the last cell's end: {(finished - started).TotalSeconds:0} s (training the judges, playing the games and writing reports; the first build is extra). OS: {manifests.FirstOrDefault().Manifest?.Os}.")).AppendLine();
    }

    static void Mnist(StringBuilder md, IReadOnlyList<(string Folder, DebateRow Row)> rows)
    {
        if (rows.Count == 0) return;
        md.AppendLine("## MNIST debate (Irving et al. 2018, section 3.1)").AppendLine();
        md.AppendLine("Judge accuracy = fraction of test digits where the judge's verdict is the truth (in a debate: the honest debater's win rate), with 95% Wilson intervals. The paper's judge is its CNN trained on 60k MNIST images for 30k/50k batches, its debaters MCTS with 10k rollouts per move; per-first-mover paper values come from a secondary source. ✔ = within ±5 points of the paper.").AppendLine();
        md.AppendLine("| k | measure | ours | digits | paper | within ±5 |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var (k, judge) in rows.Select(r => (K: int.Parse(r.Row.PixelsOrTask, CultureInfo.InvariantCulture), r.Row.Judge)).Distinct()
                     .OrderByDescending(g => g.K).ThenBy(g => g.Judge == JudgeSpec.PaperCnn.Name))
        {
            var mine = rows.Where(r => r.Row.PixelsOrTask == k.ToString(CultureInfo.InvariantCulture) && r.Row.Judge == judge).Select(r => r.Row).ToList();
            // The judge alone: the largest sample measured for this k and judge.
            var alone = mine.Where(r => r.Protocol == "judge-alone").OrderByDescending(r => r.N).FirstOrDefault();
            if (alone is not null)
                Line(md, k, $"judge alone ({alone.Judge}, {alone.JudgeTrainBatches:N0} batches)", [alone], IrvingPaper.JudgeAlone(k));
            var debaters = mine.Where(r => r.Protocol == "debate" && r.HonestDebater == r.LiarDebater && !DebaterSpec.Parse(r.Debater)!.Random)
                .Select(r => r.Debater).Distinct().OrderBy(d => DebaterSpec.Parse(d)!.Strength).ToList();
            foreach (bool precommit in new[] { true, false })
                foreach (string debater in debaters)
                {
                    var cells = mine.Where(r => r.Protocol == "debate" && r.Debater == debater && r.Precommit == precommit).ToList();
                    if (cells.Count == 0) continue;
                    string setting = precommit ? "precommit" : "no precommit";
                    string who = $"{debater}, {judge} judge";
                    foreach (var first in new[] { "honest", "liar" })
                    {
                        var one = cells.Where(r => r.FirstMover == first).ToList();
                        if (one.Count > 0) Line(md, k, $"debate, {setting}, {first} first ({who})", one, IrvingPaper.Debate(k, precommit, first == "honest"));
                    }
                    if (cells.Select(r => r.FirstMover).Distinct().Count() == 2)
                        Line(md, k, $"debate, {setting}, both first movers ({who})", cells, IrvingPaper.Debate(k, precommit, null) ?? Mean(IrvingPaper.Debate(k, precommit, true), IrvingPaper.Debate(k, precommit, false)));
                }
        }
        md.AppendLine();
        foreach (var folder in rows.Select(r => r.Folder).Distinct())
            foreach (var (file, caption) in new[] { (DebateReport.ConditionsFigure, "judge accuracy by condition"), (DebateReport.BudgetFigure, "judge accuracy vs search budget") })
                md.AppendLine($"![{folder}: {caption}]({folder}/{file}.png)").AppendLine();
        Shape(md, rows.Select(r => r.Row).ToList());
        Differences(md, rows.Select(r => r.Row).ToList());
        Throughput(md, rows.Select(r => r.Row).ToList());
    }

    /// <summary>The paper's qualitative claims, checked on our numbers.</summary>
    static void Shape(StringBuilder md, IReadOnlyList<DebateRow> rows)
    {
        md.AppendLine("Qualitative checks (each from the rows above; an interval comparison, not a test):").AppendLine();
        foreach (var g in rows.Where(r => r.Protocol == "debate" && r.HonestDebater == r.LiarDebater && !DebaterSpec.Parse(r.Debater)!.Random)
                     .GroupBy(r => (r.PixelsOrTask, r.Judge, r.Debater)).OrderByDescending(g => g.Key.PixelsOrTask).ThenBy(g => g.Key.Judge))
        {
            var alone = rows.Where(r => r.Protocol == "judge-alone" && r.PixelsOrTask == g.Key.PixelsOrTask && r.Judge == g.Key.Judge).OrderByDescending(r => r.N).FirstOrDefault();
            double Acc(bool precommit, string? first) => DebateReport.Pool(g.Where(r => r.Precommit == precommit && (first is null || r.FirstMover == first)).ToList(), out _);
            double pre = Acc(true, null), noPre = Acc(false, null);
            var parts = new List<string>();
            if (!double.IsNaN(pre) && !double.IsNaN(noPre)) parts.Add(string.Create(CultureInfo.InvariantCulture, $"precommit {pre:0.000} vs none {noPre:0.000} ({(pre > noPre ? "higher, as in the paper" : "not higher, unlike the paper")})"));
            foreach (bool precommit in new[] { true, false })
            {
                double h = Acc(precommit, "honest"), l = Acc(precommit, "liar");
                if (!double.IsNaN(h) && !double.IsNaN(l))
                    parts.Add(string.Create(CultureInfo.InvariantCulture, $"{(precommit ? "precommit" : "no precommit")}: liar-first {l:0.000} vs honest-first {h:0.000} ({(l > h ? "liar-first higher, as in the paper" : "liar-first not higher, unlike the paper")})"));
            }
            if (alone?.JudgeAccuracy is double a && !double.IsNaN(pre))
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"debate with precommit {(pre > a ? "beats" : "does not beat")} the judge alone ({a:0.000})"));
            if (parts.Count > 0) md.AppendLine($"- k = {g.Key.PixelsOrTask}, {g.Key.Judge} judge, {g.Key.Debater}: {string.Join("; ", parts)}.");
        }
        md.AppendLine();
    }

    /// <summary>Why our numbers differ from the paper's — the setup, then the measured gaps.</summary>
    static void Differences(StringBuilder md, IReadOnlyList<DebateRow> rows)
    {
        md.AppendLine("Where our setup differs from the paper's, and what that does:").AppendLine();
        md.AppendLine("- **Data.** Our judges train on the 8,000 non-test digits shipped in `data/` (the paper: 60,000 MNIST training images), for the paper's 30k (k = 6) and 50k (k = 4) batches of 128, with Adam 2e-3 and a cosine schedule (the paper: Adam 1e-4). Judge alone lands within 5 points of the paper for both k; the larger gap under debate is most likely the judge's robustness to pixels chosen adversarially, which random-pixel accuracy does not measure and which more data (and the CNN's spatial prior) should improve.");
        md.AppendLine("- **Judge.** An MLP on the paper's two input planes (mask, values), not its CNN: search scores hundreds of millions of positions, and the CNN costs ~1,600× more multiply-adds per position (`paper-cnn` is available, for runs with time to spare). The reproduction's MCTS runs use the small `pixel-mlp-s`; the larger `pixel-mlp` (~17× the cost per position) referees greedy debaters at k = 6: in our run it has the same random-pixel accuracy as `pixel-mlp-s` and is harder for the liar to fool (compare the greedy rows above).");
        md.AppendLine("- **Search.** 8 and 32 rollouts per move instead of 10k, uniform priors, one game per lie instead of three seeds with a majority. In our runs greedy play (0 rollouts) is within a few points of MCTS, as reimplementations found; more rollouts help the liar about as much as the honest debater.");
        var pre = rows.Where(r => r.Protocol == "debate" && r.Precommit == true && r.HonestDebater == r.LiarDebater && r.Judge != JudgeSpec.PaperCnn.Name).GroupBy(r => r.PixelsOrTask);
        foreach (var g in pre.OrderByDescending(g => g.Key))
        {
            // Best (judge, debater) pair: rows of different judges are different experiments, never pooled.
            var best = g.GroupBy(r => (r.Judge, r.Debater)).Select(d => (d.Key.Judge, d.Key.Debater, Acc: DebateReport.Pool(d.ToList(), out _))).OrderByDescending(d => d.Acc).First();
            double? paper = IrvingPaper.Debate(int.Parse(g.Key, CultureInfo.InvariantCulture), true, null);
            if (paper is double p)
                md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- **k = {g.Key}, precommit:** our best debaters ({best.Debater}, {best.Judge} judge) reach {best.Acc:0.000}, {100 * (p - best.Acc):0.0} points below the paper's {p:0.000}."));
        }
        // The architecture check: the paper's CNN against the MLP on the same digits and setting.
        foreach (var cnn in rows.Where(r => r.Protocol == "debate" && r.Judge == JudgeSpec.PaperCnn.Name && r.HonestDebater == r.LiarDebater))
        {
            var mlp = rows.Where(r => r.Protocol == "debate" && r.Judge != cnn.Judge && r.PixelsOrTask == cnn.PixelsOrTask && r.Debater == cnn.Debater
                && r.Precommit == cnn.Precommit && r.FirstMover == cnn.FirstMover).ToList();
            if (mlp.Count == 0) continue;
            var m = mlp[0];
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"- **Architecture check (k = {cnn.PixelsOrTask}, {cnn.Debater}, {(cnn.Precommit == true ? "precommit" : "no precommit")}, {cnn.FirstMover} first):** the paper's CNN judge ({cnn.JudgeTrainBatches:N0} batches; alone {cnn.JudgeAloneAccuracy:0.000} on these {cnn.N} digits) lets the honest debater win {cnn.JudgeAccuracy:0.000} [{cnn.CiLow:0.000}, {cnn.CiHigh:0.000}]; our {m.Judge} judge {m.JudgeAccuracy:0.000} [{m.CiLow:0.000}, {m.CiHigh:0.000}] on the first {m.N} digits (alone: {m.JudgeAloneAccuracy:0.000}). At this sample size it is a hint, not a finding, that the CNN's spatial prior makes a judge harder to fool with chosen pixels than its random-pixel accuracy suggests; we could afford the CNN only on {cnn.N} digits."));
        }
        md.AppendLine();
    }

    static void Throughput(StringBuilder md, IReadOnlyList<DebateRow> rows)
    {
        long evaluations = rows.Sum(r => r.JudgeEvaluations ?? 0);
        if (evaluations == 0) return;
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"The debates scored {evaluations:N0} judge positions in all (search included); see each run's `manifest.json` for the time per cell, and `src/OversightLab.Benchmarks` (`DebateJudge`) for judge evaluations per second.")).AppendLine();
    }

    static void Tournament(StringBuilder md, IReadOnlyList<(string Folder, DebateRow Row)> rows)
    {
        foreach (var group in rows.GroupBy(r => r.Folder))
        {
            var tables = DebateReport.Tournaments(group.Select(r => r.Row).ToList());
            if (tables.Count == 0) continue;
            md.AppendLine($"## Debater Elo ([{group.Key}]({group.Key}/report.md))").AppendLine();
            md.AppendLine($"![Elo]({group.Key}/{DebateReport.EloFigure}.png)").AppendLine();
            md.AppendLine("Maximum-likelihood Elo from every ordered (honest, liar) pairing, mean 1000, 95% bootstrap intervals; *truth advantage* = Elo arguing the truth − Elo lying (Khan et al. 2024 report it positive for LLM debaters: debate favours the truth).").AppendLine();
            foreach (var t in tables)
            {
                md.AppendLine($"{t.Setting}:").AppendLine();
                md.AppendLine("| debater | Elo | as honest | as liar | truth advantage |");
                md.AppendLine("|---|---|---|---|---|");
                for (int i = 0; i < t.Debaters.Count; i++)
                    md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {t.Debaters[i]} | {t.Pooled[i]:0} [{t.PooledCi[i].Low:0}, {t.PooledCi[i].High:0}] | {t.Honest[i]:0} | {t.Liar[i]:0} | {t.Honest[i] - t.Liar[i]:0} |"));
                md.AppendLine();
            }
        }
    }

    static void Evidence(StringBuilder md, IReadOnlyList<DebateRow> rows)
    {
        if (rows.Count == 0) return;
        md.AppendLine("## Evidence task: naive judge vs consultancy vs debate").AppendLine();
        md.AppendLine("Khan et al. 2024 (QuALITY, LLM judge): naive 48%, consultancy 54%, debate 76% (human judge: 60 / 78 / 88%); judge accuracy rises with debater strength under debate and falls as consultants get more persuasive. Ours: judge accuracy on the simulated task, by advocate strength (best of N quote sets per turn); 95% intervals in the run's report.").AppendLine();
        var budgets = rows.Where(r => r.Budget is not null).Select(r => r.Budget!.Value).Distinct().Order().ToList();
        foreach (string verification in rows.Where(r => r.Protocol != EvidenceGame.Naive).Select(EvidenceReport.Verification).Distinct().OrderByDescending(v => v == "normalized"))
        {
            md.AppendLine($"{verification} quote checking:").AppendLine();
            md.AppendLine($"| judge | protocol | {string.Join(" | ", budgets.Select(b => $"bo-{b}"))} |");
            md.AppendLine($"|---|---|{string.Concat(budgets.Select(_ => "---|"))}");
            foreach (var judge in rows.Select(r => r.Judge).Distinct().OrderBy(j => EvidenceJudge.Names.ToList().IndexOf(j)))
            {
                var naive = rows.Where(r => r.Judge == judge && r.Protocol == EvidenceGame.Naive).ToList();
                if (naive.Count > 0)
                    md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {judge} | naive (no evidence) | {string.Join(" | ", budgets.Select(b => DebateReport.Pool(naive, out var _).ToString("0.000", CultureInfo.InvariantCulture)))} |"));
                foreach (string protocol in new[] { EvidenceGame.Consultancy, EvidenceGame.Debate })
                {
                    var mine = rows.Where(r => r.Judge == judge && r.Protocol == protocol && EvidenceReport.Verification(r) == verification).ToList();
                    if (mine.Count == 0) continue;
                    md.AppendLine($"| {judge} | {protocol} | {string.Join(" | ", budgets.Select(b => mine.Where(r => r.Budget == b).ToList() is { Count: > 0 } c ? DebateReport.Pool(c, out _).ToString("0.000", CultureInfo.InvariantCulture) : "–"))} |");
                }
            }
            md.AppendLine();
        }
        // What the simulator shows, per judge: accuracy from the weakest to the strongest advocates.
        string lo = $"bo-{budgets[0]}", hi = $"bo-{budgets[^1]}";
        foreach (var judge in rows.Select(r => r.Judge).Distinct().OrderBy(j => EvidenceJudge.Names.ToList().IndexOf(j)))
        {
            double At(string protocol, int? budget) => DebateReport.Pool(rows.Where(r => r.Judge == judge && r.Protocol == protocol && r.Budget == budget
                && (protocol == EvidenceGame.Naive || EvidenceReport.Verification(r) == "normalized")).ToList(), out _);
            double naive = At(EvidenceGame.Naive, null), c0 = At(EvidenceGame.Consultancy, budgets[0]), c1 = At(EvidenceGame.Consultancy, budgets[^1]),
                d0 = At(EvidenceGame.Debate, budgets[0]), d1 = At(EvidenceGame.Debate, budgets[^1]);
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"- **{judge}** judge (normalized quotes): debate {d0:0.000} → {d1:0.000} from {lo} to {hi} ({(d1 > d0 ? "rises" : "falls")} with debater strength); consultancy {c0:0.000} → {c1:0.000}; at {hi} debate {(d1 > c1 ? "beats" : "does not beat")} consultancy and {(d1 > naive ? "beats" : "does not beat")} the judge alone ({naive:0.000})."));
        }
        md.AppendLine().AppendLine("How to read it: a judge that checks the three-sentence proof gains from debate as advocates grow strong enough to find it (the honest side can always quote true sentences; the liar's strongest true-but-misleading chain loses to a complete proof), while a dishonest consultant's misleading chain goes unanswered, so consultancy drops below the judge alone and recovers only as far as the honest half lifts it. A judge that follows only two-sentence chains is fooled by exactly that misleading chain under both protocols: debate helps only judges able to weigh the evidence the debaters surface. Exact quote checking rejects the honest side's faithful paraphrases and costs debate several points at the strongest advocates. Our weak advocates sit below 50% under debate because a misleading two-sentence chain is easier to stumble on than a three-sentence proof; Khan et al.'s LLM debaters start from competent arguments.").AppendLine();
    }

    static void Nso(StringBuilder md, IReadOnlyList<NsoRow> rows)
    {
        var at400 = rows.Where(r => Math.Abs(r.Gap - 400) < 1e-9).ToList();
        if (at400.Count == 0) return;
        md.AppendLine("## Nested scalable oversight (Engels et al. 2025)").AppendLine();
        md.AppendLine("| game | fits | n* | success at Δ = 400 | paper code | agrees to 3 decimals |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var r in at400)
        {
            var paper = NsoReport.PaperAt400.TryGetValue(r.Game, out var p) ? p : ((int, double)?)null;
            string agree = paper is { } q ? (Math.Round(q.Item2, 3) == Math.Round(r.Success, 3) && q.Item1 == r.BestSteps ? "✔" : "✘") : "–";
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Game} | {r.Fits} | {r.BestSteps} | {r.Success:0.0000} | {(paper is { } x ? $"n* = {x.Item1}, {x.Item2:0.0000}" : "–")} | {agree} |"));
        }
        md.AppendLine();
    }

    static void Line(StringBuilder md, int k, string measure, IReadOnlyList<DebateRow> rows, double? paper)
    {
        double acc = DebateReport.Pool(rows, out var ci);
        string within = paper is double p ? (Math.Abs(acc - p) <= Tolerance ? "✔" : "✘") : "–";
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {k} | {measure} | {acc:0.000} [{ci.Low:0.000}, {ci.High:0.000}] | {rows.Sum(r => r.N)} | {(paper is double q ? q.ToString("0.000", CultureInfo.InvariantCulture) : "–")} | {within} |"));
    }

    static double? Mean(double? a, double? b) => a is double x && b is double y ? (x + y) / 2 : null;
}
