using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OversightLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OversightLab.Training;

/// <summary>
/// TorchSharp's Adam with its update done in two passes over each parameter's memory instead of
/// eight tensor operations and two temporaries — bit for bit the same numbers.
/// </summary>
/// <remarks>
/// Per element, libtorch computes m ← fma(g, 1−β1, m·β1), v ← fma((1−β2)·g, g, v·β2),
/// d ← sqrt(v) / √(1−β2ᵗ) + ε and p ← (−step·m) / d + p, each constant rounded to float (a test
/// checks every one of these against TorchSharp's Adam, bit for bit). The square root is left
/// to libtorch (one in-place op on a kept buffer): its sqrt is MKL's, which differs from the
/// correctly rounded one in the last bit for about one element in six. On a small model the
/// saving is per-op overhead (a 784-32-10 MLP has four parameter tensors: 32 ops become 4 plus 8
/// passes); on a large one it is memory traffic. The passes run on the calling thread: splitting
/// them across .NET's thread pool while libtorch's OpenMP threads spin was 2–6× slower.
/// Anything else — a GPU tensor, another dtype, a non-contiguous parameter, weight decay, AMSGrad,
/// maximize — takes TorchSharp's own step.
/// </remarks>
public sealed class FusedAdam(IEnumerable<Parameter> parameters, double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    : Adam(parameters, lr, beta1, beta2, eps, weight_decay: 0, amsgrad: false, maximize: false)
{
    readonly Dictionary<IntPtr, Tensor> roots = [];

    public override Tensor step(Func<Tensor>? closure = null)
    {
        var groups = _parameter_groups.Cast<ParamGroup>().ToList();
        if (closure is not null || groups.Any(g => g.Options is Options { amsgrad: true } or Options { maximize: true } or Options { weight_decay: not (null or 0.0) }))
            return base.step(closure);
        using var scope = NewDisposeScope();   // each .grad is a new handle
        var work = groups.Select(g => (Options: (Options)g.Options, Pairs: g.Parameters.Select(p => (Param: p, Grad: p.grad)).Where(x => x.Grad is not null).ToList())).ToList();
        if (!work.All(w => w.Pairs.All(x => Fusable(x.Param, x.Grad!)))) return base.step(closure);

        foreach (var (options, pairs) in work)
        {
            double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, lr = options.LearningRate!.Value;
            foreach (var (param, grad) in pairs)
            {
                var state = (State)_state[param.Handle];
                state.step += 1;
                double correction1 = 1 - Math.Pow(beta1, state.step), correction2 = 1 - Math.Pow(beta2, state.step);
                var constants = new Constants((float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2),
                    (float)Math.Sqrt(correction2), (float)options.eps!.Value, (float)(-(lr / correction1)));
                if (!roots.TryGetValue(param.Handle, out var root))
                    roots[param.Handle] = root = empty_like(param, requires_grad: false).DetachFromDisposeScope();
                Moments(CpuFloats.Of(grad!), CpuFloats.Of(state.exp_avg), CpuFloats.Of(state.exp_avg_sq), CpuFloats.Of(root), constants);
                root.sqrt_();
                Update(CpuFloats.Of(param), CpuFloats.Of(state.exp_avg), CpuFloats.Of(root), constants);
            }
        }
        return null!;
    }

    static bool Fusable(Tensor param, Tensor grad) => CpuFloats.Holds(param) && CpuFloats.Holds(grad) && grad.shape.SequenceEqual(param.shape);

    readonly record struct Constants(float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float RootCorrection2, float Eps, float NegativeStep);

    /// <summary>m ← fma(g, 1−β1, m·β1); v ← fma((1−β2)·g, g, v·β2); root ← v (square-rooted by libtorch next).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // vector code is slow until tiered up; these loops are hot from the first step
    static void Moments(ReadOnlySpan<float> g, Span<float> m, Span<float> v, Span<float> root, Constants c)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> b1 = Vector256.Create(c.Beta1), a1 = Vector256.Create(c.OneMinusBeta1), b2 = Vector256.Create(c.Beta2), a2 = Vector256.Create(c.OneMinusBeta2);
            for (; i <= g.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var gi = Vector256.Create(g.Slice(i, Vector256<float>.Count));
                var mi = Vector256.FusedMultiplyAdd(gi, a1, Vector256.Create(m.Slice(i, Vector256<float>.Count)) * b1);
                var vi = Vector256.FusedMultiplyAdd(a2 * gi, gi, Vector256.Create(v.Slice(i, Vector256<float>.Count)) * b2);
                mi.CopyTo(m.Slice(i));
                vi.CopyTo(v.Slice(i));
                vi.CopyTo(root.Slice(i));
            }
        }
        for (; i < g.Length; i++)
        {
            m[i] = MathF.FusedMultiplyAdd(g[i], c.OneMinusBeta1, m[i] * c.Beta1);
            v[i] = MathF.FusedMultiplyAdd(c.OneMinusBeta2 * g[i], g[i], v[i] * c.Beta2);
            root[i] = v[i];
        }
    }

    /// <summary>p ← (−step·m) / (root / √(1−β2ᵗ) + ε) + p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Update(Span<float> p, ReadOnlySpan<float> m, ReadOnlySpan<float> root, Constants c)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> correction = Vector256.Create(c.RootCorrection2), eps = Vector256.Create(c.Eps), step = Vector256.Create(c.NegativeStep);
            for (; i <= p.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var denominator = Vector256.Create(root.Slice(i, Vector256<float>.Count)) / correction + eps;
                var pi = step * Vector256.Create(m.Slice(i, Vector256<float>.Count)) / denominator + Vector256.Create(p.Slice(i, Vector256<float>.Count));
                pi.CopyTo(p.Slice(i));
            }
        }
        for (; i < p.Length; i++)
            p[i] = c.NegativeStep * m[i] / (root[i] / c.RootCorrection2 + c.Eps) + p[i];
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var root in roots.Values) root.Dispose();
        roots.Clear();
        base.Dispose(disposing);
    }
}
