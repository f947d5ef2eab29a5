using static TorchSharp.torch;

namespace OversightLab.Training;

/// <summary>A loss on a batch of logits against soft targets (rows summing to 1).</summary>
public interface ITrainingLoss
{
    string Name { get; }

    /// <param name="logits">batch × classes</param>
    /// <param name="targets">batch × classes, soft labels</param>
    /// <param name="progress">fraction of training done, in [0, 1), for warm-ups</param>
    Tensor Compute(Tensor logits, Tensor targets, double progress);

    /// <summary>The model's predicted label distribution (or scores) from its outputs: softmax unless the loss says otherwise.</summary>
    Tensor Predict(Tensor outputs) => outputs.softmax(1);
}
