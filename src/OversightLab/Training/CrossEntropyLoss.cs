using static TorchSharp.torch;

namespace OversightLab.Training;

/// <summary>Naive weak-to-strong training, <c>xent</c>: CE(z, y) = −Σ y log softmax(z), averaged over the batch.</summary>
public sealed class CrossEntropyLoss : ISoftTargetLoss
{
    public string Name => "xent";

    public Tensor Compute(Tensor logits, Tensor targets, double progress) => SoftCrossEntropy(logits, targets);

    public Tensor SoftTargets(Tensor logits, Tensor targets, double progress) => targets;

    /// <summary>−Σ y log softmax(z) averaged over the batch (<see cref="FusedSoftCrossEntropy"/> computes it with its gradient for stacks).</summary>
    public static Tensor SoftCrossEntropy(Tensor logits, Tensor targets) => FusedSoftCrossEntropy.Composed(logits, targets);
}
