using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OversightLab.Models;

/// <summary>
/// The zero-initialised linear head on features. For a preference task its input is the
/// difference of two items' features and it outputs one score r(a) − r(b) — a Bradley-Terry
/// reward model, P(a ≻ b) = σ(r(a) − r(b)) — returned as the logits [0, r(a) − r(b)] so every loss
/// and metric treats "a preferred" as class 1.
/// </summary>
public sealed class ProbeHead : nn.Module<Tensor, Tensor>
{
    readonly Linear linear;
    readonly bool pairs;

    public ProbeHead(int features, int classes, bool pairs) : base(nameof(ProbeHead))
    {
        this.pairs = pairs;
        // No bias for preferences: it would cancel in r(a) − r(b).
        linear = pairs ? nn.Linear(features, 1, hasBias: false) : nn.Linear(features, classes);
        using (no_grad())
        {
            linear.weight!.zero_();
            linear.bias?.zero_();
        }
        RegisterComponents();
    }

    public bool Pairs => pairs;

    public Linear Linear => linear;

    /// <summary>Overwrites the head's parameters (classes × features weight, classes bias), e.g. with a closed-form fit.</summary>
    public void SetWeights(Tensor weight, Tensor bias)
    {
        using var _ = no_grad();
        linear.weight!.copy_(weight);
        linear.bias?.copy_(bias);
    }

    public override Tensor forward(Tensor features)
    {
        var scores = linear.call(features);
        return pairs ? cat([zeros_like(scores), scores], 1) : scores;
    }
}
