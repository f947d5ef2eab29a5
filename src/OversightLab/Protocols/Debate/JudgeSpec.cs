namespace OversightLab.Protocols.Debate;

/// <summary>A sparse-pixel judge architecture by the name definitions use (<c>roles.judge</c>).</summary>
public sealed record JudgeSpec(string Name, string Summary, Func<SparseJudge> Create)
{
    /// <summary>Bump a judge's version when its architecture changes, so cached weights and finished cells are not reused.</summary>
    public string Canonical => $"{Name}-v1";

    public static JudgeSpec PaperCnn { get; } = new("paper-cnn",
        "the paper's CNN: conv 32 5×5 → pool → conv 64 5×5 → pool → dense 1024 (dropout 0.4) → 10; ~14.5M multiply-adds per position",
        () => new PaperCnnJudge());

    public static JudgeSpec PixelMlp { get; } = new("pixel-mlp",
        "MLP on the same two planes, first layer as per-pixel tables: 1568 → 1024 → 256 (dropout 0.4) → 10; ~0.27M multiply-adds per position",
        () => new PixelMlpJudge(1024, 256));

    public static JudgeSpec PixelMlpSmall { get; } = new("pixel-mlp-s",
        "pixel-mlp, 8× narrower: 1568 → 128 → 64 (dropout 0.4) → 10; ~9k multiply-adds per position — within ~2 points of pixel-mlp at 10k batches, the reproduction's judge",
        () => new PixelMlpJudge(128, 64));

    public static IReadOnlyList<JudgeSpec> All { get; } = [PixelMlp, PixelMlpSmall, PaperCnn];

    public static IReadOnlyList<string> Names => All.Select(j => j.Name).ToArray();

    public static JudgeSpec? Find(string name) => All.FirstOrDefault(j => j.Name == name);
}
