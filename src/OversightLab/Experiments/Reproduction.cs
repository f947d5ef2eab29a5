namespace OversightLab.Experiments;

/// <summary>
/// <c>oversightlab reproduce NAME</c>: runs every <c>experiments/NAME-*.yaml</c> into
/// <c>results/NAME/&lt;definition name&gt;/</c>, in file order, then lets each protocol involved
/// summarise the runs (its comparison with the paper). Finished cells are skipped as in any run.
/// The runs share one model cache, <c>results/NAME/cache/</c>: a model whose key (its content hash)
/// an earlier definition already trained — the same pretrained encoder, most often — is loaded,
/// not trained again.
/// </summary>
public static class Reproduction
{
    public static IReadOnlyList<string> DefinitionFiles(string experimentsFolder, string name)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9][a-z0-9_-]*$"))
            throw new UsageException($"reproduce {name}: expected a name such as w2s, debate or ida");
        var files = Directory.Exists(experimentsFolder) ? Directory.GetFiles(experimentsFolder, $"{name}-*.yaml").Order().ToList() : [];
        return files.Count > 0 ? files
            : throw new UsageException($"reproduce {name}: no definitions {Path.Combine(experimentsFolder, name)}-*.yaml");
    }

    public static IReadOnlyList<RunSummary> Run(string name, string experimentsFolder, string resultsFolder, RunOptions options,
        Func<ExperimentDefinition, IProgress<CellProgress>?>? progress = null, CancellationToken cancellation = default)
    {
        // Parse every definition first: a mistake in the last file stops the reproduction before any training.
        var definitions = DefinitionFiles(experimentsFolder, name).Select(DefinitionParser.Load).ToList();
        string folder = Path.Combine(resultsFolder, name);
        var runs = new List<(ExperimentDefinition, string)>();
        var summaries = new List<RunSummary>();
        foreach (var definition in definitions)
        {
            string outDir = Path.Combine(folder, definition.Name);
            summaries.Add(Runner.Run(definition, options with { OutDir = outDir, CacheDir = options.CacheDir ?? Path.Combine(folder, "cache") },
                progress?.Invoke(definition), cancellation));
            runs.Add((definition, outDir));
        }
        foreach (var group in runs.GroupBy(r => r.Item1.Protocol))
            group.Key.Summarize(folder, group.ToList());
        if (File.Exists(Path.Combine(folder, "README.md"))) Reports.HtmlReport.Write(folder);
        return summaries;
    }
}
