using System.Runtime.Intrinsics.X86;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OversightLab.Models;

/// <summary>
/// The ladder encoders' linear layers on MKL's AVX-512 matrix products. libtorch asks MKL for its
/// products, and MKL chooses its code by the processor's vendor: on an AMD processor it runs its
/// generic branch even where the processor has AVX-512. Its AVX-512 branch is in the same library,
/// and this calls it directly for batches of <see cref="MinRows"/> rows and more into layers of
/// <see cref="MinWeights"/> weights and more, where it is the faster one here: the products of a
/// training step at batch 512 took 0.79–0.95 of the generic branch's time, and mlp-l's and mlp-xl's
/// whole steps 0.89–0.95 (<c>results/perf/README.md</c>, "MKL's AVX-512 products"). libtorch keeps
/// the rest. At the protocols' batch of 32 the AVX-512 gradients are faster too, but a custom
/// autograd node costs about what they save (a 256 → 128 layer's forward and backward took 138–153
/// µs against libtorch's 128–132), and the two-class heads' forward products are slower on that branch.
/// <para>
/// The products' bits differ from the generic branch's in the last places, so the large encoders'
/// features and the results built on them moved by rounding when this came in (2026-11-29). A
/// given machine and thread count always gives the same bits: the threads split a product along
/// its longer side at multiples of 16, a split that depends on nothing but the shape and the count.
/// </para>
/// </summary>
public static unsafe class MklLinear
{
    /// <summary>Layers with fewer weights than this stay libtorch's (every ladder model's head, mlp-xs, mlp-s and mlp-m's layers).</summary>
    public const long MinWeights = 32_768;

    /// <summary>Batches of fewer rows than this stay libtorch's.</summary>
    public const long MinRows = 256;

    /// <summary>Fewer multiply-adds than this in a product: one thread.</summary>
    const long ParallelWork = 1L << 21;

    static readonly bool supported = LibtorchNative.HasAvx512Product
        && Avx512F.IsSupported && Avx512F.VL.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512CD.IsSupported
        && Reproduces();

    /// <summary>Whether this process has MKL's AVX-512 product and a processor that can run it (and the product passed its check).</summary>
    public static bool Supported => supported;

    /// <summary>Off: every layer is libtorch's (for comparisons; on by default where <see cref="Supported"/>).</summary>
    public static bool Enabled { get; set; } = true;

    /// <summary>
    /// <paramref name="layer"/>(<paramref name="x"/>) for x of rows × inputs: on MKL's AVX-512 products
    /// where they apply, else the layer's own call. The same value either way, up to the products' rounding.
    /// </summary>
    public static Tensor Of(Linear layer, Tensor x)
    {
        var weight = layer.weight!;
        if (!Applies(x, weight)) return layer.call(x);
        var bias = layer.bias;
        bool grad = is_grad_enabled() && (x.requires_grad || weight.requires_grad || bias is { requires_grad: true });
        if (!grad) return Forward(x.contiguous(), weight, bias);
        return bias is null ? Node.apply(x, weight) : Node.apply(x, weight, bias);
    }

    /// <summary>Whether <see cref="Of"/> takes MKL's AVX-512 path for this input and weight.</summary>
    public static bool Applies(Tensor x, Tensor weight) =>
        supported && Enabled && x.dim() == 2 && x.size(0) >= MinRows && weight.numel() >= MinWeights
        && CpuFloats.Holds(weight) && x.device_type == DeviceType.CPU && x.dtype == ScalarType.Float32;

    /// <summary>x·Wᵀ + b on MKL's AVX-512 product.</summary>
    static Tensor Forward(Tensor x, Tensor weight, Tensor? bias)
    {
        long rows = x.size(0), inputs = x.size(1), outputs = weight.size(0);
        var y = empty(rows, outputs);
        // As libtorch's addmm does: the output starts as the bias, and the product is added to it.
        if (bias is not null) y.copy_(bias.expand(rows, outputs));
        Multiply(false, true, rows, outputs, inputs, CpuFloats.Pointer(x), inputs, CpuFloats.Pointer(weight), inputs, bias is null ? 0f : 1f, y);
        return y;
    }

