using static TorchSharp.torch;

namespace OversightLab.Training;

/// <summary>
/// Squared loss on the raw outputs, <c>sqloss</c>: mean over examples of ‖z − y‖². With a linear
/// probe on frozen features this is least-squares regression onto the weak labels over a convex
/// function class — the setting of Charikar et al. 2024, where the student's gain over its
/// supervisor is at least their misfit. The outputs are scores, not logits: predictions are the
/// outputs themselves (<see cref="ITrainingLoss.Predict"/>), not their softmax.
/// </summary>
public sealed class SquaredLoss : ITrainingLoss
{
    public string Name => "sqloss";

    public Tensor Compute(Tensor logits, Tensor targets, double progress) => (logits - targets).pow(2).sum(-1).mean([-1]);

    public Tensor Predict(Tensor outputs) => outputs;
}
