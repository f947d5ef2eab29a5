using OversightLab.Protocols.Debate;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OversightLab.Tests.Debate;

/// <summary>
/// A hand-built judge for rule tests: each revealed pixel adds a fixed row of logits (its value is
/// ignored), so what the judge concludes from any set of pixels is known exactly.
/// </summary>
sealed class TableJudge : SparseJudge
{
    readonly Parameter table;

    /// <param name="rows">pixel → the 10 logits it adds; pixels not listed add nothing</param>
    public TableJudge(IReadOnlyDictionary<int, float[]> rows) : base(nameof(TableJudge))
    {
        var data = new float[(NoPixel + 1) * Classes];
        foreach (var (pixel, logits) in rows) logits.CopyTo(data, pixel * Classes);
        table = new Parameter(tensor(data, [NoPixel + 1, Classes]), requires_grad: false);
        RegisterComponents();
    }

    public override long StateSize => Classes;

    public override Tensor State(Tensor pixels, Tensor values) =>
        table.index_select(0, pixels.reshape(-1)).view(pixels.shape[0], pixels.shape[1], Classes).sum(1);

    public override Tensor Head(Tensor state) => state.clone();

    /// <summary>Logits with <paramref name="value"/> at <paramref name="digit"/>, zero elsewhere.</summary>
    public static float[] Favour(int digit, float value)
    {
        var logits = new float[Classes];
        logits[digit] = value;
        return logits;
    }
}
