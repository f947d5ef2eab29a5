using System.Reflection;
using System.Runtime.ExceptionServices;
using OversightLab.Experiments;
using OversightLab.Protocols.WeakToStrong;
using OversightLab.Reports;

namespace OversightLab.Notebook;

/// <summary>
/// A run folder as a notebook sees it: its manifest, CSV tables, figures and reports, read from
/// the files (reports never train). Works for any protocol; <see cref="W2sRows"/> and
/// <see cref="PgrTable"/> are the weak-to-strong views.
/// </summary>
public sealed class RunFolder
{
    /// <summary>The folder, as a full path.</summary>
    public string Folder { get; }

    /// <summary><c>manifest.json</c>: the resolved definition, seeds, commit, packages, device, time per cell.</summary>
    public Manifest? Manifest { get; }

    /// <summary>What the run did, when this folder came from <see cref="Lab.Run(string, RunSize, string?)"/>; null when opened.</summary>
    public RunSummary? Summary { get; }

    internal RunFolder(string folder, RunSummary? summary)
    {
        Folder = Path.GetFullPath(folder);
        if (!Directory.Exists(Folder))
            throw new DirectoryNotFoundException($"run folder '{Folder}' not found (a run folder holds manifest.json and the CSV tables, e.g. results/w2s/w2s-mnist)");
        Manifest = Manifest.TryRead(Folder);
        if (Manifest is null && Tables.Count == 0)
            throw new InvalidDataException($"'{Folder}' is not a run folder: it has neither manifest.json nor a CSV table");
        Summary = summary;
    }

    /// <summary>The experiment's name (the manifest's, else the folder's).</summary>
    public string Experiment => Manifest?.Experiment ?? Path.GetFileName(Folder);

    /// <summary>The protocol that wrote the folder, e.g. <c>weak-to-strong</c>; null without a manifest.</summary>
    public string? Protocol => Manifest?.Protocol is { Length: > 0 } p ? p : null;

    /// <summary>The CSV tables, full paths.</summary>
    public IReadOnlyList<string> Tables => Files("*.csv");

    /// <summary>The figures: every PNG or SVG, paired by name.</summary>
    public IReadOnlyList<Figure> Figures =>
        Files("*.png").Concat(Files("*.svg"))
            .GroupBy(f => Path.GetFileNameWithoutExtension(f))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Figure(g.Key, g.FirstOrDefault(f => f.EndsWith(".png", StringComparison.Ordinal)), g.FirstOrDefault(f => f.EndsWith(".svg", StringComparison.Ordinal))))
            .ToList();

    /// <summary><c>report.md</c>, or null.</summary>
    public string? ReportMarkdown => Existing("report.md");

    /// <summary><c>report.html</c> (self-contained: open it in a browser), or null.</summary>
    public string? ReportHtml => Existing(HtmlReport.FileName);

    /// <summary>A figure by name (<c>accuracy_vs_strong</c>, <c>pgr_heatmap_xent</c>, …).</summary>
    public Figure Figure(string name) =>
        Figures.FirstOrDefault(f => f.Name == name)
        ?? throw new KeyNotFoundException($"no figure '{name}' in {Folder} (figures: {string.Join(", ", Figures.Select(f => f.Name))})");

    /// <summary>Rows of a CSV table as typed records (<c>[CsvRecord]</c> types such as <see cref="W2sRow"/>).</summary>
    /// <param name="table">the file name; may be left out when the folder has one table</param>
    public List<T> Rows<T>(string? table = null)
    {
        string file = table is not null ? Path.Combine(Folder, table)
            : Tables.Count == 1 ? Tables[0]
            : throw new ArgumentException($"{Folder} has {Tables.Count} tables ({string.Join(", ", Tables.Select(Path.GetFileName))}); name one");
        if (!File.Exists(file)) throw new FileNotFoundException($"table '{file}' not found");
        return CsvTable.Read<T>(file);
    }

    /// <summary>The weak-to-strong rows (<c>w2s.csv</c>): one per cell.</summary>
    public List<W2sRow> W2sRows()
    {
        RequireProtocol(WeakToStrongProtocol.ProtocolName);
        return Rows<W2sRow>(WeakToStrongProtocol.Table);
    }

    /// <summary>The PGR table of one method (default: the first, the naive loss when present).</summary>
    public PgrTable PgrTable(string? method = null)
    {
        var tables = Notebook.PgrTable.From(W2sRows());
        if (tables.Count == 0) throw new InvalidDataException($"{Folder}: no finished cell, so no PGR table");
        return method is null ? tables[0]
            : tables.FirstOrDefault(t => t.Method == method)
              ?? throw new KeyNotFoundException($"no method '{method}' in {Folder} (methods: {string.Join(", ", tables.Select(t => t.Method))})");
    }

    /// <summary>Every method's PGR table.</summary>
    public IReadOnlyList<PgrTable> PgrTables() => Notebook.PgrTable.From(W2sRows());

    /// <summary>
    /// Rebuilds the figures, <c>report.md</c> and <c>report.html</c> from this folder's CSVs and
    /// manifest, in another folder (default: <see cref="Lab.RunsFolder"/>/rebuilt/experiment), so
    /// a committed reference run is never rewritten by reading it. Returns the new folder.
    /// </summary>
    public RunFolder Rebuild(string? into = null)
    {
        string target = Path.GetFullPath(into ?? Path.Combine(Lab.RunsFolder, "rebuilt", Experiment));
        if (target != Folder)
        {
            Directory.CreateDirectory(target);
            foreach (string file in Tables.Append(Path.Combine(Folder, Manifest.FileName)).Where(File.Exists))
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
        Report(target);
        HtmlReport.Write(target);
        return new RunFolder(target, null);
    }

    /// <summary>
    /// The protocol's own report (figures and <c>report.md</c>). <see cref="IProtocol"/> does not
    /// expose <c>Report</c>, but every protocol derives from
    /// <see cref="Protocol{TSettings, TCell, TRow}"/> where it is public, so reflection finds it
    /// without a per-protocol switch here.
    /// </summary>
    void Report(string folder)
    {
        var protocol = ProtocolRegistry.Find(Protocol ?? "")
            ?? throw new InvalidDataException($"{Folder}: manifest names protocol '{Protocol}', which this version does not know ({string.Join(", ", ProtocolRegistry.Names)})");
        var report = protocol.GetType().GetMethod("Report", BindingFlags.Public | BindingFlags.Instance, [typeof(string)])
            ?? throw new MissingMethodException(protocol.GetType().Name, "Report");
        try { report.Invoke(protocol, [folder]); }
        catch (TargetInvocationException e) when (e.InnerException is not null) { ExceptionDispatchInfo.Throw(e.InnerException); }
    }

    void RequireProtocol(string name)
    {
        if (Protocol is not null && Protocol != name)
            throw new InvalidOperationException($"{Folder} is a '{Protocol}' run, not '{name}'");
    }

    List<string> Files(string pattern) =>
        Directory.GetFiles(Folder, pattern).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToList();

    string? Existing(string name) => File.Exists(Path.Combine(Folder, name)) ? Path.Combine(Folder, name) : null;

    public override string ToString()
    {
        var m = Manifest;
        string cells = m is null ? "no manifest" : $"{m.Cells.Values.Count(c => c.Status == "ok")} of {m.CellsTotal} cells ok";
        string run = Summary is null ? "" : $"; this run computed {Summary.Computed}, skipped {Summary.Skipped}, failed {Summary.Failed}";
        return $"{Experiment} ({Protocol ?? "?"}): {cells}{run} — {Folder}";
    }
}
