using OversightLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Protocols.Debate;

/// <summary>
/// How a judge is trained: on k random nonzero pixels of each digit, a fresh draw every time a
/// digit is used (Irving et al.: Adam 1e-4, batch 128, 30k batches for k = 6, 50k for k = 4).
/// We use the project's one training loop (<see cref="Trainer"/>: Adam without weight decay,
/// cosine schedule), so the default learning rate is higher to make a short budget count.
/// </summary>
public sealed record JudgeTraining(int Batches = 10_000, int Batch = 128, double Lr = 1e-3)
{
    public string Canonical => $"batches={Batches};batch={Batch};lr={Lr:R}";

    /// <summary>
    /// Trains <paramref name="judge"/> on <paramref name="rows"/> of <paramref name="digits"/>:
    /// <see cref="Batches"/> × <see cref="Batch"/> positions drawn up front (each a fresh random
    /// choice of <paramref name="pixels"/> nonzero pixels of a digit taken in turn from a shuffled
    /// pass over the rows), then one epoch of the training loop over them.
    /// </summary>
    public double Fit(SparseJudge judge, SparseDigits digits, int[] rows, int pixels, long seed, Device device, CancellationToken cancellation = default)
    {
        using var scope = NewDisposeScope();
        var (positions, labels) = Positions(digits, rows, pixels, (long)Batches * Batch, seed);
        var inputs = tensor(positions, [labels.Length, 2, pixels], device: device);
        var targets = nn.functional.one_hot(tensor(labels, device: device), SparseJudge.Classes).to_type(ScalarType.Float32);
        double loss = Trainer.Fit(judge, judge.parameters(), inputs, targets, new TrainConfig(1, Batch, Lr), new JudgeLoss(), seed, cancellation);
        judge.eval();
        return loss;
    }

    /// <summary>
    /// <paramref name="count"/> positions of <paramref name="pixels"/> random nonzero pixels, as a
    /// flat [count, 2, pixels] array (indices, then values), with their digits. Digits are used in
    /// shuffled passes over <paramref name="rows"/>, so each is used equally often.
    /// </summary>
    public static (float[] Positions, long[] Labels) Positions(SparseDigits digits, int[] rows, int pixels, long count, long seed)
    {
        var random = new Random((int)(Seeds.Derive(seed, "judge-positions") & int.MaxValue));
        var positions = new float[count * 2 * pixels];
        var labels = new long[count];
        int[] order = [];
        for (long i = 0; i < count; i++)
        {
            int pass = (int)(i % rows.Length);
            if (pass == 0) order = Data.DigitSplit.Permutation(rows.Length, random.Next());
            int image = rows[order[pass]];
            labels[i] = digits.Labels[image];
            Write(positions, i, digits, image, digits.Draw(image, pixels, random));
        }
        return (positions, labels);
    }

    /// <summary>Writes one position (pixel indices, then their values) at slot <paramref name="i"/> of a flat [n, 2, k] array.</summary>
    public static void Write(float[] positions, long i, SparseDigits digits, int image, int[] drawn)
    {
        int k = drawn.Length;
        for (int j = 0; j < k; j++)
        {
            positions[i * 2 * k + j] = drawn[j];
            positions[i * 2 * k + k + j] = drawn[j] == SparseJudge.NoPixel ? 0f : digits.Value(image, drawn[j]);
        }
    }

    /// <summary>
    /// The judge alone: for each image, <paramref name="pixels"/> random nonzero pixels (drawn per
    /// image from (<paramref name="seed"/>, image), so a shorter image list sees the same draws)
    /// and the judge's top digit. Returns per image whether that digit is the truth.
    /// </summary>
    public static bool[] JudgeAlone(SparseJudge judge, SparseDigits digits, int[] images, int pixels, long seed, Device device)
    {
        var positions = new float[images.Length * 2 * pixels];
        for (int i = 0; i < images.Length; i++)
        {
            var random = new Random((int)(Seeds.Derive(seed, "judge-alone", images[i]) & int.MaxValue));
            Write(positions, i, digits, images[i], digits.Draw(images[i], pixels, random));
        }
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        judge.eval();
        var predicted = Trainer.Probabilities(judge, tensor(positions, [images.Length, 2, pixels], device: device)).argmax(1).to(CPU).data<long>().ToArray();
        return images.Select((image, i) => predicted[i] == digits.Labels[image]).ToArray();
    }
}
