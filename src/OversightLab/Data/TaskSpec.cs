using System.Globalization;
using static TorchSharp.torch;

namespace OversightLab.Data;

/// <summary>
/// Which weak-to-strong task: a family and its knobs. <see cref="Build"/> makes the data; the
/// same spec always gives the same data (fixed data seed).
/// </summary>
/// <param name="Family"><c>mnist</c>, <c>synthetic</c> or <c>mnist-preference</c></param>
/// <param name="Target">for <c>mnist</c>: which <see cref="DigitTarget"/></param>
/// <param name="Difficulty">for <c>synthetic</c>: weight of the concept's nonlinear part, 0 = linear in the latents</param>
/// <param name="LabelNoise">for <c>synthetic</c>: probability a training label is flipped (test labels stay clean)</param>
public sealed record TaskSpec(string Family, string Target = "digit-at-least-5", double Difficulty = 0.5, double LabelNoise = 0)
{
    public static IReadOnlyList<string> Families { get; } = ["mnist", "synthetic", "mnist-preference"];

    /// <summary>Examples are pairs of items and the question is which one is preferred.</summary>
    public bool IsPairs => Family == "mnist-preference";

    public string Name => Family switch
    {
        "mnist" => $"mnist/{Target}",
        "synthetic" => string.Create(CultureInfo.InvariantCulture, $"synthetic/difficulty={Difficulty:0.###},noise={LabelNoise:0.###}"),
        _ => Family,
    };

    public TaskData Build(Device device) => Family switch
    {
        "mnist" => MnistTasks.Classification(MnistDigits.Load(), DigitTarget.Find(Target)!, device),
        "mnist-preference" => MnistTasks.Preference(MnistDigits.Load(), device),
        "synthetic" => SyntheticConcept.Build(Difficulty, LabelNoise, device),
        _ => throw new ArgumentException($"unknown task family '{Family}'"),
    };
}
