using static TorchSharp.torch;

namespace OversightLab.Data;

/// <summary>
/// A weak-to-strong task on a device. Models read <em>items</em> (images or vectors); an
/// <em>example</em> is an item (classification) or a pair of items (preferences: is the first
/// preferred?). Every task also carries a related labelled task on a disjoint pretraining pool of
/// items, which is where pretrained ladder models get their latent knowledge.
/// </summary>
public sealed class TaskData : IDisposable
{
    /// <summary>Name as written in the CSV's task column, e.g. <c>mnist/digit-at-least-5</c>.</summary>
    public required string Name { get; init; }
    /// <summary>Everything that determines the data, for cache keys.</summary>
    public required string Canonical { get; init; }
    public required int Classes { get; init; }
    /// <summary>Items, N × 1 × 28 × 28 images or N × d vectors.</summary>
    public required Tensor Items { get; init; }
    /// <summary>Which related task the pretraining labels are, for cache keys (tasks on the same items share encoders).</summary>
    public required string PretrainTask { get; init; }
    /// <summary>Related-task target of every item, N × outputs (one-hot classes, or values to regress).</summary>
    public required Tensor PretrainTargets { get; init; }
    /// <summary>The loss pretraining minimises on <see cref="PretrainTargets"/>: <c>xent</c> or <c>sqloss</c>.</summary>
    public required string PretrainLoss { get; init; }
    public int PretrainOutputs => (int)PretrainTargets.shape[1];
    public required int[] PretrainPool { get; init; }
    /// <summary>Examples × 2 item indices (int64) for a preference task; null when each example is an item.</summary>
    public Tensor? Pairs { get; init; }
    /// <summary>True label of every example: test accuracy is measured against these.</summary>
    public required int[] Labels { get; init; }
    /// <summary>Labels the ground-truth models train on (equal to <see cref="Labels"/> unless the task adds label noise).</summary>
    public required int[] TrainLabels { get; init; }
    /// <summary>Example indices of the shared test set and of the training pool.</summary>
    public required int[] Test { get; init; }
    public required int[] Train { get; init; }

    public bool IsPairs => Pairs is not null;

    /// <summary>The seed's 50/50 split of the training pool: (weak supervisor's half, student's half).</summary>
    public (int[] WeakHalf, int[] StudentHalf) Halves(int seed)
    {
        int[] order = DigitSplit.Permutation(Train.Length, seed);
        int half = Train.Length / 2;
        return (order[..half].Select(i => Train[i]).ToArray(), order[half..(2 * half)].Select(i => Train[i]).ToArray());
    }

    public void Dispose()
    {
        Items.Dispose();
        PretrainTargets.Dispose();
        Pairs?.Dispose();
    }
}
