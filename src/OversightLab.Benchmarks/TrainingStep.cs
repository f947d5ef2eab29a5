using BenchmarkDotNet.Attributes;
using OversightLab.Models;
using OversightLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Benchmarks;

/// <summary>One optimizer step (batch 32, soft cross-entropy) of each ladder model trained end to end.</summary>
[MemoryDiagnoser(false)]
public class TrainingStep
{
    Classifier model = null!;
    optim.Optimizer optimizer = null!;
    Tensor images = null!, targets = null!;

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "mlp-m";

    public static IEnumerable<string> Models => ModelLadder.Names;

    [GlobalSetup]
    public void Setup()
    {
        manual_seed(0);
        var spec = ModelLadder.Find(Model)!;
        model = new Classifier(spec, new Encoder(spec, [1, 28, 28]), [1, 28, 28], classes: 2, pairs: false);
        optimizer = optim.Adam(model.parameters(), lr: 1e-3, weight_decay: 0);
        images = rand(32, 1, 28, 28);
        targets = nn.functional.one_hot(randint(0, 2, [32]), 2).to_type(ScalarType.Float32);
    }

    [Benchmark]
    public void Step()
    {
        using var scope = NewDisposeScope();
        var loss = CrossEntropyLoss.SoftCrossEntropy(model.call(images), targets);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
    }
}
