using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OversightLab.Models;

/// <summary>
/// S independent models of one shape — ReLU layers and a linear head on flat inputs — held as
/// stacked layers (S × in × out) so that one batched matrix product runs all of them: the
/// small models of a sweep cost per-op overhead, not arithmetic, and S of them cost about what one
/// does. Slice s is exactly the model loaded into it with <see cref="Load"/>; nothing mixes slices.
/// <para>
/// It reads inputs already flat (pooled pixels, or a frozen encoder's features). For a preference
/// task (<c>pairs</c>) it has no hidden layers: its inputs are feature differences φ(a) − φ(b) and
/// the head returns [0, r(a) − r(b)], as <see cref="ProbeHead"/> does.
/// </para>
/// </summary>
public sealed class MlpStack : nn.Module<Tensor, Tensor>
{
    /// <summary>
    /// Every parameter of every model in one flat tensor, layer by layer (all S models' weights of
    /// layer 1, then their biases, then layer 2's, …), so that each layer is a contiguous S × in × out
    /// view for the batched product, and the optimizer updates one tensor per step, not two per
    /// layer — at these sizes each tensor op costs microseconds of overhead whatever its size.
    /// </summary>
    readonly Parameter values;
    readonly List<(int In, int Out, int Weight, int Bias)> layout = [];
    readonly long[] sizes;
    readonly bool pairs;

    /// <param name="widths">input width, hidden widths, outputs (1 for pairs)</param>
    public MlpStack(int models, IReadOnlyList<int> widths, bool pairs) : base(nameof(MlpStack))
    {
        if (pairs && widths.Count != 2) throw new ArgumentException("a preference stack is a probe: no hidden layers");
        this.pairs = pairs;
        Models = models;
        int size = 0;
        for (int l = 0; l + 1 < widths.Count; l++)
        {
            int weight = size;
            size += models * widths[l] * widths[l + 1];
            // No bias for preferences: it would cancel in r(a) − r(b).
            int bias = pairs ? -1 : size;
            if (!pairs) size += models * widths[l + 1];
            layout.Add((widths[l], widths[l + 1], weight, bias));
        }
        values = new Parameter(zeros(size));
        sizes = [.. layout.SelectMany(l => l.Bias < 0 ? new long[] { models * l.In * l.Out } : [models * l.In * l.Out, models * l.Out])];
        RegisterComponents();
    }

    public int Models { get; }

    /// <summary>A stack shaped like <paramref name="layers"/> (an encoder's layers and its head), for a task with <paramref name="pairs"/>.</summary>
    public static MlpStack Like(int models, IReadOnlyList<Linear> layers, bool pairs) =>
        new(models, [(int)layers[0].weight!.shape[1], .. layers.Select(l => (int)l.weight!.shape[0])], pairs);

    /// <summary>Layer <paramref name="l"/>'s weights of every model, S × in × out (a view).</summary>
    Tensor Weight(int l) => values.narrow(0, layout[l].Weight, Models * layout[l].In * layout[l].Out).view(Models, layout[l].In, layout[l].Out);

    /// <summary>Layer <paramref name="l"/>'s biases of every model, S × 1 × out (a view), or null.</summary>
    Tensor? Bias(int l) => layout[l].Bias < 0 ? null : values.narrow(0, layout[l].Bias, Models * layout[l].Out).view(Models, 1, layout[l].Out);

    /// <summary>Copies a model's linear layers (encoder layers, then the head) into slice <paramref name="model"/>.</summary>
    public void Load(int model, IReadOnlyList<Linear> layers)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var (linear, l) in layers.Select((x, i) => (x, i)))
        {
            Weight(l)[model].copy_(linear.weight!.t());
            if (linear.bias is not null) Bias(l)![model].copy_(linear.bias.unsqueeze(0));
        }
    }

    /// <summary>Copies slice <paramref name="model"/> back into a model's linear layers.</summary>
    public void Store(int model, IReadOnlyList<Linear> layers)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var (linear, l) in layers.Select((x, i) => (x, i)))
        {
            linear.weight!.copy_(Weight(l)[model].t());
            linear.bias?.copy_(Bias(l)![model].squeeze(0));
        }
    }

    /// <param name="inputs">S × batch × input width</param>
    /// <returns>S × batch × outputs (logits; [0, score] pairs for preferences)</returns>
    public override Tensor forward(Tensor inputs)
    {
        // One split into every layer's weights and biases: its backward is one concatenation of their
        // gradients (a view per layer would each allocate and fill a zero gradient of the whole stack).
        var parts = values.split(sizes);
        var x = inputs;
        int p = 0;
        for (int l = 0; l < layout.Count; l++)
        {
            var (input, output, _, bias) = layout[l];
            // bmm, then the bias: TorchSharp 0.107's baddbmm passes its arguments to libtorch in the wrong order.
            x = x.bmm(parts[p++].view(Models, input, output));
            if (bias >= 0) x = x.add_(parts[p++].view(Models, 1, output));
            if (l + 1 < layout.Count) x = nn.functional.relu(x);
        }
        return pairs ? cat([zeros_like(x), x], -1) : x;
    }
}
