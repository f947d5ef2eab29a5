using OversightLab.Models;
using OversightLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OversightLab.Tests.Training;

/// <summary>
/// The loss a fit reports is the mean over the last epoch's rows, each minibatch weighted by its
/// rows (the last one here is short). With a learning rate of 1e-30 the weights stay put, so it
/// must equal the mean loss of the final model over all rows, computed here in double precision.
/// </summary>
public sealed class EpochLossTests
{
    const int Rows = 40, Features = 5;
    static readonly TrainConfig Config = new(Epochs: 2, Batch: 16, Lr: 1e-30);

    [Test]
    public void OneModelsFitReportsTheMeanLossOfItsLastEpoch()
    {
        manual_seed(21);
        using var model = nn.Linear(Features, 2);
        using var inputs = randn(Rows, Features);
        using var targets = SoftTargets(Rows);
        double reported = Trainer.Fit(model, model.parameters(), inputs, targets, Config, new OversightLab.Training.CrossEntropyLoss(), seed: 3);
        using var logits = model.call(inputs);
        Assert.That(reported, Is.EqualTo(MeanLoss(logits, targets)).Within(1e-4).Percent);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void AStacksFitReportsEachModelsMeanLossOfItsLastEpoch(bool kernels)
    {
        manual_seed(22);
        const int models = 3;
        var layers = new List<Linear> { nn.Linear(Features, 8), nn.Linear(8, 2) };
        using var stack = MlpStack.Like(models, layers, pairs: false);
        stack.UseKernels = kernels;   // the kernels' path adds the losses of a step computed without autograd
        using var inputs = randn(models, Rows, Features);
        using var targets = torch.stack(Enumerable.Range(0, models).Select(_ => SoftTargets(Rows)).ToList());
        double[] reported = Trainer.FitStack(stack, inputs, targets, Config, new OversightLab.Training.CrossEntropyLoss(), [5, 6, 7]);
        using var _ = no_grad();
        using var logits = stack.call(inputs);
        for (int s = 0; s < models; s++)
            Assert.That(reported[s], Is.EqualTo(MeanLoss(logits[s], targets[s])).Within(1e-4).Percent, $"model {s}");
    }

    [Test]
    public void AModelByModelFitDividesItsLossSumsAsLibtorchDoes()
    {
        // FitStack's model-by-model path divides each model's sum of losses by the row count in C#,
        // where the step-by-step path divides a tensor: x / (float)n must be libtorch's x / n, bit for bit,
        // including row counts float cannot hold exactly.
        var random = new Random(8);
        var sums = new float[20_000];
        for (int i = 0; i < sums.Length; i++) sums[i] = (float)(Math.Exp(random.NextDouble() * 40 - 20) * (random.Next(2) * 2 - 1));
        using var tensorSums = tensor(sums);
        foreach (long n in new long[] { 1, 3, 22, 150, 640, 99_991, (1 << 24) + 1 })
        {
            using var divided = tensorSums / n;
            Assert.That(sums.Select(sum => BitConverter.SingleToInt32Bits(sum / (float)n)), Is.EqualTo(divided.data<float>().ToArray().Select(BitConverter.SingleToInt32Bits)), $"n = {n}");
        }
    }

    static Tensor SoftTargets(int rows)
    {
        var p = rand(rows, 1);
        return cat([p, 1 - p], 1);
    }

    static double MeanLoss(Tensor logits, Tensor targets)
    {
        using var _ = no_grad();
        using var logProbabilities = logits.to_type(ScalarType.Float64).log_softmax(1);
        using var loss = -(targets.to_type(ScalarType.Float64) * logProbabilities).sum(1).mean();
        return loss.item<double>();
    }
}
