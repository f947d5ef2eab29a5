using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OversightLab.Models;

/// <summary>The feature extractor of a ladder model: average-pool, flatten, ReLU layers.</summary>
public sealed class Encoder : nn.Module<Tensor, Tensor>
{
    readonly int imagePool, vectorPool;
    readonly ModuleList<Linear> layers = new();

    /// <param name="item">shape of one input item: [1, 28, 28] for images, [d] for vectors</param>
    public Encoder(ModelSpec spec, long[] item) : base(nameof(Encoder))
    {
        imagePool = item.Length == 3 ? spec.Pool : 1;
        vectorPool = item.Length == 1 ? spec.Pool : 1;
        int width = spec.InputFeatures(item);
        foreach (int h in spec.Hidden)
        {
            layers.Add(nn.Linear(width, h));
            width = h;
        }
        RegisterComponents();
    }

    /// <summary>The ReLU layers, input side first.</summary>
    public IReadOnlyList<Linear> Layers => [.. layers];

    public override Tensor forward(Tensor items)
    {
        var x = Flat(items);
        foreach (var layer in layers) x = nn.functional.relu(MklLinear.Of(layer, x));
        return x;
    }

    /// <summary>What the first layer reads: the items average-pooled and flattened (n × input features).</summary>
    public Tensor Flat(Tensor items)
    {
        Tensor x = imagePool > 1 ? AvgPool.Of(items, imagePool) : items;
        return vectorPool > 1 ? x.view(x.shape[0], -1, vectorPool).mean([2]) : x.flatten(1);
    }
}
