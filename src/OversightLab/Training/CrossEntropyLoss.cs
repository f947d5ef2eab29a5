using static TorchSharp.torch;

namespace OversightLab.Training;

/// <summary>Naive weak-to-strong training, <c>xent</c>: CE(z, y) = −Σ y log softmax(z), averaged over the batch.</summary>
public sealed class CrossEntropyLoss : ITrainingLoss
{
    public string Name => "xent";

    public Tensor Compute(Tensor logits, Tensor targets, double progress) => SoftCrossEntropy(logits, targets);

    public static Tensor SoftCrossEntropy(Tensor logits, Tensor targets) =>
        -(targets * logits.log_softmax(-1)).sum(-1).mean([-1]);
}
