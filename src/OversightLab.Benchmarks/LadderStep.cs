using OversightLab.Models;
using OversightLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Benchmarks;

/// <summary>
/// One training step of a ladder model trained end to end, exactly as <c>perf/pytorch_steps.py</c>
/// trains it in PyTorch: a <see cref="Classifier"/> on 1×28×28 images (average-pool, flatten,
/// Linear+ReLU layers, zero-initialised linear head) with 2 classes, batch 32, soft cross-entropy,
/// Adam (lr 1e-3, weight decay 0); the step is forward, loss, backward, optimizer step, and
/// zero_grad with set_to_none, inside one dispose scope. Both <see cref="TrainingStep"/> and the <c>steps</c> timing mode run it.
/// </summary>
public sealed class LadderStep : IDisposable
{
    /// <summary>The protocols' batch (the weak-to-strong reference recipe's).</summary>
    public const int DefaultBatch = 32;
    public const int Classes = 2;
    static readonly long[] Item = [1, 28, 28];

    readonly Classifier model;
    readonly optim.Optimizer optimizer;
    readonly Tensor images, targets;

    public ModelSpec Spec { get; }

    public int Batch { get; }

    public LadderStep(string name, int batch = DefaultBatch)
    {
        Batch = batch;
        Spec = ModelLadder.Find(name) ?? throw new ArgumentException($"no ladder model '{name}' (expected {string.Join(", ", ModelLadder.Names)})");
        model = new Classifier(Spec, new Encoder(Spec, Item), Item, Classes, pairs: false);
        model.train();
        optimizer = new FusedAdam(model.parameters(), lr: 1e-3);
        images = rand(Batch, 1, 28, 28);
        targets = nn.functional.one_hot(randint(0, Classes, [Batch]), Classes).to_type(ScalarType.Float32);
    }

    public long Parameters => Spec.Parameters(Classes);

    /// <summary>
    /// Floating-point operations of one step by the usual convention: 2·m·n·k per matrix product,
    /// forward plus twice that for backward (input and weight gradients). The first layer's input
    /// gradient is not actually computed, so this slightly overstates the work, the same way for both frameworks.
    /// </summary>
    public double Flops
    {
        get
        {
            double forward = 0;
            int width = Spec.InputFeatures(Item);
            foreach (int h in Spec.Hidden.Append(Classes))
            {
                forward += 2.0 * Batch * width * h;
                width = h;
            }
            return 3 * forward;
        }
    }

    /// <summary>Whether zero_grad left the parameters with no gradient (set_to_none) rather than zeroed ones: the Python script must do the same.</summary>
    public bool ZeroGradSetsNone()
    {
        foreach (var p in model.parameters())
        {
            using var grad = p.grad;
            if (grad is not null) return false;
        }
        return true;
    }

    public void Step()
    {
        using var scope = NewDisposeScope();
        var loss = CrossEntropyLoss.SoftCrossEntropy(model.call(images), targets);
        loss.backward();
        optimizer.step();
        optimizer.zero_grad();   // FusedAdam's: set to none
    }

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
        images.Dispose();
        targets.Dispose();
    }
}
