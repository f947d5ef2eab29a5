using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OversightLab.Models;

/// <summary>
/// S independent models of one shape — ReLU layers and a linear head on flat inputs — held as
/// stacked parameters (S × in × out) so that one batched matrix product runs all of them: the
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
    readonly ParameterList weights = new(), biases = new();
    readonly bool pairs;

    /// <param name="widths">input width, hidden widths, outputs (1 for pairs)</param>
    public MlpStack(int models, IReadOnlyList<int> widths, bool pairs) : base(nameof(MlpStack))
    {
        if (pairs && widths.Count != 2) throw new ArgumentException("a preference stack is a probe: no hidden layers");
        this.pairs = pairs;
        Models = models;
        for (int l = 0; l + 1 < widths.Count; l++)
        {
            weights.Add(new Parameter(zeros(models, widths[l], widths[l + 1])));
            // No bias for preferences: it would cancel in r(a) − r(b).
            if (!(pairs && l + 2 == widths.Count)) biases.Add(new Parameter(zeros(models, 1, widths[l + 1])));
        }
        RegisterComponents();
    }

    public int Models { get; }

    /// <summary>A stack shaped like <paramref name="layers"/> (an encoder's layers and its head), for a task with <paramref name="pairs"/>.</summary>
    public static MlpStack Like(int models, IReadOnlyList<Linear> layers, bool pairs) =>
        new(models, [(int)layers[0].weight!.shape[1], .. layers.Select(l => (int)l.weight!.shape[0])], pairs);

    /// <summary>Copies a model's linear layers (encoder layers, then the head) into slice <paramref name="model"/>.</summary>
    public void Load(int model, IReadOnlyList<Linear> layers)
    {
        using var _ = no_grad();
        foreach (var (linear, l) in layers.Select((x, i) => (x, i)))
        {
            weights[l][model].copy_(linear.weight!.t());
            if (linear.bias is not null) biases[l][model].copy_(linear.bias.unsqueeze(0));
        }
    }

    /// <summary>Copies slice <paramref name="model"/> back into a model's linear layers.</summary>
    public void Store(int model, IReadOnlyList<Linear> layers)
    {
        using var _ = no_grad();
        foreach (var (linear, l) in layers.Select((x, i) => (x, i)))
        {
            linear.weight!.copy_(weights[l][model].t());
            linear.bias?.copy_(biases[l][model].squeeze(0));
        }
    }

    /// <param name="inputs">S × batch × input width</param>
    /// <returns>S × batch × outputs (logits; [0, score] pairs for preferences)</returns>
    public override Tensor forward(Tensor inputs)
    {
        var x = inputs;
        for (int l = 0; l < weights.Count; l++)
        {
            bool head = l + 1 == weights.Count;
            // bmm, then the bias: TorchSharp 0.107's baddbmm passes its arguments to libtorch in the wrong order.
            x = x.bmm(weights[l]);
            if (l < biases.Count) x = x.add_(biases[l]);
            if (!head) x = nn.functional.relu(x);
        }
        return pairs ? cat([zeros_like(x), x], -1) : x;
    }
}
