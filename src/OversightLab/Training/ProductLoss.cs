using static TorchSharp.torch;

namespace OversightLab.Training;

/// <summary>
/// Product loss, <c>product</c> (Burns et al. 2023, appendix): CE(z, t) with target
/// t ∝ p^β ⊙ y^α, detached — the student's own belief and the weak label multiplied, as in a
/// product of experts. α = β = 1 and no warm-up, as in the reference code.
/// </summary>
public sealed class ProductLoss(double alpha = 1.0, double beta = 1.0) : ISoftTargetLoss
{
    public string Name => "product";

    public Tensor Compute(Tensor logits, Tensor targets, double progress) =>
        CrossEntropyLoss.SoftCrossEntropy(logits, SoftTargets(logits, targets, progress));

    /// <summary>t ∝ p^β ⊙ y^α, normalised.</summary>
    public Tensor SoftTargets(Tensor logits, Tensor targets, double progress)
    {
        var target = logits.detach().softmax(-1).pow(beta) * targets.pow(alpha);
        return target / target.sum(-1, keepdim: true).clamp_min(1e-12);
    }
}
