using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Models;

/// <summary>
/// A ladder model on a task, trained end to end: encoder + <see cref="ProbeHead"/>. For a
/// preference task its input is a pair of items (n × 2 × item) and both go through the same
/// encoder. (A pretrained model read by a probe trains only a <see cref="ProbeHead"/> on features
/// computed once, which is equivalent and much faster.)
/// </summary>
public sealed class Classifier : nn.Module<Tensor, Tensor>
{
    readonly Encoder encoder;
    readonly ProbeHead head;
    readonly bool pairs;

    public Classifier(ModelSpec spec, Encoder encoder, long[] item, int classes, bool pairs) : base(nameof(Classifier))
    {
        this.encoder = encoder;
        this.pairs = pairs;
        head = new ProbeHead(spec.FeatureDim(item), classes, pairs);
        RegisterComponents();
    }

    public Encoder Encoder => encoder;

    public ProbeHead Head => head;

    /// <summary>Every linear layer, input side first: the encoder's, then the head.</summary>
    public IReadOnlyList<TorchSharp.Modules.Linear> Layers => [.. encoder.Layers, head.Linear];

    public override Tensor forward(Tensor inputs) => pairs
        ? head.call(encoder.call(inputs.select(1, 0)) - encoder.call(inputs.select(1, 1)))
        : head.call(encoder.call(inputs));
}
