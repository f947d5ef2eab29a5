using OversightLab.Data;
using OversightLab.Models;
using OversightLab.Protocols.WeakToStrong;
using OversightLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Tests.WeakToStrong;

public sealed class W2sMethodTests
{
    [Test]
    public void LeastSquaresProbeMakesGainEqualMisfitInSample()
    {
        // Pythagoras: with f_s and f* the least-squares projections of f_w and y onto one linear
        // class, ‖f_w − f*‖² = ‖f_w − f_s‖² + ‖f_s − f*‖² on the fitting data, i.e. gain = misfit.
        manual_seed(3);
        const int n = 400, features = 12;
        using var phi = randn(n, features);
        using var weak = randn(n, 2).softmax(1);
        using var truth = nn.functional.one_hot(randint(0, 2, [n]), 2).to_type(ScalarType.Float32);
        using var student = new ProbeHead(features, 2, pairs: false);
        using var reference = new ProbeHead(features, 2, pairs: false);
        LeastSquares.Fit(student, phi, weak, ridge: 1e-9);
        LeastSquares.Fit(reference, phi, truth, ridge: 1e-9);
        var (misfit, gain) = WeakToStrongProtocol.MisfitAndGain(ToArray(weak), ToArray(Run(student, phi)), ToArray(Run(reference, phi)));
        Assert.That(misfit, Is.GreaterThan(0.01), "a real misfit");
        Assert.That(gain, Is.EqualTo(misfit).Within(1e-4));
    }

    [Test]
    public void BootstrappingChainsThroughIntermediateSizesOfTheStudentsFamily()
    {
        ModelSpec M(string name) => ModelLadder.Find(name)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(WeakToStrongProtocol.Intermediates(M("mlp-xs"), M("mlp-xl")).Select(m => m.Name), Is.EqualTo(new[] { "mlp-s", "mlp-m", "mlp-l" }));
            Assert.That(WeakToStrongProtocol.Intermediates(M("lin-pool7"), M("mlp-xl")).Select(m => m.Name), Is.EqualTo(new[] { "mlp-m", "mlp-l" }));
            Assert.That(WeakToStrongProtocol.Intermediates(M("mlp-l"), M("mlp-xl")), Is.Empty);
        }
    }

    [Test]
    public void EarlyStoppingRestoresTheBestEpochsWeights()
    {
        manual_seed(0);
        using var model = nn.Linear(6, 2);
        using var inputs = randn(256, 6);
        using var labels = nn.functional.one_hot((inputs[.., 0] > 0).to_type(ScalarType.Int64), 2).to_type(ScalarType.Float32);
        // Validation labels disagree with training on purpose, so late epochs score worse than early ones.
        using var validationInputs = randn(128, 6);
        using var validationLabels = nn.functional.one_hot((validationInputs[.., 1] > 0).to_type(ScalarType.Int64), 2).to_type(ScalarType.Float32);
        var early = new EarlyStopping(validationInputs, validationLabels);
        Trainer.Fit(model, model.parameters(), inputs, labels, new TrainConfig(6, 32, 1e-2), new CrossEntropyLoss(), seed: 1, early: early);
        using var _ = no_grad();
        double agreement = model.call(validationInputs).argmax(1).eq(validationLabels.argmax(1)).to_type(ScalarType.Float32).mean().item<float>();
        Assert.That(early.BestEpoch, Is.InRange(1, 6));
        Assert.That(agreement, Is.EqualTo(early.BestAgreement).Within(1e-6), "the kept weights are the best epoch's");
    }

    [Test]
    public void SyntheticConceptIsDeterministicAndLearnableFromItsFactors()
    {
        using var a = SyntheticConcept.Build(difficulty: 0.5, labelNoise: 0.1, CPU);
        using var b = SyntheticConcept.Build(difficulty: 0.5, labelNoise: 0.1, CPU);
        double positive = a.Labels.Average();
        double flipped = a.Train.Count(i => a.TrainLabels[i] != a.Labels[i]) / (double)a.Train.Length;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(a.Items.eq(b.Items).all().item<bool>(), Is.True, "same data every time");
            Assert.That(a.Labels, Is.EqualTo(b.Labels));
            Assert.That(positive, Is.InRange(0.3, 0.7), "both classes present");
            Assert.That(flipped, Is.EqualTo(0.1).Within(0.02), "label noise at the requested rate");
            Assert.That(a.Test.Intersect(a.Train).Concat(a.Test.Intersect(a.PretrainPool)), Is.Empty, "disjoint test, train and pretraining pools");
        }
    }

    [Test]
    public void PreferencePairsCompareDifferentDigitsWithinTheirOwnSplit()
    {
        var digits = MnistDigits.Load();
        using var task = MnistTasks.Preference(digits, CPU);
        var pairs = task.Pairs!.data<long>().ToArray();
        var testItems = new DigitSplit(digits.Count).Test.ToHashSet();
        using (Assert.EnterMultipleScope())
        {
            foreach (int e in task.Test.Concat(task.Train).Take(3000))
            {
                int a = (int)pairs[2 * e], b = (int)pairs[2 * e + 1];
                Assert.That(digits.Labels[a], Is.Not.EqualTo(digits.Labels[b]));
                Assert.That(task.Labels[e], Is.EqualTo(digits.Labels[a] > digits.Labels[b] ? 1 : 0));
                Assert.That(testItems.Contains(a) && testItems.Contains(b), Is.EqualTo(task.Test.Contains(e)), "test pairs use test digits only");
            }
        }
    }

    static Tensor Run(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        using var _ = no_grad();
        return model.call(x);
    }

    static float[,] ToArray(Tensor t)
    {
        var values = t.data<float>().ToArray();
        var result = new float[t.shape[0], t.shape[1]];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(float));
        return result;
    }
}
