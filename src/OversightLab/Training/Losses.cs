namespace OversightLab.Training;

/// <summary>The weak-to-strong training losses by the names definitions use.</summary>
public static class Losses
{
    /// <summary>Loss names; <c>bootstrap</c> is a method too but a pipeline, not a loss (see the weak-to-strong protocol).</summary>
    public static IReadOnlyList<string> Names { get; } = ["xent", "logconf", "product", "conf-weighted", "sqloss"];

    public static ITrainingLoss Create(string name, double confidenceAlpha = 0.5, double confidenceWarmup = 0.2) => name switch
    {
        "xent" => new CrossEntropyLoss(),
        "logconf" => new ConfidenceLoss(confidenceAlpha, confidenceWarmup),
        "product" => new ProductLoss(),
        "conf-weighted" => new ConfidenceWeightedLoss(),
        "sqloss" => new SquaredLoss(),
        _ => throw new ArgumentException($"unknown loss '{name}' (known: {string.Join(", ", Names)})"),
    };
}
