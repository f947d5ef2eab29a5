using static TorchSharp.torch;

namespace OversightLab.Data;

/// <summary>
/// A synthetic latent-concept task with tunable difficulty and label noise. Each item has 8
/// hidden factors z ~ N(0, I) and is observed as 64 features x = tanh(A z) + 0.1·ε (A random,
/// fixed). The concept is y = 1[w·z + difficulty·(z₀z₁ + z₂z₃) > 0]: linear in the factors at
/// difficulty 0, increasingly nonlinear above. Training labels flip with probability
/// <c>labelNoise</c>; test labels are clean. The related pretraining task regresses the hidden
/// factors z from x (squared loss), which teaches an encoder to recover them — so a pretrained
/// strong model knows the concept's ingredients latently, without ever seeing y. (A first try,
/// "which factor is largest?" as an 8-way classification, threw away the linear information the
/// concept needs: a linear model on raw features beat every pretrained probe.)
/// </summary>
public static class SyntheticConcept
{
    public const int Factors = 8, Features = 64, Count = 10_000;

    public static TaskData Build(double difficulty, double labelNoise, Device device)
    {
        // System.Random with fixed seeds: the same data on every machine and .NET version.
        var rng = new Random(DigitSplit.DataSeed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var mixing = new double[Features, Factors];
        for (int f = 0; f < Features; f++) for (int k = 0; k < Factors; k++) mixing[f, k] = Gaussian() / Math.Sqrt(Factors);
        var w = Enumerable.Range(0, Factors).Select(_ => Gaussian()).ToArray();

        var x = new float[Count * Features];
        var labels = new int[Count];
        var factors = new float[Count * Factors];
        for (int i = 0; i < Count; i++)
        {
            var z = Enumerable.Range(0, Factors).Select(_ => Gaussian()).ToArray();
            for (int f = 0; f < Features; f++)
            {
                double s = 0;
                for (int k = 0; k < Factors; k++) s += mixing[f, k] * z[k];
                x[i * Features + f] = (float)(Math.Tanh(s) + 0.1 * Gaussian());
            }
            double score = w.Zip(z, (a, b) => a * b).Sum() + difficulty * (z[0] * z[1] + z[2] * z[3]);
            labels[i] = score > 0 ? 1 : 0;
            for (int k = 0; k < Factors; k++) factors[i * Factors + k] = (float)z[k];
        }
        var noise = new Random(DigitSplit.DataSeed + 2);
        int[] trainLabels = labels.Select(l => noise.NextDouble() < labelNoise ? 1 - l : l).ToArray();

        int[] order = DigitSplit.Permutation(Count, DigitSplit.DataSeed);
        return new TaskData
        {
            Name = new TaskSpec("synthetic", Difficulty: difficulty, LabelNoise: labelNoise).Name,
            Canonical = $"synthetic-v1/difficulty={difficulty:R},noise={labelNoise:R}@{DigitSplit.DataSeed}",
            Classes = 2,
            Items = tensor(x, [Count, Features]).to(device),
            PretrainTask = "synthetic-factors-v1",
            PretrainTargets = tensor(factors, [Count, Factors]).to(device),
            PretrainLoss = "sqloss",
            PretrainPool = order[DigitSplit.TestSize..(DigitSplit.TestSize + DigitSplit.PretrainSize)],
            Labels = labels,
            TrainLabels = trainLabels,
            Test = order[..DigitSplit.TestSize],
            Train = order[(DigitSplit.TestSize + DigitSplit.PretrainSize)..],
        };
    }
}
