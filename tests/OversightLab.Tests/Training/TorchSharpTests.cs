using OversightLab.Models;
using OversightLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Tests.Training;

public sealed class TorchSharpTests
{
    [Test]
    public void NativeLibraryLoadsAndComputes()
    {
        // Fails with "doesn't contain a reference to libtorch-cpu-linux-x64" if the build's ELF patch did not run.
        using var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var product = a.matmul(a);
        Assert.That(product.data<float>().ToArray(), Is.EqualTo(new float[] { 7, 10, 15, 22 }));
    }

    [Test]
    public void TrainingLowersTheLoss()
    {
        manual_seed(0);
        var spec = ModelLadder.Find("lin-pool7")!;
        var model = new Classifier(spec, new Encoder(spec, [1, 28, 28]), [1, 28, 28], classes: 2, pairs: false);
        // a rule linear in pooled pixels: label-1 images have a brighter top half
        using var labels = randint(0, 2, [256]);
        using var images = rand(256, 1, 28, 28);
        using (no_grad()) images[.., .., ..14, ..].add_(labels.to_type(ScalarType.Float32).view(-1, 1, 1, 1) * 0.3);
        using var targets = nn.functional.one_hot(labels, 2).to_type(ScalarType.Float32);
        double before = Loss(model, images, targets);
        double after = Trainer.Fit(model, model.parameters(), images, targets, new TrainConfig(Epochs: 20, Batch: 32, Lr: 5e-3),
            new CrossEntropyLoss(), seed: 1);
        double final = Loss(model, images, targets);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Is.EqualTo(Math.Log(2)).Within(1e-4), "a zero-initialised head starts at chance: ln 2");
            Assert.That(after, Is.LessThan(before));
            Assert.That(final, Is.LessThan(before * 0.8));
        }
    }

    [Test]
    public void DivergingTrainingFailsWithAClearMessage()
    {
        manual_seed(0);
        using var model = nn.Linear(4, 2);
        using var inputs = rand(64, 4);
        using var targets = full(64, 2, float.NaN);
        Assert.That(() => Trainer.Fit(model, model.parameters(), inputs, targets, new TrainConfig(1, 32, 1e-3), new CrossEntropyLoss(), 0),
            Throws.TypeOf<TrainingDivergedException>().With.Message.Contains("NaN"));
    }

    [Test]
    public void TrainingStepsDoNotLeakTensors()
    {
        manual_seed(0);
        using var model = nn.Linear(8, 2);
        using var inputs = rand(128, 8);
        using var targets = nn.functional.one_hot(randint(0, 2, [128]), 2).to_type(ScalarType.Float32);
        Trainer.Fit(model, model.parameters(), inputs, targets, new TrainConfig(1, 32, 1e-3), new CrossEntropyLoss(), 0);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Trainer.Fit(model, model.parameters(), inputs, targets, new TrainConfig(3, 32, 1e-3), new CrossEntropyLoss(), 0);
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.That(after - before, Is.LessThanOrEqualTo(8), "live tensors grow with steps: a dispose scope is missing");
    }

    /// <summary>
    /// <see cref="Trainer.Fit"/> takes shortcuts (the fused Adam, no gradient instead of a zeroed
    /// one) that must not change a bit: it is compared with the plain loop — TorchSharp's Adam,
    /// zero_grad zero-filling, the same seeded order and cosine schedule — on a ReLU model at a high
    /// learning rate, with a short last batch.
    /// </summary>
    [Test]
    public void FitGivesThePlainLoopsNumbersBitForBit()
    {
        var spec = ModelLadder.Find("mlp-s")!;
        Classifier Model() { manual_seed(3); return new Classifier(spec, new Encoder(spec, [1, 28, 28]), [1, 28, 28], classes: 2, pairs: false); }
        manual_seed(4);
        using var images = rand(200, 1, 28, 28);
        using var targets = softmax(randn(200, 2) * 3, 1);
        var config = new TrainConfig(Epochs: 3, Batch: 32, Lr: 2e-2);
        var loss = new CrossEntropyLoss();

        using var fitted = Model();
        Trainer.Fit(fitted, fitted.parameters(), images, targets, config, loss, seed: 5);

        using var plain = Model();
        var parameters = plain.parameters().ToList();
        using var adam = optim.Adam(parameters, lr: config.Lr, weight_decay: 0);
        int stepsPerEpoch = (200 + config.Batch - 1) / config.Batch, totalSteps = stepsPerEpoch * config.Epochs, step = 0;
        var schedule = optim.lr_scheduler.CosineAnnealingLR(adam, T_max: totalSteps);
        using var generator = new Generator(5);
        plain.train();
        for (int epoch = 0; epoch < config.Epochs; epoch++)
        {
            using var order = randperm(200, generator: generator);
            for (int b = 0; b < stepsPerEpoch; b++, step++)
            {
                using var scope = NewDisposeScope();
                var rows = order.narrow(0, b * config.Batch, Math.Min(config.Batch, 200 - b * config.Batch));
                var value = loss.Compute(plain.call(images.index_select(0, rows)), targets.index_select(0, rows), (double)step / totalSteps);
                adam.zero_grad();
                value.backward();
                adam.step();
                schedule.step();
            }
        }

        using var untrained = Model();
        Assert.That(parameters[0].data<float>().ToArray(), Is.Not.EqualTo(untrained.parameters().First().data<float>().ToArray()), "training moved the weights");
        foreach (var (ours, theirs) in fitted.parameters().Zip(parameters))
            Assert.That(ours.data<float>().ToArray(), Is.EqualTo(theirs.data<float>().ToArray()));
    }

    static double Loss(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets)
    {
        using var _ = no_grad();
        using var loss = CrossEntropyLoss.SoftCrossEntropy(model.call(inputs), targets);
        return loss.item<float>();
    }
}
