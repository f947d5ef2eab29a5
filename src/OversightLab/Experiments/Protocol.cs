using System.Diagnostics;
using OversightLab.Reports;
using OversightLab.Training;

namespace OversightLab.Experiments;

/// <summary>
/// A protocol: its definition keys, how a definition expands into cells, how one cell runs
/// (returning a row; protocols never write files or print), and its report (which reads the CSV
/// only). The sweep loop — skip finished cells, run the rest in order, rewrite the CSV and the
/// manifest atomically after each — is shared by every protocol and lives here.
/// </summary>
public abstract class Protocol<TSettings, TCell, TRow> : IProtocol
    where TSettings : class
    where TCell : ICell
    where TRow : class, IResultRow
{
    public abstract string Name { get; }
    /// <summary>The results table in the run folder, e.g. <c>w2s.csv</c>.</summary>
    public abstract string TableFile { get; }
    public abstract IReadOnlyList<Field> Fields { get; }

    public abstract TSettings Parse(DefinitionValues values);
    public abstract IReadOnlyList<TCell> Cells(TSettings settings, IReadOnlyList<int> seeds);
    /// <summary>Runs one cell into its row. A protocol whose cells yield several rows (a learning curve) overrides <see cref="RunRows"/> instead.</summary>
    public virtual TRow Run(TCell cell, RunContext context) => throw new NotSupportedException($"{Name}: a cell yields several rows; call RunRows");
    /// <summary>All rows of one cell: by default the single row of <see cref="Run"/>.</summary>
    public virtual IReadOnlyList<TRow> RunRows(TCell cell, RunContext context) => [Run(cell, context)];
    /// <summary>The row recorded for a cell whose training failed (NaN/inf loss).</summary>
    public abstract TRow Failed(TCell cell, string message);
    /// <summary>What a progress line says about a finished cell (given its last row).</summary>
    public abstract string Outcome(TRow row);
    /// <summary>Figures and report.md, from the run folder's CSV.</summary>
    public abstract void Report(string folder);

    /// <summary>Override to write a reproduction's summary; by default there is none.</summary>
    public virtual void Summarize(string reproductionFolder, IReadOnlyList<(ExperimentDefinition Definition, string Folder)> runs) { }

    public IReadOnlyList<TCell> Cells(ExperimentDefinition definition) => Cells(SettingsOf(definition), definition.Seeds);

    public static TSettings SettingsOf(ExperimentDefinition definition) =>
        definition.Settings as TSettings ?? throw new ArgumentException($"definition '{definition.Name}' is not a {typeof(TSettings).Name} experiment");

    object IProtocol.ParseSettings(DefinitionValues values) => Parse(values);

    int IProtocol.CountCells(ExperimentDefinition definition) => Cells(definition).Count;

    RunSummary IProtocol.Run(ExperimentDefinition definition, RunContext context, string outDir, Manifest manifest, Shard? shard,
        IProgress<CellProgress>? progress, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var all = Cells(definition);
        var cells = all.Where(c => shard is null || shard.Owns(c)).ToList();
        var order = cells.ToDictionary(c => c.Id, c => c.Index);
        string table = Path.Combine(outDir, TableFile);
        // Keep finished cells still in the definition (all their rows ok); everything else is (re)computed.
        var rows = (File.Exists(table) ? CsvTable.Read<TRow>(table) : [])
            .Where(r => order.ContainsKey(r.CellId))
            .GroupBy(r => r.CellId).Where(g => g.All(r => r.Status == "ok"))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<TRow>)g.ToList());
        foreach (string stale in manifest.Cells.Keys.Where(id => !rows.ContainsKey(id)).ToList()) manifest.Cells.Remove(stale);
        manifest.CellsTotal = all.Count; // the whole sweep's, also in a shard: merge compares against it

        context.Pending = [.. cells.Where(c => !rows.ContainsKey(c.Id)).Cast<ICell>()];
        var failures = new List<string>();
        int computed = 0, skipped = 0, done = 0;
        double secondsComputing = 0;
        foreach (var cell in cells)
        {
            cancellation.ThrowIfCancellationRequested();
            done++;
            if (rows.ContainsKey(cell.Id))
            {
                skipped++;
                progress?.Report(new CellProgress(done, cells.Count, cell.Label, "done earlier", true, clock.Elapsed, null));
                continue;
            }
            var started = Stopwatch.StartNew();
            IReadOnlyList<TRow> cellRows;
            try
            {
                cellRows = RunRows(cell, context);
            }
            catch (TrainingDivergedException e)
            {
                cellRows = [Failed(cell, e.Message)];
                failures.Add($"{cell.Label}: {e.Message}");
            }
            var row = cellRows[^1];
            double seconds = started.Elapsed.TotalSeconds;
            secondsComputing += seconds;
            computed++;
            rows[cell.Id] = cellRows;
            CsvTable.Write(table, rows.OrderBy(r => order[r.Key]).SelectMany(r => r.Value));
            manifest.Cells[cell.Id] = new Manifest.CellRecord
            {
                Index = cell.Index, Label = cell.Label, Status = row.Status, WallSeconds = Math.Round(seconds, 3), FinishedUtc = DateTime.UtcNow,
                GitCommit = manifest.GitCommit,
            };
            manifest.Write(outDir);
            var eta = TimeSpan.FromSeconds(secondsComputing / computed * (cells.Count - done));
            progress?.Report(new CellProgress(done, cells.Count, cell.Label, row.Status == "ok" ? Outcome(row) : "FAILED: " + row.Note, false, clock.Elapsed, eta));
        }
        if (rows.Count > 0)
        {
            Report(outDir);
            HtmlReport.Write(outDir);
        }
        return new RunSummary(outDir, cells.Count, computed, skipped, failures.Count, clock.Elapsed, failures);
    }

    MergeSummary IProtocol.Merge(string folder, IReadOnlyList<string> shardFolders)
    {
        var manifests = shardFolders.Select(f => Manifest.TryRead(f) ?? throw new UsageException($"{f}: no readable manifest.json; not a shard folder")).ToList();
        // A cell's rows (several for a protocol that records learning curves) come from one shard; an all-ok set wins.
        var rows = new Dictionary<string, IReadOnlyList<TRow>>();
        foreach (string shard in shardFolders)
        {
            string table = Path.Combine(shard, TableFile);
            if (!File.Exists(table)) continue;
            foreach (var cell in CsvTable.Read<TRow>(table).GroupBy(r => r.CellId))
                if (!rows.TryGetValue(cell.Key, out var seen) || seen.Any(r => r.Status != "ok")) rows[cell.Key] = cell.ToList();
        }
        var merged = manifests[0];
        merged.Cells = new SortedDictionary<string, Manifest.CellRecord>(manifests.SelectMany(m => m.Cells).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.First().Value));
        merged.Shards = shardFolders.Select(Path.GetFileName).Select(n => n!).Order().ToList();
        merged.FinishedUtc = manifests.Max(m => m.FinishedUtc);
        var order = merged.Cells.ToDictionary(c => c.Key, c => c.Value.Index);
        var known = rows.Where(r => order.ContainsKey(r.Key)).OrderBy(r => order[r.Key]).ToList();
        CsvTable.Write(Path.Combine(folder, TableFile), known.SelectMany(r => r.Value));
        merged.Write(folder);
        if (known.Count > 0)
        {
            Report(folder);
            HtmlReport.Write(folder);
        }
        int ok = known.Count(r => r.Value.All(x => x.Status == "ok"));
        return new MergeSummary(folder, shardFolders.Count, ok, known.Count - ok, merged.CellsTotal);
    }
}
