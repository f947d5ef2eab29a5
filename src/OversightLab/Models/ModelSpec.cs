namespace OversightLab.Models;

/// <summary>
/// One rung of the capability ladder: an encoder (average-pool the input by <see cref="Pool"/> —
/// 2-D for images, groups of adjacent features for vectors — then ReLU layers of
/// <see cref="Hidden"/> widths) and a zero-initialised linear head.
/// <para>
/// A pretrained model's encoder is first trained on the task's related labelled task (for MNIST,
/// 10-way digit classification) on a pretraining pool disjoint from every experiment's data, for
/// <see cref="PretrainEpochs"/> epochs; then it is read by a linear probe (or fine-tuned). This is how
/// the strong model "knows the concept latently", as a pretrained language model or the paper's
/// DINO encoder does. A model with no pretraining trains end to end on whatever labels it gets.
/// </para>
/// </summary>
public sealed record ModelSpec(string Name, int Rank, int Pool, int[] Hidden, int PretrainEpochs, string Summary)
{
    /// <summary>Models of one family can supervise each other in a bootstrapping chain.</summary>
    public string Family => Hidden.Length == 0 ? "linear" : "mlp";
    public bool Pretrained => PretrainEpochs > 0;

    /// <summary>Features after pooling an item of shape <paramref name="item"/> ([1, 28, 28] or [d]).</summary>
    public int InputFeatures(long[] item) => item.Length == 3
        ? (int)(item[1] / Pool * (item[2] / Pool))
        : (int)(item[0] / Pool);

    public int FeatureDim(long[] item) => Hidden.Length == 0 ? InputFeatures(item) : Hidden[^1];

    /// <summary>Parameters of the encoder and a head with <paramref name="outputs"/> outputs, for items of shape <paramref name="item"/>.</summary>
    public long Parameters(long[] item, int outputs)
    {
        long total = 0;
        int width = InputFeatures(item);
        foreach (int h in Hidden) { total += (long)width * h + h; width = h; }
        return total + (long)width * outputs + outputs;
    }

    /// <summary>Parameters on 28×28 images with a <paramref name="classes"/>-way head.</summary>
    public long Parameters(int classes) => Parameters([1, 28, 28], classes);

    /// <summary>A stable text form for content hashes: what the model is, not what it is called.</summary>
    public string Canonical => $"pool={Pool};hidden={string.Join('x', Hidden)};pretrain={PretrainEpochs}";
}
