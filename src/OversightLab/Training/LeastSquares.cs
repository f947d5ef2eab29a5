using OversightLab.Models;
using static TorchSharp.torch;

namespace OversightLab.Training;

/// <summary>
/// The exact least-squares linear probe: W = argmin ‖[Φ 1] W − Y‖² + λ‖W‖², solved in float64.
/// Charikar et al.'s misfit bound is about this minimiser (a projection onto a convex class),
/// not about wherever a few epochs of Adam stop, so the squared-loss method solves it exactly.
/// </summary>
public static class LeastSquares
{
    /// <summary>Sets <paramref name="head"/>'s weight and bias to the ridge solution on (<paramref name="features"/>, <paramref name="targets"/>).</summary>
    public static void Fit(ProbeHead head, Tensor features, Tensor targets, double ridge = 1e-4)
    {
        using var scope = NewDisposeScope();
        var x = cat([features.to_type(ScalarType.Float64), ones(features.shape[0], 1, dtype: ScalarType.Float64, device: features.device)], 1);
        var y = targets.to_type(ScalarType.Float64);
        var gram = x.T.matmul(x) + eye(x.shape[1], dtype: ScalarType.Float64, device: x.device) * (ridge * x.shape[0]);
        var solution = linalg.solve(gram, x.T.matmul(y)); // (F + 1) × C
        head.SetWeights(solution[..^1].T.to_type(ScalarType.Float32), solution[^1].to_type(ScalarType.Float32));
    }
}
