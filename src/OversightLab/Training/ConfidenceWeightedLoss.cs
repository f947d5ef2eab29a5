using static TorchSharp.torch;

namespace OversightLab.Training;

/// <summary>
/// Confidence-weighted cross-entropy, <c>conf-weighted</c>: each example's CE(z, y) is weighted by
/// the weak supervisor's confidence, w = (max_c y_c − 1/C) / (1 − 1/C) — 0 for a uniform label,
/// 1 for a certain one — so the student learns less from labels its supervisor was unsure of.
/// Loss = Σ w·CE / Σ w.
/// </summary>
public sealed class ConfidenceWeightedLoss : ITrainingLoss
{
    public string Name => "conf-weighted";

    public Tensor Compute(Tensor logits, Tensor targets, double progress)
    {
        double chance = 1.0 / targets.shape[^1];
        var weight = ((targets.max(-1).values - chance) / (1 - chance)).detach();
        var perExample = -(targets * logits.log_softmax(-1)).sum(-1);
        return (weight * perExample).sum(-1) / weight.sum(-1).clamp_min(1e-12);
    }
}
