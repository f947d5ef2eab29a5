namespace OversightLab.Experiments;

/// <summary>How to run a definition: where results go and on what hardware.</summary>
/// <param name="Device">auto, cpu or cuda</param>
/// <param name="Threads">TorchSharp intra-op threads; null = one per core</param>
/// <param name="Shard">run only this slice of the cells, into OutDir/shards/i-of-N/</param>
/// <param name="CacheDir">where shared models (pretrained encoders, supervisors, ceilings) are cached; null = OutDir/cache/</param>
public sealed record RunOptions(string OutDir, string Device = "auto", int? Threads = null, Shard? Shard = null, string? CacheDir = null);
