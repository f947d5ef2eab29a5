using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Data;

/// <summary>
/// The MNIST task families. Both pretrain on 10-way digit classification over the same pool,
/// so their pretrained encoders are shared.
/// </summary>
public static class MnistTasks
{
    public const string PretrainTask = "mnist-digits";

    /// <summary>Classify each digit image for <paramref name="target"/> (binary or 10-way).</summary>
    public static TaskData Classification(MnistDigits digits, DigitTarget target, Device device)
    {
        var split = new DigitSplit(digits.Count);
        int[] labels = digits.Labels.Select(d => target.Label(d)).ToArray();
        return new TaskData
        {
            Name = $"mnist/{target.Name}",
            Canonical = $"mnist/{target.Name}@{DigitSplit.DataSeed}",
            Classes = target.Classes,
            Items = Images(digits, device),
            PretrainTask = PretrainTask,
            PretrainTargets = DigitTargets(digits, device),
            PretrainLoss = "xent",
            PretrainPool = split.Pretrain,
            Labels = labels,
            TrainLabels = labels,
            Test = split.Test,
            Train = split.Train,
        };
    }

    /// <summary>
    /// Reward modelling: pairs of digit images of different value; the label says whether the
    /// first has the higher value (its "reward"). A model scores each image and compares the scores
    /// (Bradley-Terry). Test pairs are drawn from test images only, training pairs from training
    /// images only, one pair per image.
    /// </summary>
    public static TaskData Preference(MnistDigits digits, Device device)
    {
        var split = new DigitSplit(digits.Count);
        var rng = new Random(DigitSplit.DataSeed + 1);
        var pairs = new List<(int A, int B)>();
        int[] PairUp(int[] pool)
        {
            var made = new List<int>();
            foreach (int a in pool)
            {
                int b;
                do b = pool[rng.Next(pool.Length)]; while (digits.Labels[b] == digits.Labels[a]);
                made.Add(pairs.Count);
                pairs.Add((a, b));
            }
            return made.ToArray();
        }
        int[] test = PairUp(split.Test), train = PairUp(split.Train);
        int[] labels = pairs.Select(p => digits.Labels[p.A] > digits.Labels[p.B] ? 1 : 0).ToArray();
        return new TaskData
        {
            Name = "mnist-preference",
            Canonical = $"mnist-preference@{DigitSplit.DataSeed}",
            Classes = 2,
            Items = Images(digits, device),
            PretrainTask = PretrainTask,
            PretrainTargets = DigitTargets(digits, device),
            PretrainLoss = "xent",
            PretrainPool = split.Pretrain,
            Pairs = tensor(pairs.SelectMany(p => new long[] { p.A, p.B }).ToArray(), [pairs.Count, 2]).to(device),
            Labels = labels,
            TrainLabels = labels,
            Test = test,
            Train = train,
        };
    }

    static Tensor Images(MnistDigits digits, Device device)
    {
        var pixels = new float[digits.Pixels.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = digits.Pixels[i] / 255f;
        return tensor(pixels, [digits.Count, 1, MnistDigits.Side, MnistDigits.Side]).to(device);
    }

    static Tensor DigitTargets(MnistDigits digits, Device device) =>
        nn.functional.one_hot(tensor(digits.Labels.Select(d => (long)d).ToArray()), 10).to_type(ScalarType.Float32).to(device);
}
