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
