using OversightLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OversightLab.Tests.Training;

/// <summary>
/// With two threads, a small model's fit runs its matrix products on one MKL thread (splitting a
/// product of a few thousand multiply-adds cost more than it saved), a larger one on libtorch's
/// count, and the thread's setting is given back afterwards. For an MLP's shapes MKL's thread count
/// does not change the products' bits (for a narrow probe on wide features it can, in the last bit).
/// </summary>
public sealed class MklThreadsTests
{
    /// <summary>An MLP that notes how many MKL threads its forward pass could use.</summary>
    sealed class Recording : nn.Module<Tensor, Tensor>
    {
        readonly ModuleList<Linear> layers = new();

        public Recording(params int[] widths) : base(nameof(Recording))
        {
            for (int l = 0; l + 1 < widths.Length; l++) layers.Add(nn.Linear(widths[l], widths[l + 1]));
            RegisterComponents();
        }

        public List<int> Seen { get; } = [];

        public override Tensor forward(Tensor x)
        {
            Seen.Add(Trainer.MklThreadsHere);
            for (int l = 0; l < layers.Count; l++) x = l + 1 < layers.Count ? nn.functional.relu(layers[l].call(x)) : layers[l].call(x);
            return x;
        }
    }

    static readonly TrainConfig Config = new(Epochs: 2, Batch: 32, Lr: 5e-3);

    static int[] Fit(Recording model, int threads, out Tensor parameters) => Fit(model, threads, out parameters, out _);

    static int[] Fit(Recording model, int threads, out Tensor parameters, out int after)
    {
        using var _ = new LibtorchThreads(threads);
        manual_seed(5);
        using var inputs = rand(96, model.parameters().First().size(1));
        using var p = rand(96, 1);
        using var targets = cat([p, 1 - p], 1);
        Trainer.Fit(model, model.parameters(), inputs, targets, Config, new OversightLab.Training.CrossEntropyLoss(), seed: 9);
        after = Trainer.MklThreadsHere;
        parameters = cat(model.parameters().Select(q => q.detach().flatten()).ToList());
        return [.. model.Seen];
    }

    [Test]
    public void ASmallModelsFitRunsItsProductsOnOneMklThreadAndGivesTheCountBack()
    {
        int outside;
        using (new LibtorchThreads(2)) outside = Trainer.MklThreadsHere;
        Assume.That(outside, Is.EqualTo(2), "MKL's thread controls were found in libtorch");

        manual_seed(1);
        var small = new Recording(49, 64, 32, 2);   // mlp-s: 5,346 parameters × 32 rows < 2¹⁹
        Assert.That(32L * small.parameters().Sum(q => q.numel()), Is.LessThan(Trainer.SmallWork));
        var seen = Fit(small, threads: 2, out var _, out int after);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen, Is.Not.Empty.And.All.EqualTo(1), "every forward pass of the fit");
            Assert.That(after, Is.EqualTo(2), "the thread's MKL count is libtorch's again after the fit");
        }
    }

    [Test]
    public void ALargerModelsFitKeepsLibtorchsThreads()
    {
        manual_seed(2);
        var larger = new Recording(196, 128, 64, 2);   // mlp-m: 33,602 parameters × 32 rows > 2¹⁹
        Assert.That(32L * larger.parameters().Sum(q => q.numel()), Is.GreaterThanOrEqualTo(Trainer.SmallWork));
        var seen = Fit(larger, threads: 2, out var _);
        Assume.That(seen[0], Is.Not.Zero, "MKL's thread controls were found in libtorch");
        Assert.That(seen, Is.All.EqualTo(2));
    }

    [Test]
    public void AnMlpTrainsToTheSameBitsOnOneAndTwoMklThreads()
    {
        // The larger model's products run on two MKL threads with two threads and on one with one.
        manual_seed(3);
        var one = new Recording(196, 128, 64, 2);
        manual_seed(3);
        var two = new Recording(196, 128, 64, 2);
        Assume.That(Fit(two, threads: 2, out var twoThreads)[0], Is.EqualTo(2), "MKL's thread controls were found in libtorch");
        Fit(one, threads: 1, out var oneThread);
        Assert.That(oneThread.equal(twoThreads).all().item<bool>(), Is.True, $"largest difference {(oneThread - twoThreads).abs().max().item<float>()}");
    }
}
