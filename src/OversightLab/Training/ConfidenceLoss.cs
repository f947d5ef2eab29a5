using static TorchSharp.torch;

namespace OversightLab.Training;

/// <summary>
/// Auxiliary confidence loss, <c>logconf</c> (Burns et al. 2023, section 4.3.2):
/// CE(z, (1 − α)·y + α·ĥ), where ĥ hardens the student's own prediction (detached).
/// <para>
/// Binary: ĥ thresholds p(class 0) at the batch quantile that makes the hardened class balance
/// match the batch's mean weak label, so the student is pushed to be confident without being
/// pushed towards one class. More classes: ĥ is the student's argmax.
/// </para>
/// <para>
/// α ramps linearly from 0 to <see cref="AlphaMax"/> over the first <see cref="Warmup"/> fraction of
/// training and stays there. The reference code instead jumps from α_max·warmup to α_max when the
/// warm-up ends (a known bug); the smooth ramp is what its paper describes.
/// </para>
/// </summary>
public sealed class ConfidenceLoss(double alphaMax = 0.5, double warmup = 0.2) : ISoftTargetLoss
{
    public double AlphaMax { get; } = alphaMax;
    public double Warmup { get; } = warmup;

    public string Name => "logconf";

    public double Alpha(double progress) => AlphaMax * (Warmup <= 0 ? 1 : Math.Min(1, progress / Warmup));

    public Tensor Compute(Tensor logits, Tensor targets, double progress) =>
        CrossEntropyLoss.SoftCrossEntropy(logits, SoftTargets(logits, targets, progress));

    /// <summary>(1 − α)·y + α·ĥ.</summary>
    public Tensor SoftTargets(Tensor logits, Tensor targets, double progress)
    {
        double alpha = Alpha(progress);
        var hardened = Harden(logits.detach().softmax(-1), targets);
        return targets * (1 - alpha) + hardened * alpha;
    }

    /// <summary>ĥ: the student's predictions made hard, with the batch's weak class balance (binary) or by argmax.</summary>
    /// <param name="probabilities">batch × classes, or S × batch × classes (a stack of models, each hardened on its own batch)</param>
    public static Tensor Harden(Tensor probabilities, Tensor weakLabels)
    {
        long classes = probabilities.size(-1);
        if (classes != 2) return nn.functional.one_hot(probabilities.argmax(-1), classes).to_type(probabilities.dtype);
        // Fraction hardened to class 1 = mean weak label of class 1: threshold p0 at that quantile.
        // (q stays a tensor of p0's dtype: no read-back to the host in the training step.)
        var weakMeanClass1 = weakLabels.select(-1, 1).mean([-1]).to_type(probabilities.dtype);
        var p0 = probabilities.select(-1, 0);
        var class0 = (p0 >= Quantile(p0, weakMeanClass1)).to_type(probabilities.dtype);
        return stack([class0, 1 - class0], -1);
    }

    /// <summary>
    /// The <paramref name="q"/>-quantile of <paramref name="values"/> along the last dimension, one q
    /// per row (a stack of models' batches), interpolating linearly between order statistics with the
    /// operations torch.quantile uses.
    /// </summary>
    /// <returns>one threshold per row, keeping the last dimension (size 1) for broadcasting</returns>
    public static Tensor Quantile(Tensor values, Tensor q)
    {
        var sorted = values.sort(-1).Values;
        var ranks = (q * (values.size(-1) - 1)).unsqueeze(-1);
        var below = ranks.to_type(ScalarType.Int64);
        var above = ranks.ceil().to_type(ScalarType.Int64);
        return sorted.gather(-1, below).lerp_(sorted.gather(-1, above), ranks - below);
    }
}
