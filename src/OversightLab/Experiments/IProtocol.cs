namespace OversightLab.Experiments;

/// <summary>
/// What the parser, the schema and the runner need from a protocol, whatever its cells and rows.
/// Implement it by deriving from <see cref="Protocol{TSettings, TCell, TRow}"/> and add the
/// instance to <see cref="ProtocolRegistry"/>.
/// </summary>
public interface IProtocol
{
    /// <summary>The value of <c>protocol:</c> in a definition.</summary>
    string Name { get; }
    /// <summary>The definition keys this protocol adds to name, description, protocol and seeds.</summary>
    IReadOnlyList<Field> Fields { get; }
    /// <summary>Typed settings from validated values; semantic problems throw <see cref="DefinitionException"/>.</summary>
    object ParseSettings(DefinitionValues values);
    /// <summary>How many cells the definition expands into.</summary>
    int CountCells(ExperimentDefinition definition);
    /// <summary>The results table in a run folder, e.g. <c>w2s.csv</c>.</summary>
    string TableFile { get; }
    /// <summary>Runs the definition's unfinished cells (those of <paramref name="shard"/>, if given) into <paramref name="outDir"/> and writes its report.</summary>
    RunSummary Run(ExperimentDefinition definition, RunContext context, string outDir, Manifest manifest, Shard? shard,
        IProgress<CellProgress>? progress, CancellationToken cancellation);
    /// <summary>Combines shard folders' tables and manifests into <paramref name="folder"/>, in cell order, and writes the report.</summary>
    MergeSummary Merge(string folder, IReadOnlyList<string> shardFolders);

    /// <summary>
    /// After <c>oversightlab reproduce</c>: a summary across the reproduction's run folders (for
    /// example <c>results/w2s/README.md</c> comparing with the paper), read from their CSVs.
    /// </summary>
    void Summarize(string reproductionFolder, IReadOnlyList<(ExperimentDefinition Definition, string Folder)> runs);
}
