using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Protocols.Debate;

/// <summary>
/// A judge that sees only the revealed pixels of an image (Irving et al. 2018, section 3.1): the
/// input is two planes, a 0/1 mask of revealed pixels and their values, and the output is one
/// logit per digit. A position is a <c>[B, 2, k]</c> float tensor: row 0 holds pixel indices
/// (0–783; <see cref="NoPixel"/> for an empty slot), row 1 their values.
/// <para>
/// Every judge here is split into an additive <see cref="State"/> — the sum over revealed pixels
/// of a per-pixel contribution — and a nonlinear <see cref="Head"/>. For the CNN the state is the
/// two input planes themselves; for the MLP it is the first layer's pre-activation, which is a
/// linear function of the planes. Search exploits the split: a child position's state is its
/// parent's plus one pixel's contribution, so a whole node's children cost one add and one head
/// call in a single batch.
/// </para>
/// </summary>
public abstract class SparseJudge : nn.Module<Tensor, Tensor>
{
    public const int NoPixel = SparseDigits.Pixels;
    public const int Classes = 10;

    protected SparseJudge(string name) : base(name) { }

    /// <summary>Width of the additive state.</summary>
    public abstract long StateSize { get; }

    /// <summary>Σ over revealed pixels of their contributions: pixels int64 [B, k], values [B, k] → [B, <see cref="StateSize"/>].</summary>
    public abstract Tensor State(Tensor pixels, Tensor values);

    /// <summary>Digit logits from states: [B, <see cref="StateSize"/>] → [B, 10].</summary>
    public abstract Tensor Head(Tensor state);

    public override Tensor forward(Tensor positions)
    {
        using var pixels = positions.select(1, 0).to_type(ScalarType.Int64);
        using var values = positions.select(1, 1);
        using var state = State(pixels, values);
        return Head(state);
    }

    /// <summary>Each single pixel's contribution: pixels int64 [n], values [n] → [n, <see cref="StateSize"/>].</summary>
    public Tensor Contributions(Tensor pixels, Tensor values) => State(pixels.view(-1, 1), values.view(-1, 1));
}
