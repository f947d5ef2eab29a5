using OversightLab.Data;
using OversightLab.Models;
using OversightLab.Training;

namespace OversightLab.Protocols.WeakToStrong;

/// <summary>A weak-to-strong definition's own keys, typed.</summary>
/// <param name="Adapts">how pretrained models are fitted: <c>probe</c> (linear probe on frozen features) or <c>finetune</c> (whole network)</param>
/// <param name="EarlyStopping"><c>none</c>, <c>weak</c> (a validation split of the student's half, labelled by its supervisor) or <c>truth</c> (the same split with ground truth: not a fair weak-to-strong result, and the report says so)</param>
public sealed record W2sSettings(
    TaskSpec Task,
    IReadOnlyList<ModelSpec> WeakSupervisors,
    IReadOnlyList<ModelSpec> StrongStudents,
    IReadOnlyList<string> Methods,
    IReadOnlyList<string> Adapts,
    TrainConfig Train,
    double ConfidenceAlpha = 0.5,
    double ConfidenceWarmup = 0.2,
    string EarlyStopping = "none",
    double ValidationFraction = 0.2);
