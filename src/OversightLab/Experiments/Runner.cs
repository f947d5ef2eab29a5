using OversightLab.Models;

namespace OversightLab.Experiments;

/// <summary>
/// Runs a definition into an output folder: takes the folder's lock, chooses the device and
/// threads, writes the manifest's provenance, and hands the sweep to the definition's protocol
/// (see <see cref="Protocol{TSettings, TCell, TRow}"/> for resume and atomic writes). A shard runs
/// into <c>OUT/shards/i-of-N/</c> and shares the model cache <c>OUT/cache/</c> with the others.
/// </summary>
public static class Runner
{
    public static RunSummary Run(ExperimentDefinition definition, RunOptions options, IProgress<CellProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        var device = Compute.ResolveDevice(options.Device);
        int threads = Compute.SetThreads(options.Threads);
        string root = Path.GetFullPath(options.OutDir);
        string outDir = options.Shard is null ? root : Path.Combine(root, "shards", options.Shard.FolderName);
        using var runLock = RunLock.Acquire(outDir);
        // Temporary files a killed run left behind: nobody else writes here while we hold the lock.
        foreach (string leftover in Directory.GetFiles(outDir, ".*.tmp")) File.Delete(leftover);

        var manifest = new Manifest
        {
            Experiment = definition.Name,
            Protocol = definition.Protocol.Name,
            DefinitionFile = Manifest.DefinitionPath(definition.SourceFile),
            Definition = definition.Resolved,
            Seeds = definition.Seeds,
            GitCommit = Manifest.CurrentCommit(Path.GetDirectoryName(Path.GetFullPath(definition.SourceFile)) ?? "."),
            Packages = Manifest.PackageVersions(),
            Runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            Os = Manifest.DescribeOs(),
            Device = device.ToString(),
            Threads = threads,
            StartedUtc = DateTime.UtcNow,
            Shards = options.Shard is null ? [] : [options.Shard.FolderName],
            // Timings of cells finished by earlier runs carry over; the protocol drops stale ones.
            Cells = Manifest.TryRead(outDir)?.Cells ?? [],
        };

        using var context = new RunContext(device, new ModelCache(Path.GetFullPath(options.CacheDir ?? Path.Combine(root, "cache"))), cancellation);
        var summary = definition.Protocol.Run(definition, context, outDir, manifest, options.Shard, progress, cancellation);
        manifest.FinishedUtc = DateTime.UtcNow;
        manifest.Write(outDir);
        return summary;
    }

    /// <summary>Combines <c>folder/shards/*/</c> into <paramref name="folder"/>: the same table, manifest and report a single process writes.</summary>
    public static MergeSummary Merge(string folder)
    {
        string shardsDir = Path.Combine(folder, "shards");
        var shards = Directory.Exists(shardsDir) ? Directory.GetDirectories(shardsDir).Order().ToList() : [];
        if (shards.Count == 0) throw new UsageException($"{folder}: no shards to merge (expected {shardsDir}/i-of-N/ folders from runs with --shard)");
        var manifest = Manifest.TryRead(shards[0]) ?? throw new UsageException($"{shards[0]}: no readable manifest.json");
        var protocol = ProtocolRegistry.Find(manifest.Protocol) ?? throw new UsageException($"{shards[0]}: unknown protocol '{manifest.Protocol}'");
        using var runLock = RunLock.Acquire(folder);
        return protocol.Merge(Path.GetFullPath(folder), shards);
    }
}
