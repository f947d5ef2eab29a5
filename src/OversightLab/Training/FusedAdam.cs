using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OversightLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OversightLab.Training;

/// <summary>
/// TorchSharp's Adam with its whole update done in one pass over each parameter's memory instead
/// of eight tensor operations and two temporaries per parameter — bit for bit the same numbers —
/// and a <see cref="zero_grad"/> that sets gradients to none.
/// </summary>
/// <remarks>
/// Per element, libtorch computes m ← fma(g, 1−β1, m·β1), v ← fma((1−β2)·g, g, v·β2),
/// d ← sqrt(v) / √(1−β2ᵗ) + ε and p ← (−step·m) / d + p, each constant rounded to float (a test
/// checks every one of these against TorchSharp's Adam, bit for bit). The square root is MKL's,
/// the one libtorch's <c>sqrt</c> calls: it differs from the correctly rounded one in the last bit
/// for about one element in six. Where <see cref="MklSqrt.Reproduced"/> (AMD processors, ours) the
/// pass computes it in its own vector loop, sixteen or eight elements at a time, so each element's memory is
/// read and written once; elsewhere, and for the last few elements of each parameter, it calls
/// MKL on chunks of 8,192 elements that stay in cache between the moments and the update. When all
/// parameters together have enough elements (<see cref="ParallelGrain"/>, libtorch's own grain for
/// elementwise work), each parameter is split evenly over libtorch's OpenMP threads, as libtorch
/// splits its own elementwise operations tensor by tensor; each element's arithmetic does not depend
/// on where the split falls. (Splitting all elements as one range instead made the 2-thread steps
/// of the two largest ladder models slower on our VM, by 10–20% in its slow stretches:
/// results/perf/README.md.) A stack of models can go further and have each of its blocks split on
/// its own (<see cref="SplitInBlocks"/>). On a small model the saving is per-op
/// overhead (a 784-32-10 MLP has four parameter tensors: 32 ops become one pass); on a large one
/// it is the reproduced square root (1.6× faster than calling MKL for a 784-512-512-2 MLP) and the second thread.
/// Anything else — a GPU tensor, another dtype, a non-contiguous parameter, weight decay, AMSGrad,
/// maximize, or no MKL — takes TorchSharp's own step.
/// </remarks>
public sealed class FusedAdam : Adam
{
    /// <summary>Adam over <paramref name="parameters"/>, read once into a list: TorchSharp keeps the enumerable it is given, and a module's <c>parameters()</c> walks the module tree each time it is read (6 µs a step for a three-layer MLP).</summary>
    public FusedAdam(IEnumerable<Parameter> parameters, double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
        : base([.. parameters], lr, beta1, beta2, eps, weight_decay: 0, amsgrad: false, maximize: false) { }

    /// <summary>Fewer elements than this in all parameters together: one thread.</summary>
    public const int ParallelGrain = LibtorchNative.Grain;

    /// <summary>Whether this process has what the fused step needs (MKL's square root, in libtorch's CPU library); if not, every step is TorchSharp's.</summary>
    public static bool Available => LibtorchNative.HasSqrt;

    /// <summary>Elements per square-root call: a chunk's parameters, gradient, moments and roots (160 KB) stay in L2 from the moments to the update.</summary>
    const int Chunk = 8192;

    /// <summary>
    /// Sets every parameter's gradient to none rather than zero-filling it (PyTorch's
    /// <c>zero_grad(set_to_none=True)</c>, its default since 2.0): backward then hands its fresh
    /// gradient tensor to the parameter instead of adding it into a zeroed one. The numbers are the
    /// same (0 + g = g; a −0 gradient would read +0 there, which can change at most the sign of a
    /// zero), and the step at batch 32 takes 0.84–0.92 of the time.
    /// </summary>
    public override void zero_grad()
    {
        foreach (var group in _parameter_groups)
            foreach (var parameter in group.Parameters) parameter.grad = null!;
    }

    /// <summary>
    /// Declares <paramref name="parameter"/> a run of blocks of <paramref name="lengths"/> elements, in
    /// order, each split over the threads on its own rather than the parameter as a whole. A stack of
    /// models that lays each layer's models out in order (<see cref="MlpStack.ParameterBlocks"/>) then
    /// has each thread update the models its kernels ran, whose gradients and weights are in its own
    /// cache. The numbers do not change: only which thread computes which element.
    /// </summary>
    public void SplitInBlocks(Parameter parameter, IReadOnlyList<long> lengths)
    {
        if (!parameters().Any(p => p.Handle == parameter.Handle))
            throw new ArgumentException("the parameter is not one this optimizer updates", nameof(parameter));
        if (lengths.Any(l => l < 0) || lengths.Sum() != parameter.numel())
            throw new ArgumentException($"block lengths must be non-negative and add up to the parameter's {parameter.numel()} elements", nameof(lengths));
        blocks[parameter.Handle] = [.. lengths];
    }

    readonly Dictionary<IntPtr, long[]> blocks = [];

    public override unsafe Tensor step(Func<Tensor>? closure = null)
    {
        var groups = _parameter_groups.Cast<ParamGroup>().ToList();
        if (closure is not null || groups.Any(g => !Plain(g.Options)))
            return base.step(closure);
        using var scope = NewDisposeScope();   // each .grad is a new handle
        var work = groups.Select(g => (Options: (Options)g.Options, Pairs: g.Parameters.Select(p => (Param: p, Grad: p.grad)).Where(x => x.Grad is not null).ToList())).ToList();
        if (!Available || !work.All(w => w.Pairs.All(x => Fusable(x.Param, x.Grad!)))) return base.step(closure);

        var slices = new List<Slice>();
        long total = 0;
        foreach (var (options, pairs) in work)
        {
            foreach (var (param, grad) in pairs)
            {
                var state = (State)_state[param.Handle];
                var constants = Advance(state, options);
                float* p = CpuFloats.Pointer(param), g = CpuFloats.Pointer(grad!), m = CpuFloats.Pointer(state.exp_avg), v = CpuFloats.Pointer(state.exp_avg_sq);
                long offset = 0;
                foreach (long length in blocks.GetValueOrDefault(param.Handle) ?? [param.numel()])
                {
                    slices.Add(new Slice(p + offset, g + offset, m + offset, v + offset, length, constants));
                    offset += length;
                }
                total += offset;
            }
        }
        LibtorchNative.Parallel(total >= ParallelGrain ? get_num_threads() : 1, (thread, threads) => Pass(slices, thread, threads));
        return null!;
    }

    /// <summary>One step on: the state's step count advanced, and that step's constants at the group's learning rate now.</summary>
    static Constants Advance(State state, Options options)
    {
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, lr = options.LearningRate!.Value;
        state.step += 1;
        double correction1 = 1 - Math.Pow(beta1, state.step), correction2 = 1 - Math.Pow(beta2, state.step);
        return new Constants((float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2),
            (float)Math.Sqrt(correction2), (float)options.eps!.Value, (float)(-(lr / correction1)));
    }

    /// <summary>
    /// For a caller that updates <paramref name="parameter"/> piece by piece, from any thread and
    /// between other work (<see cref="UpdatePiece"/>), rather than through <see cref="step"/>: its next
    /// step's constants, taken as <see cref="step"/> takes them (its step count advanced, its group's
    /// learning rate now). Null where <see cref="step"/> would not fuse (<see cref="Fuses"/>); then nothing changed.
    /// </summary>
    internal Constants? NextStep(Parameter parameter) =>
        FusedOptions(parameter) is { } options ? Advance((State)_state[parameter.Handle], options) : null;

    /// <summary>Where <paramref name="parameter"/> and its moments live, for <see cref="UpdatePiece"/>; null where its update does not fuse.</summary>
    internal unsafe Memory? MemoryOf(Parameter parameter) =>
        FusedOptions(parameter) is null ? null
        : _state[parameter.Handle] is State state ? new Memory(CpuFloats.Pointer(parameter), CpuFloats.Pointer(state.exp_avg), CpuFloats.Pointer(state.exp_avg_sq)) : null;

    /// <summary>Whether <see cref="NextStep"/> would fuse for <paramref name="parameter"/>.</summary>
    internal bool Fuses(Parameter parameter) => FusedOptions(parameter) is not null;

    /// <summary>The options of <paramref name="parameter"/>'s group where its update fuses, else null.</summary>
    Options? FusedOptions(Parameter parameter) =>
        Available && CpuFloats.Holds(parameter)
        && _parameter_groups.Cast<ParamGroup>().FirstOrDefault(g => g.Parameters.Any(p => p.Handle == parameter.Handle))?.Options
            is Options options && Plain(options) ? options : null;

    /// <summary>Options the fused pass computes: no AMSGrad, no maximising, no weight decay (anything else takes TorchSharp's step).</summary>
    static bool Plain(object? options) => options is Options { amsgrad: not true, maximize: not true, weight_decay: null or 0.0 };

    /// <summary>A parameter's values and both moments: libtorch's memory, which does not move.</summary>
    internal readonly unsafe struct Memory(float* p, float* m, float* v)
    {
        public readonly float* P = p, M = m, V = v;
    }

    /// <summary>
    /// Elements [<paramref name="offset"/>, <paramref name="offset"/> + gradient's length) of a parameter
    /// one step on, from their <paramref name="gradient"/>, as <see cref="step"/> updates them: the same
    /// arithmetic per element, wherever the piece starts or ends. Touches no tensor: any thread may call it.
    /// </summary>
    [SkipLocalsInit]   // root is written before it is read
    internal static unsafe void UpdatePiece(in Memory memory, in Constants constants, long offset, ReadOnlySpan<float> gradient)
    {
        float* root = stackalloc float[Math.Min(Chunk, gradient.Length)];   // a piece's tail needs a few floats, not a chunk's 32 KB
        fixed (float* g = gradient)
            UpdateElements(new Slice(memory.P + offset, g, memory.M + offset, memory.V + offset, gradient.Length, constants), 0, gradient.Length, root);
    }

    static bool Fusable(Tensor param, Tensor grad) => CpuFloats.Holds(param) && CpuFloats.Holds(grad) && grad.numel() == param.numel();

    internal readonly record struct Constants(float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float RootCorrection2, float Eps, float NegativeStep);

    /// <summary>One parameter's (or one of its blocks') memory (parameter, gradient, both moments) and step constants.</summary>
    unsafe readonly struct Slice(float* p, float* g, float* m, float* v, long length, Constants c)
    {
        public readonly float* P = p, G = g, M = m, V = v;
        public readonly long Length = length;
        public readonly Constants C = c;
    }

    /// <summary>
    /// One thread's even share of every parameter's (or block's) elements. Whole vectors go through
    /// <see cref="Whole"/> when MKL's square root is reproduced here; the rest (every tail, or
    /// everything where it is not) chunk by chunk: moments, MKL's square root by call, update.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]   // root is written before it is read: no 32 KB of zeroes a call
    static unsafe void Pass(List<Slice> slices, int thread, int threads)
    {
        float* root = stackalloc float[Chunk];
        foreach (var s in slices) UpdateElements(s, Boundary(s.Length, thread, threads), Boundary(s.Length, thread + 1, threads), root);
    }

    /// <summary>Elements [<paramref name="i"/>, <paramref name="end"/>) of a slice; <paramref name="root"/>: room for a chunk's square roots.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void UpdateElements(in Slice s, long i, long end, float* root)
    {
        if (MklSqrt.Reproduced) i = Whole(s, i, end);
        for (; i < end; i += Chunk)
        {
            int n = (int)Math.Min(Chunk, end - i);
            Moments(new ReadOnlySpan<float>(s.G + i, n), new Span<float>(s.M + i, n), new Span<float>(s.V + i, n), new Span<float>(root, n), s.C);
            LibtorchNative.Sqrt(root, root, n);
            Update(new Span<float>(s.P + i, n), new ReadOnlySpan<float>(s.M + i, n), new ReadOnlySpan<float>(root, n), s.C);
        }
    }

    /// <summary>
    /// Where thread <paramref name="thread"/>'s share of a parameter (or block) of <paramref name="length"/>
    /// elements starts: an even split, rounded down to a multiple of 16 elements, so that two threads
    /// share no cache line where the parameter starts on one (libtorch's tensors do).
    /// </summary>
    static long Boundary(long length, int thread, int threads) =>
        thread == threads ? length : length * thread / threads / CacheLine * CacheLine;

    /// <summary>Floats in a 64-byte cache line.</summary>
    const int CacheLine = 16;

    /// <summary>
    /// False: the pass takes eight elements at a time even where sixteen would run, as on a processor
    /// without 512-bit vectors (the tests compare the two).
    /// </summary>
    public static bool Wide { get; set; } = true;

    /// <summary>
    /// The whole update for elements [<paramref name="i"/>, <paramref name="end"/>) of one parameter
    /// in one pass, the square root reproduced (<see cref="MklSqrt"/>): sixteen elements at a time
    /// where <see cref="MklSqrt.ReproducedWide"/>, then eight; returns where the whole vectors end
    /// (the tail is left to the caller). Every operation is rounded on its own, so the width does not
    /// change an element's bits. Per element the pass is a chain of about twenty dependent
    /// operations and two divisions; eight lanes at a time it ran at 0.57–0.73 ns per element, waiting
    /// on that chain, and sixteen at 0.46–0.48.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe long Whole(in Slice s, long i, long end)
    {
        var c = s.C;
        if (Wide && MklSqrt.ReproducedWide) i = Whole16(s, i, end);
        Vector256<float> b1 = Vector256.Create(c.Beta1), a1 = Vector256.Create(c.OneMinusBeta1), b2 = Vector256.Create(c.Beta2), a2 = Vector256.Create(c.OneMinusBeta2),
            correction = Vector256.Create(c.RootCorrection2), eps = Vector256.Create(c.Eps), step = Vector256.Create(c.NegativeStep);
        for (; i <= end - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var g = Vector256.Load(s.G + i);
            var m = Vector256.FusedMultiplyAdd(g, a1, Vector256.Load(s.M + i) * b1);
            var v = Vector256.FusedMultiplyAdd(a2 * g, g, Vector256.Load(s.V + i) * b2);
            m.Store(s.M + i);
            v.Store(s.V + i);
            var denominator = MklSqrt.Of(v) / correction + eps;
            (step * m / denominator + Vector256.Load(s.P + i)).Store(s.P + i);
        }
        return i;
    }

    /// <summary><see cref="Whole"/> sixteen elements at a time: the same operations on 512-bit vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe long Whole16(in Slice s, long i, long end)
    {
        var c = s.C;
        Vector512<float> b1 = Vector512.Create(c.Beta1), a1 = Vector512.Create(c.OneMinusBeta1), b2 = Vector512.Create(c.Beta2), a2 = Vector512.Create(c.OneMinusBeta2),
            correction = Vector512.Create(c.RootCorrection2), eps = Vector512.Create(c.Eps), step = Vector512.Create(c.NegativeStep);
        for (; i <= end - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var g = Vector512.Load(s.G + i);
            var m = Vector512.FusedMultiplyAdd(g, a1, Vector512.Load(s.M + i) * b1);
            var v = Vector512.FusedMultiplyAdd(a2 * g, g, Vector512.Load(s.V + i) * b2);
            m.Store(s.M + i);
            v.Store(s.V + i);
            var denominator = MklSqrt.Of(v) / correction + eps;
            (step * m / denominator + Vector512.Load(s.P + i)).Store(s.P + i);
        }
        return i;
    }

    /// <summary>m ← fma(g, 1−β1, m·β1); v ← fma((1−β2)·g, g, v·β2); root ← v (square-rooted next).</summary>
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
}
