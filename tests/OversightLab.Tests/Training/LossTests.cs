using OversightLab.Training;
using static TorchSharp.torch;

namespace OversightLab.Tests.Training;

/// <summary>Each weak-to-strong loss against values worked out by hand on tiny tensors.</summary>
public sealed class LossTests
{
    /// <summary>Logits whose softmax is exactly the given binary probabilities.</summary>
    static Tensor LogitsFor(params double[] p0) =>
        tensor(p0.SelectMany(p => new[] { (float)Math.Log(p / (1 - p)), 0f }).ToArray(), [p0.Length, 2]);

    static Tensor Labels(params double[] values) => tensor(values.Select(v => (float)v).ToArray(), [values.Length / 2, 2]);

    static double Value(ITrainingLoss loss, Tensor logits, Tensor targets, double progress)
    {
        using var v = loss.Compute(logits, targets, progress);
        return v.item<float>();
    }

    [Test]
    public void CrossEntropyOnSoftLabels()
    {
        // p = (0.25, 0.75), y = (0.5, 0.5): −(0.5 ln 0.25 + 0.5 ln 0.75) = 0.836988
        Assert.That(Value(new CrossEntropyLoss(), LogitsFor(0.25), Labels(0.5, 0.5), 0), Is.EqualTo(0.836988).Within(1e-5));
    }

    [Test]
    public void ConfidenceLossHardensAtTheWeakClassBalance()
    {
        // p0 = 0.9, 0.6, 0.3, 0.2; weak labels' class-1 mean = 0.5, so the threshold is the median of p0
        // (0.45 by linear interpolation) and ĥ = class 0, class 0, class 1, class 1.
        using var logits = LogitsFor(0.9, 0.6, 0.3, 0.2);
        using var weak = Labels(0.6, 0.4, 0.4, 0.6, 0.5, 0.5, 0.5, 0.5);
        var loss = new ConfidenceLoss(alphaMax: 0.5, warmup: 0.2);
        using var hardened = ConfidenceLoss.Harden(logits.softmax(1), weak);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(hardened.data<float>().ToArray(), Is.EqualTo(new float[] { 1, 0, 1, 0, 0, 1, 0, 1 }));
            // after warm-up, α = 0.5: targets (0.8,0.2), (0.7,0.3), (0.25,0.75), (0.25,0.75) → mean CE 0.578872
            Assert.That(Value(loss, logits, weak, progress: 0.5), Is.EqualTo(0.578872).Within(1e-5));
            // halfway through the warm-up, α = 0.25: targets (0.7,0.3), (0.55,0.45), (0.375,0.625), (0.375,0.625) → 0.718807
            Assert.That(Value(loss, logits, weak, progress: 0.1), Is.EqualTo(0.718807).Within(1e-5));
            // at the start, α = 0: plain cross-entropy on the weak labels, 0.858742
            Assert.That(Value(loss, logits, weak, progress: 0), Is.EqualTo(0.858742).Within(1e-5));
            Assert.That(loss.Alpha(0.1), Is.EqualTo(0.25).Within(1e-12), "smooth ramp, no jump");
            Assert.That(new ConfidenceLoss(0.75).Alpha(0.9), Is.EqualTo(0.75).Within(1e-12));
        }
    }

    [Test]
    public void ConfidenceLossHardensByArgmaxWithMoreClasses()
    {
        using var probabilities = tensor(new float[] { 0.2f, 0.5f, 0.3f, 0.6f, 0.1f, 0.3f }, [2, 3]);
        using var hardened = ConfidenceLoss.Harden(probabilities, probabilities);
        Assert.That(hardened.data<float>().ToArray(), Is.EqualTo(new float[] { 0, 1, 0, 1, 0, 0 }));
    }

    [Test]
    public void ProductLossMultipliesBeliefAndLabel()
    {
        // p = (0.25, 0.75), y = (0.5, 0.5): target ∝ (0.125, 0.375) = (0.25, 0.75); CE = 0.562335
        Assert.That(Value(new ProductLoss(), LogitsFor(0.25), Labels(0.5, 0.5), 0), Is.EqualTo(0.562335).Within(1e-5));
    }

    [Test]
    public void ConfidenceWeightedLossIgnoresUncertainLabels()
    {
        // weights 1, 0, 0.5 for labels (1,0), (0.5,0.5), (0.75,0.25); CEs ln 4, –, ln 2 → (ln 4 + 0.5 ln 2)/1.5 = 1.155245
        using var logits = LogitsFor(0.25, 0.7, 0.5);
        using var labels = Labels(1, 0, 0.5, 0.5, 0.75, 0.25);
        Assert.That(Value(new ConfidenceWeightedLoss(), logits, labels, 0), Is.EqualTo(1.155245).Within(1e-5));
    }

    [Test]
    public void SquaredLossIsOnRawScores()
    {
        using var outputs = tensor(new float[] { 1, 0, 0.5f, 0.5f }, [2, 2]);
        using var targets = Labels(1, 0, 0, 1);
        var loss = new SquaredLoss();
        using var predicted = loss.Predict(outputs);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Value(loss, outputs, targets, 0), Is.EqualTo(0.25).Within(1e-6), "(0 + 0.25 + 0.25) / 2");
            Assert.That(predicted.data<float>().ToArray(), Is.EqualTo(new float[] { 1, 0, 0.5f, 0.5f }), "scores, not softmax");
        }
    }
}