    /// <summary>
    /// Row-major C ← op(A)·op(B) + beta·C (<see cref="LibtorchNative.Avx512Product"/>), C contiguous m × n.
    /// Split over libtorch's threads along C's longer side (rows or columns) at multiples of 16; one
    /// thread below <see cref="ParallelWork"/> multiply-adds.
    /// </summary>
    internal static void Multiply(bool transA, bool transB, long m, long n, long k, float* a, long lda, float* b, long ldb, float beta, Tensor c)
    {
        float* pc = CpuFloats.Pointer(c);
        int threads = m * n * k >= ParallelWork ? get_num_threads() : 1;
        bool byRows = m >= n;
        long blocks = ((byRows ? m : n) + 15) / 16;
        if (blocks < 2) threads = 1;
        LibtorchNative.Parallel(threads, (thread, count) =>
        {
            var (first, end) = LibtorchNative.Share(blocks, thread, count);
            long from = first * 16, to = Math.Min(end * 16, byRows ? m : n);
            if (from >= to) return;
            if (byRows)
                LibtorchNative.Avx512Product(transA, transB, to - from, n, k, transA ? a + from : a + from * lda, lda, b, ldb, beta, pc + from * n, n);
            else
                LibtorchNative.Avx512Product(transA, transB, m, to - from, k, a, lda, transB ? b + from * ldb : b + from, ldb, beta, pc + from, n);
        });
    }

    /// <summary>
    /// A linear layer as one autograd node: the forward pass above, and a backward pass whose weight
    /// gradient gᵀ·x and input gradient g·W are MKL's AVX-512 products; the bias
    /// gradient is libtorch's column sum, as in its own backward.
    /// </summary>
    sealed class Node : autograd.SingleTensorFunction<Node>
    {
        public override string Name => nameof(MklLinear);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (x, weight) = (((Tensor)vars[0]).contiguous(), (Tensor)vars[1]);
            var bias = vars.Length > 2 ? (Tensor)vars[2] : null;
            ctx.save_for_backward([x, weight]);
            ctx.save_data(nameof(MklLinear), (((Tensor)vars[0]).requires_grad, bias is not null));
            return Forward(x, weight, bias);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var saved = ctx.get_saved_variables();
            var (x, weight) = (saved[0], saved[1]);
            var (inputGrad, hasBias) = ((bool, bool))ctx.get_data(nameof(MklLinear));
            using var g = gradOutput.contiguous();
            long rows = x.size(0), inputs = x.size(1), outputs = weight.size(0);
            float* pg = CpuFloats.Pointer(g), px = CpuFloats.Pointer(x), pw = CpuFloats.Pointer(weight);
            var weightGrad = empty(outputs, inputs);
            Multiply(true, false, outputs, inputs, rows, pg, outputs, px, inputs, 0f, weightGrad);
            Tensor? xGrad = null;
            if (inputGrad)
            {
                xGrad = empty(rows, inputs);
                Multiply(false, false, rows, inputs, outputs, pg, outputs, pw, inputs, 0f, xGrad);
            }
            var result = new List<Tensor> { xGrad!, weightGrad };
            if (hasBias) result.Add(g.sum([0L]));
            return result;
        }
    }

    /// <summary>
    /// Whether the AVX-512 product agrees with libtorch's on a few odd shapes, transposed and not, to
    /// float rounding: a check that the library's internal function takes the arguments it is given.
    /// </summary>
    static bool Reproduces()
    {
        try
        {
            using var _ = NewDisposeScope();
            ones(2, 2).mm(ones(2, 2));   // MKL sets itself up on its first product
            var generator = new Generator(20261129);
            foreach (var (m, n, k) in new[] { (37L, 29L, 45L), (1L, 70L, 19L), (66L, 3L, 130L) })
                foreach (var (transA, transB) in new[] { (false, false), (false, true), (true, false), (true, true) })
                {
                    var a = rand(transA ? [k, m] : [m, k], generator: generator);
                    var b = rand(transB ? [n, k] : [k, n], generator: generator);
                    var expected = (transA ? a.t() : a).to_type(ScalarType.Float64).mm((transB ? b.t() : b).to_type(ScalarType.Float64));
                    var c = full(m, n, 0.5f);
                    Multiply(transA, transB, m, n, k, CpuFloats.Pointer(a), transA ? m : k, CpuFloats.Pointer(b), transB ? k : n, 1f, c);
                    if ((c.to_type(ScalarType.Float64) - 0.5 - expected).abs().max().item<double>() > 1e-4 * k) return false;
                }
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }
}
