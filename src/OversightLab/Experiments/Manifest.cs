using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using OversightLab.Reports;

namespace OversightLab.Experiments;

/// <summary>Provenance of a run folder: <c>manifest.json</c>. A result without provenance is useless.</summary>
public sealed class Manifest
{
    public const string FileName = "manifest.json";

    [JsonPropertyName("experiment")] public string Experiment { get; set; } = "";
    [JsonPropertyName("protocol")] public string Protocol { get; set; } = "";
    [JsonPropertyName("definition_file")] public string DefinitionFile { get; set; } = "";
    [JsonPropertyName("definition")] public IReadOnlyDictionary<string, object> Definition { get; set; } = new Dictionary<string, object>();
    [JsonPropertyName("seeds")] public IReadOnlyList<int> Seeds { get; set; } = [];
    [JsonPropertyName("git_commit")] public string GitCommit { get; set; } = "";
    [JsonPropertyName("packages")] public SortedDictionary<string, string> Packages { get; set; } = [];
    [JsonPropertyName("runtime")] public string Runtime { get; set; } = "";
    [JsonPropertyName("os")] public string Os { get; set; } = "";
    [JsonPropertyName("device")] public string Device { get; set; } = "";
    [JsonPropertyName("threads")] public int Threads { get; set; }
    [JsonPropertyName("started_utc")] public DateTime StartedUtc { get; set; }
    [JsonPropertyName("finished_utc")] public DateTime? FinishedUtc { get; set; }
    [JsonPropertyName("cells_total")] public int CellsTotal { get; set; }
    /// <summary>The shard this folder holds ("i-of-N"), or, after a merge, the shards it combines.</summary>
    [JsonPropertyName("shards")] public List<string> Shards { get; set; } = [];
    [JsonPropertyName("cells")] public SortedDictionary<string, CellRecord> Cells { get; set; } = [];

    public sealed class CellRecord
    {
        [JsonPropertyName("index")] public int Index { get; set; }
        [JsonPropertyName("label")] public string Label { get; set; } = "";
        [JsonPropertyName("status")] public string Status { get; set; } = "";
        [JsonPropertyName("wall_seconds")] public double WallSeconds { get; set; }
        [JsonPropertyName("finished_utc")] public DateTime FinishedUtc { get; set; }
        /// <summary>The commit of the run that computed this cell (a later run may resume with a newer one).</summary>
        [JsonPropertyName("git_commit")] public string GitCommit { get; set; } = "";
    }

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static Manifest? TryRead(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), Json); }
        catch (JsonException) { return null; } // an unreadable manifest is replaced, not trusted
    }

    public void Write(string folder) => AtomicFile.WriteText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json) + "\n");

    public static SortedDictionary<string, string> PackageVersions()
    {
        var versions = new SortedDictionary<string, string>();
        foreach (var type in new[] { typeof(TorchSharp.torch), typeof(ScottPlot.Plot), typeof(CsvHelper.CsvWriter), typeof(MathNet.Numerics.Constants), typeof(YamlDotNet.Core.Parser), typeof(Manifest) })
        {
            var assembly = type.Assembly;
            string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "?";
            versions[assembly.GetName().Name!] = version.Split('+')[0];
        }
        versions["libtorch"] = TorchSharp.torch.__version__;
        return versions;
    }

    public static string DescribeOs() => RuntimeInformation.OSDescription;

    /// <summary>
    /// A definition file as the manifest records it: relative to its git repository's top level
    /// (with <see cref="GitCommit"/>, that names the file on any clone), or its absolute path
    /// outside a repository.
    /// </summary>
    public static string DefinitionPath(string file)
    {
        string full = Path.GetFullPath(file);
        string? top = null;
        try { top = Git(Path.GetDirectoryName(full) ?? ".", "rev-parse --show-toplevel"); }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException) { }
        if (top is null) return full;
        string relative = Path.GetRelativePath(top, full);
        // A path through a symbolic link can lead out of the top level git reports: keep the absolute one.
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>The repository's commit, with "-dirty" when tracked files differ; "unknown" outside a checkout.</summary>
    public static string CurrentCommit(string folder)
    {
        try
        {
            string? head = Git(folder, "rev-parse HEAD");
            if (head is null) return "unknown";
            string? status = Git(folder, "status --porcelain --untracked-files=no");
            return string.IsNullOrWhiteSpace(status) ? head : head + "-dirty";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "unknown";
        }
    }

    static string? Git(string folder, string arguments)
    {
        var info = new ProcessStartInfo("git", arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : null;
    }
}
