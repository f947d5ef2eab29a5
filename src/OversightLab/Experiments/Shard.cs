using System.Globalization;

namespace OversightLab.Experiments;

/// <summary>
/// Which deterministic slice of a sweep this process runs: cells whose index ≡ <see cref="Index"/>
/// (mod <see cref="Count"/>). Round-robin, so each shard gets a mix of cheap and expensive cells.
/// Each shard writes its own folder, <c>OUT/shards/i-of-N/</c>; <c>oversightlab merge OUT</c>
/// combines them.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    public string FolderName => string.Create(CultureInfo.InvariantCulture, $"{Index}-of-{Count}");

    public bool Owns(ICell cell) => cell.Index % Count == Index;

    /// <summary>Parses <c>i/N</c> (0 ≤ i &lt; N).</summary>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out int i) && int.TryParse(parts[1], out int n) && n >= 1 && i >= 0 && i < n)
            return new Shard(i, n);
        throw new UsageException($"--shard {text}: expected i/N with 0 <= i < N, e.g. 0/4");
    }

    /// <summary>The shard named by a Slurm job array (SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT), if any.</summary>
    public static Shard? FromSlurm(Func<string, string?> environment)
    {
        string? id = environment("SLURM_ARRAY_TASK_ID"), count = environment("SLURM_ARRAY_TASK_COUNT");
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(count)) return null;
        return Parse($"{id}/{count}");
    }
}
