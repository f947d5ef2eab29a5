using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OversightLab.Protocols.Debate;

/// <summary>
/// The paper's judge: the TensorFlow MNIST-layers tutorial CNN with a two-plane input — conv 32
/// (5×5, same padding), relu, max-pool 2 → conv 64 (5×5), relu, max-pool 2 → dense 1024, relu,
/// dropout 0.4 → 10 logits. Its state is the two input planes (mask, values) flattened, which is
/// additive over revealed pixels.
/// </summary>
public sealed class PaperCnnJudge : SparseJudge
{
    readonly Conv2d conv1, conv2;
    readonly Linear dense, logits;
    readonly Dropout dropout;

    public PaperCnnJudge() : base(nameof(PaperCnnJudge))
    {
        conv1 = nn.Conv2d(2, 32, 5, padding: 2);
        conv2 = nn.Conv2d(32, 64, 5, padding: 2);
        dense = nn.Linear(64 * 7 * 7, 1024);
        logits = nn.Linear(1024, Classes);
        dropout = nn.Dropout(0.4);
        RegisterComponents();
    }

    public override long StateSize => 2 * SparseDigits.Pixels;

    public override Tensor State(Tensor pixels, Tensor values)
    {
        using var scope = NewDisposeScope();
        long b = pixels.shape[0];
        // Column NoPixel collects the empty slots and is dropped.
        var mask = zeros(b, NoPixel + 1, device: values.device).scatter_(1, pixels, ones_like(values));
        var plane = zeros(b, NoPixel + 1, device: values.device).scatter_(1, pixels, values);
        return cat([mask.narrow(1, 0, NoPixel), plane.narrow(1, 0, NoPixel)], 1).MoveToOuterDisposeScope();
    }

    public override Tensor Head(Tensor state)
    {
        using var scope = NewDisposeScope();
        var x = state.view(-1, 2, SparseDigits.Side, SparseDigits.Side);
        x = nn.functional.max_pool2d(conv1.call(x).relu_(), 2, 2);
        x = nn.functional.max_pool2d(conv2.call(x).relu_(), 2, 2);
        return logits.call(dropout.call(dense.call(x.flatten(1)).relu_())).MoveToOuterDisposeScope();
    }
}
