using BenchmarkDotNet.Attributes;
using OversightLab.Models;
using OversightLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OversightLab.Benchmarks;

/// <summary>
/// Batched seeds: S small ladder models (the W2S protocol's students and the sweep's many seeds)
/// trained one by one with <see cref="Trainer.Fit"/>, or as one <see cref="MlpStack"/> with
/// <see cref="Trainer.FitStack"/> — the same data and initialisation, 2 epochs of 640 rows in
/// batches of 32 (40 steps; the protocol's fits run 630), so per-fit setup weighs about as it does there.
/// The stack runs on its own kernels (<see cref="StackKernels"/>, what sweeps use) and, for comparison,
/// on libtorch's batched product. BenchmarkDotNet's Ratio column is stacked / one-by-one; the speedup
/// is its inverse.
/// </summary>
[MemoryDiagnoser(false)]
public class BatchedSeeds
{
    const int Rows = 640;
    static readonly TrainConfig Config = new(Epochs: 2, Batch: 32, Lr: 5e-3);

    List<Mlp> models = null!;
    int[] widths = null!;
    MlpStack stack = null!, libtorchStack = null!;
    Tensor inputs = null!, targets = null!;
    long[] seeds = null!;

    [Params("mlp-xs", "mlp-s", "lin-pool7", "mlp-m")]
    public string Model { get; set; } = "mlp-xs";

    [Params(8, 16, 32)]
    public int S { get; set; } = 8;

    /// <summary>A ladder model on already pooled, flat inputs (what the stack reads), for the one-by-one side.</summary>
    sealed class Mlp : nn.Module<Tensor, Tensor>
    {
        readonly ModuleList<Linear> layers = new();

        public Mlp(IReadOnlyList<int> widths) : base(nameof(Mlp))
        {
            for (int l = 0; l + 1 < widths.Count; l++) layers.Add(nn.Linear(widths[l], widths[l + 1]));
            RegisterComponents();
        }

        public IReadOnlyList<Linear> Layers => [.. layers];

        public override Tensor forward(Tensor x)
        {
            for (int l = 0; l < layers.Count; l++)
                x = l + 1 < layers.Count ? nn.functional.relu(layers[l].call(x)) : layers[l].call(x);
            return x;
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        manual_seed(0);
        var spec = ModelLadder.Find(Model)!;
        widths = [spec.InputFeatures([1, 28, 28]), .. spec.Hidden, 2];
        models = [.. Enumerable.Range(0, S).Select(_ => new Mlp(widths))];
        stack = MlpStack.Like(S, models[0].Layers, pairs: false);
        libtorchStack = MlpStack.Like(S, models[0].Layers, pairs: false);
        libtorchStack.UseKernels = false;
        inputs = rand(S, Rows, widths[0]);
        var p = rand(S, Rows, 1);
        targets = cat([p, 1 - p], 2);
        seeds = [.. Enumerable.Range(0, S).Select(s => (long)s)];
    }

    /// <summary>
    /// Floating-point operations of one stacked fit: per model and step, the forward products, the
    /// weight gradients' and every layer's input gradient but the first (the data needs none), 2
    /// FLOPs a multiply-add; biases, activations, the loss and Adam not counted.
    /// </summary>
    public double StackedFlops
    {
        get
        {
            double products = 0, firstLayer = (double)widths[0] * widths[1];
            for (int l = 0; l + 1 < widths.Length; l++) products += (double)widths[l] * widths[l + 1];
            int steps = Config.Epochs * ((Rows + Config.Batch - 1) / Config.Batch);
            return 2.0 * Config.Batch * (3 * products - firstLayer) * S * steps;
        }
    }

    [Benchmark(Baseline = true)]
    public void OneByOne()
    {
        for (int s = 0; s < S; s++)
            Trainer.Fit(models[s], models[s].parameters(), inputs[s], targets[s], Config, new OversightLab.Training.CrossEntropyLoss(), seeds[s]);
    }

    [Benchmark]
    public void Stacked() => Train(stack);

    [Benchmark]
    public void StackedLibtorch() => Train(libtorchStack);

    void Train(MlpStack target)
    {
        for (int s = 0; s < S; s++) target.Load(s, models[s].Layers);
        Trainer.FitStack(target, inputs, targets, Config, new OversightLab.Training.CrossEntropyLoss(), seeds);
    }
}
