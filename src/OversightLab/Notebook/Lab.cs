using System.Diagnostics;
using System.Globalization;
using OversightLab.Experiments;
using OversightLab.Protocols.WeakToStrong;
using YamlDotNet.Serialization;

namespace OversightLab.Notebook;

/// <summary>
/// The notebook entry point: run a definition, or open a result folder, in a line each.
/// <code>
/// var run = Lab.Run("experiments/quickstart.yaml", RunSize.Smoke);   // → RunFolder
/// display(HTML(run.Figure("accuracy_vs_strong").ToHtml()));
/// display(HTML(run.PgrTable().ToHtml()));
/// var reference = Lab.Open("results/w2s/w2s-mnist");
/// </code>
/// <para>
/// Thin on purpose: it parses with <see cref="DefinitionParser"/>, runs with <see cref="Runner"/>
/// (resume, atomic files and the manifest come with it) and reads folders with the report code, so
/// a notebook sees exactly what the CLI writes. Paths such as <c>experiments/quickstart.yaml</c>
/// resolve against the working directory first, then against the repository root, because a
/// notebook kernel usually starts in <c>notebooks/</c>.
/// </para>
/// </summary>
public static class Lab
{
    // Declared first: static initialisers run in order, and RunsFolder's default reads it.
    /// <summary>The repository root (the folder holding <c>OversightLab.sln</c>) above the working directory or the library; null outside a checkout.</summary>
    public static string? Repository { get; } = FindRepository();

    /// <summary>Where runs go when no folder is given: <c>runs/notebooks/</c> in the repository (git-ignored).</summary>
    public static string RunsFolder { get; set; } = Path.Combine(Repository ?? Directory.GetCurrentDirectory(), "runs", "notebooks");

    /// <summary><c>auto</c> (CUDA when usable, else CPU), <c>cpu</c> or <c>cuda</c>.</summary>
    public static string Device { get; set; } = "auto";

    /// <summary>TorchSharp threads for runs; null = one per core.</summary>
    public static int? Threads { get; set; }

    /// <summary>Where progress lines go; null = the console (what a notebook shows under the cell).</summary>
    public static TextWriter? Log { get; set; }

    /// <summary>Runs the definition file at <paramref name="size"/> into <paramref name="outDir"/> (default: <see cref="RunsFolder"/>/name[-smoke]); finished cells are skipped.</summary>
    public static RunFolder Run(string definitionFile, RunSize size = RunSize.Full, string? outDir = null) =>
        Run(Load(definitionFile, size), size, outDir);

    /// <summary>Runs a definition written inline as YAML (same keys as a file in <c>experiments/</c>).</summary>
    public static RunFolder RunYaml(string yaml, RunSize size = RunSize.Full, string? outDir = null) =>
        Run(Parse(yaml, size), size, outDir);

