using static TorchSharp.torch;

namespace OversightLab.Training;

/// <summary>
/// A loss on a batch of logits against soft targets (rows summing to 1). Losses reduce over the
/// last two dimensions only, so a stack of S models' batches (S × batch × classes, see
/// <see cref="Models.MlpStack"/>) gets S losses, each what that model alone would get.
/// </summary>
public interface ITrainingLoss
{
    string Name { get; }

    /// <param name="logits">batch × classes, or S × batch × classes</param>
    /// <param name="targets">soft labels, the same shape</param>
    /// <param name="progress">fraction of training done, in [0, 1), for warm-ups</param>
    /// <returns>the batch's loss: a scalar, or S of them</returns>
    Tensor Compute(Tensor logits, Tensor targets, double progress);

    /// <summary>The model's predicted label distribution (or scores) from its outputs: softmax unless the loss says otherwise.</summary>
    Tensor Predict(Tensor outputs) => outputs.softmax(-1);
}

/// <summary>
/// A loss that is the soft cross-entropy of the logits against targets made from the batch's labels
/// and, detached, the model's own outputs — so a trainer may compute the loss and its gradient in one
/// fused pass without autograd (<see cref="Trainer.FitStack"/>); <see cref="ITrainingLoss.Compute"/>
/// must equal <c>CrossEntropyLoss.SoftCrossEntropy(logits, SoftTargets(logits, targets, progress))</c>.
/// </summary>
public interface ISoftTargetLoss : ITrainingLoss
{
    /// <summary>The soft targets the logits are scored against (no gradient flows into them).</summary>
    Tensor SoftTargets(Tensor logits, Tensor targets, double progress);
}