    /// <summary>Runs an already parsed definition (see <see cref="Load"/>, <see cref="Parse"/>).</summary>
    /// <param name="size">only names the default output folder: resize with <see cref="Resize"/> or <see cref="Load"/></param>
    public static RunFolder Run(ExperimentDefinition definition, RunSize size = RunSize.Full, string? outDir = null)
    {
        string folder = Path.GetFullPath(outDir ?? Path.Combine(RunsFolder, size == RunSize.Smoke ? definition.Name + "-smoke" : definition.Name));
        var log = Log ?? Console.Out;
        log.WriteLine($"{definition.Name}: {definition.Protocol.Name}, {definition.Protocol.CountCells(definition)} cells → {folder}");
        var summary = Runner.Run(definition, new RunOptions(folder, Device, Threads), new LineProgress(log));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"done in {summary.Wall.TotalSeconds:0.0} s: {summary.Computed} computed, {summary.Skipped} already done, {summary.Failed} failed"));
        return new RunFolder(folder, summary);
    }

    /// <summary>Parses a definition file (errors name the file, line and field) and resizes it.</summary>
    public static ExperimentDefinition Load(string definitionFile, RunSize size = RunSize.Full) =>
        Resize(DefinitionParser.Load(Find(definitionFile)), size);

    /// <summary>Parses an inline YAML definition and resizes it.</summary>
    public static ExperimentDefinition Parse(string yaml, RunSize size = RunSize.Full) =>
        Resize(DefinitionParser.Parse(yaml, "notebook.yaml"), size);

    /// <summary>Opens a run folder (a <c>results/…</c> reference run, or one a notebook made).</summary>
    public static RunFolder Open(string folder) => new(Find(folder), null);

    /// <summary>
    /// The definition cut to <paramref name="size"/> (see <see cref="RunSize.Smoke"/>). The cut is
    /// made on the resolved values and parsed again, so it is validated like a file, and the run's
    /// manifest records what actually ran — not the full definition it came from.
    /// </summary>
    public static ExperimentDefinition Resize(ExperimentDefinition definition, RunSize size)
    {
        if (size == RunSize.Full) return definition;
        var values = Copy(definition.Resolved);
        values["seeds"] = new object[] { definition.Seeds[0] };
        foreach (string path in GridPaths(definition.Protocol.Fields, ""))
            if (Get(values, path) is object[] { Length: > 1 } axis) Set(values, path, new[] { axis[0] });
        string cut = "first seed, first value of each grid axis";
        if (definition.Settings is W2sSettings w2s)
        {
            // The two lowest-ranked supervisors, and the two lowest-ranked students above the
            // weakest of them: the cheapest models to pretrain that still make a 2 × 2 grid.
            var weak = w2s.WeakSupervisors.OrderBy(m => m.Rank).Take(2).ToList();
            var strong = w2s.StrongStudents.Where(s => s.Rank > weak[0].Rank).OrderBy(m => m.Rank).Take(2).ToList();
            Set(values, "roles.weak_supervisor", weak.Select(m => (object)m.Name).ToArray());
            Set(values, "roles.strong_student", strong.Select(m => (object)m.Name).ToArray());
            Set(values, "train.epochs", (long)Math.Min(w2s.Train.Epochs, 2));
            cut = "first seed, first method and adaptation, two weak supervisors × two strong students (the lowest-ranked), at most 2 epochs";
        }
        string description = values.TryGetValue("description", out var d) ? (d as string ?? "").Trim() : "";
        values["description"] = (description.Length > 0 ? description + "\n" : "") + $"Smoke size ({cut}): shows the pipeline works, not what the experiment finds.";
        string yaml = new SerializerBuilder().Build().Serialize(values);
        var resized = DefinitionParser.Parse(yaml, $"{definition.SourceFile} (smoke size)");
        return resized with { SourceFile = definition.SourceFile };
    }

    /// <summary>
    /// A path as a notebook means it: absolute as is; else relative to the working directory if it
    /// exists there; else relative to the repository root if it exists there; else the working
    /// directory's (so a "not found" message names the place one would expect).
    /// </summary>
    public static string Find(string path)
    {
        if (Path.IsPathRooted(path)) return path;
        string here = Path.GetFullPath(path);
        if (File.Exists(here) || Directory.Exists(here)) return here;
        if (Repository is not null)
        {
            string inRepo = Path.GetFullPath(Path.Combine(Repository, path));
            if (File.Exists(inRepo) || Directory.Exists(inRepo)) return inRepo;
        }
        return here;
    }

    static string? FindRepository()
    {
        var starts = new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory, Path.GetDirectoryName(typeof(Lab).Assembly.Location) ?? "" };
        foreach (string start in starts.Where(s => s.Length > 0))
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "OversightLab.sln"))) return dir.FullName;
        return null;
    }

    static IEnumerable<string> GridPaths(IEnumerable<Field> fields, string prefix)
    {
        foreach (var field in fields)
        {
            if (field.Grid) yield return prefix + field.Key;
            foreach (string child in GridPaths(field.Children, prefix + field.Key + ".")) yield return child;
        }
    }

    /// <summary>A mutable deep copy of resolved values (nested dictionaries, arrays, scalars).</summary>
    static Dictionary<string, object> Copy(IReadOnlyDictionary<string, object> values) =>
        values.ToDictionary(kv => kv.Key, kv => kv.Value switch
        {
            IReadOnlyDictionary<string, object> nested => Copy(nested),
            object[] list => list.ToArray(),
            var scalar => scalar,
        });

    static object? Get(Dictionary<string, object> values, string path)
    {
        object? node = values;
        foreach (string part in path.Split('.'))
            node = node is Dictionary<string, object> d && d.TryGetValue(part, out var child) ? child : null;
        return node;
    }

    static void Set(Dictionary<string, object> values, string path, object value)
    {
        string[] parts = path.Split('.');
        var node = values;
        foreach (string part in parts[..^1]) node = (Dictionary<string, object>)node[part];
        node[parts[^1]] = value;
    }

    /// <summary>One line per finished cell, written as it happens (<see cref="Progress{T}"/> would post them out of order).</summary>
    sealed class LineProgress(TextWriter log) : IProgress<CellProgress>
    {
        readonly Stopwatch clock = Stopwatch.StartNew();

        public void Report(CellProgress p) =>
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  [{p.Done}/{p.Total}] {p.Label}: {p.Outcome} ({clock.Elapsed.TotalSeconds:0.0} s)"));
    }
}
