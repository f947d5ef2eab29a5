using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OversightLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Training;

/// <summary>
/// The soft cross-entropy −mean(Σ y·log softmax(z)) of a stack of S models' batches and its
/// gradient, computed in one pass without autograd, for <see cref="Trainer.FitStack"/>. libtorch
/// runs a dozen ops for it (log_softmax, a product, two sums, a negation, and their backward), and
/// on a stack's [S, batch, classes] they cost tens of microseconds each: for 32 mlp-xs models the
/// loss took 70 µs forward alone, in a step of about 380.
/// <para>
/// It gives libtorch's bits, loss and gradient, not just its numbers: every exp and log is SLEEF's
/// (<see cref="SleefFloat"/>), and every sum adds in the order libtorch's CPU kernels add
/// (log_softmax's per-row folds, the sum kernel's interleaved partial sums over the classes and over
/// the batch, the mean's division, and log_softmax's backward as one fused multiply-add, as
/// libtorch's compiler contracted it). That order depends on the width of libtorch's vectors, so
/// the fused path is used only after it has matched libtorch bit for bit in this process, once per
/// number of classes (<see cref="Width"/>); otherwise, and off the CPU or for float64, training
/// goes through autograd and libtorch's ops.
/// </para>
/// <para>
/// Why not also as an autograd node for one model's training: TorchSharp's custom functions cost
/// tens of microseconds of managed bookkeeping per call, and with two threads such a node made an
/// mlp-xl step at batch 32 slower (medians of 6 alternating runs: about 1.97 against 1.64 ms), so a
/// single model keeps libtorch's ops (<see cref="Composed"/>).
/// </para>
/// </summary>
public static class FusedSoftCrossEntropy
{
    /// <summary>
    /// The widths, in floats, of libtorch's vectors in the two kernels whose order of addition we
    /// follow: softmax's row reductions (<see cref="Fold"/>) and the sum kernel (<see cref="CascadeSum"/>).
    /// They can differ: on our AMD EPYC build softmax adds with 16 (AVX-512) and the sum kernel with 8.
    /// </summary>
    public readonly record struct Widths(int Fold, int Sum);

    /// <summary>Per number of classes, the widths at which the fused path reproduced libtorch, or null.</summary>
    static readonly ConcurrentDictionary<int, Widths?> found = new();

    /// <summary>
    /// The loss of each model and the gradient of their sum with respect to the logits, computed
    /// directly, without autograd: the bits autograd gives for <c>Composed(logits, targets).sum().backward()</c>.
    /// Null where the fused path does not apply (<see cref="Applies"/>).
    /// </summary>
    public static (Tensor Loss, Tensor Gradient)? LossAndGradient(Tensor logits, Tensor targets)
    {
        if (!Applies(logits, targets)) return null;
        return Fused(logits, targets, Width((int)logits.size(-1))!.Value);
    }

    static (Tensor Loss, Tensor Gradient) Fused(Tensor logits, Tensor targets, Widths widths)
    {
        // Few tensor calls: at a stack's step each costs about as much as a thousand of the loss's elements.
        using var z = logits.detach().contiguous();
        using var y = targets.contiguous();
        var shape = CpuFloats.Shape(z);
        int rows = (int)shape[^2], classes = (int)shape[^1];
        var loss = empty(shape[..^2], dtype: ScalarType.Float32);
        var gradient = empty(shape, dtype: ScalarType.Float32);
        LossAndGradient(CpuFloats.Of(z), CpuFloats.Of(y), rows, classes, widths, CpuFloats.Of(loss), CpuFloats.Of(gradient));
        return (loss, gradient);
    }

    /// <summary>
    /// <see cref="LossAndGradient(Tensor, Tensor)"/> on spans, for models of <paramref name="rows"/> rows
    /// of <paramref name="classes"/> logits each (as many as <paramref name="loss"/> is long), at the
    /// <paramref name="widths"/> found for them (<see cref="Width"/>). Each model's numbers depend on its
    /// rows only, so one model at a time gives the same bits as a stack at once. Touches no tensor: any thread may call it.
    /// </summary>
    internal static void LossAndGradient(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, int rows, int classes, Widths widths, Span<float> loss, Span<float> gradient)
    {
        if (classes < widths.Fold && classes < widths.Sum)
        {
            ShortRows(logits, targets, rows, classes, widths, loss, gradient);
            return;
        }
        var logSoftmax = ArrayPool<float>.Shared.Rent(targets.Length);
        Forward(logits, targets, rows, classes, widths, logSoftmax, loss);
        Backward(logSoftmax.AsSpan(0, targets.Length), targets, rows, classes, widths, gradient);
        ArrayPool<float>.Shared.Return(logSoftmax);
    }

    /// <summary>The loss as libtorch's ops: the definition, and what the fused path must match.</summary>
    public static Tensor Composed(Tensor logits, Tensor targets) =>
        -(targets * logits.log_softmax(-1)).sum(-1).mean([-1]);

    /// <summary>Whether <see cref="LossAndGradient(Tensor, Tensor)"/> takes the fused path for these tensors.</summary>
    public static bool Applies(Tensor logits, Tensor targets)
    {
        if (!Enabled || !SleefFloat.Supported || logits.dim() is not (2 or 3) || !CpuFloat(logits) || !CpuFloat(targets) || targets.requires_grad) return false;
        var shape = CpuFloats.Shape(logits);
        return shape.SequenceEqual(CpuFloats.Shape(targets)) && shape[^2] is > 0 and < SerialRows && shape[^1] > 0 && Width((int)shape[^1]) is not null;
    }

    /// <summary>
    /// Batch sizes from which libtorch may split one model's sum over the batch across threads (its
    /// grain size, 32768 elements), adding in another order: those batches keep libtorch's ops.
    /// </summary>
    const long SerialRows = 32768;

    /// <summary>Whether logits shaped, typed and placed like <paramref name="targets"/> would take the fused path.</summary>
    public static bool AppliesLike(Tensor targets) => Applies(targets, targets);

    /// <summary>False: never the fused path, so FitStack trains through autograd (tests compare the two).</summary>
    public static bool Enabled { get; set; } = true;

    static bool CpuFloat(Tensor t) => t.device_type == DeviceType.CPU && t.dtype == ScalarType.Float32;

    /// <summary>
    /// The widths of libtorch's float vectors as its kernels add (8 with AVX2, 16 with AVX-512 — the
    /// build's and its dispatcher's choice per kernel, not only the processor's), found by trying each
    /// pair against libtorch for <paramref name="classes"/> classes once per process; null where none
    /// gives its bits, and the loss stays libtorch's ops.
    /// </summary>
    public static Widths? Width(int classes) => found.GetOrAdd(classes, c =>
        !SleefFloat.Supported ? null
        : new Widths[] { new(16, 8), new(8, 8), new(16, 16), new(8, 16) }.Select(w => (Widths?)w).FirstOrDefault(w => Reproduces(c, w!.Value)));

    /// <summary>
    /// Whether the fused path, adding with vectors of these <paramref name="widths"/>, gives libtorch's
    /// loss and gradient bit for bit: batches of 5, 37, 130 and 1100 rows (below, between and above the
    /// widths' thresholds, and long enough for the sum kernel's carries), alone and stacked, logits of
    /// every scale, and rows at exp's underflow.
    /// </summary>
    static bool Reproduces(int classes, Widths widths)
    {
        using var scope = NewDisposeScope();
        using var grad = enable_grad();   // the first call may come from inside no_grad
        using var generator = new Generator(20261128);
        foreach (long[] shape in new[] { new long[] { 5, classes }, [37, classes], [3, 130, classes], [2, 37, classes], [1100, classes] })
        {
            var logits = randn(shape, generator: generator) * exp(randn(shape[..^1], generator: generator) * 2).unsqueeze(-1);
            if (shape[^2] == 130) Extremes(logits);
            var targets = rand(shape, generator: generator).softmax(-1);
            if (!Same(logits, targets, widths)) return false;
        }
        return true;
    }

    /// <summary>Sets the first rows of a stack of 130-row batches to one logit d and zeros: exp(d) near and below its underflow, and signed zeros.</summary>
    static void Extremes(Tensor logits)
    {
        var rows = logits.view(-1, logits.shape[^1]);
        long row = 0;
        foreach (float d in new[] { -80f, -88f, -95f, -103.9f, -104f, -110f, -1e30f, -0f, 0f })
        {
            rows[row].fill_(0f);
            rows[row++][0] = d;
        }
    }

    /// <summary>Whether the fused loss and its gradient equal libtorch's, bit for bit.</summary>
    static bool Same(Tensor logits, Tensor targets, Widths widths)
    {
        var z = logits.detach().requires_grad_(true);
        var composed = Composed(z, targets);
        composed.sum().backward();
        var (loss, gradient) = Fused(logits, targets, widths);
        return Bits(composed).SequenceEqual(Bits(loss)) && Bits(z.grad!).SequenceEqual(Bits(gradient));
    }

    static int[] Bits(Tensor t) => t.detach().contiguous().data<float>().Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>
    /// Each model's loss and log softmax: per row the maximum, exp(z − max) summed as libtorch's
    /// vector reduction sums it, its log, and (z − max) − log; then y·log softmax summed over the
    /// classes and over the batch as libtorch's sum kernel adds, divided by the batch size, negated.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Forward(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, int rows, int classes, Widths widths, Span<float> logSoftmax, Span<float> loss)
    {
        int total = logits.Length, allRows = total / classes;
        var pool = ArrayPool<float>.Shared;
        float[] exps = pool.Rent(total), sums = pool.Rent(allRows), products = pool.Rent(rows), product = pool.Rent(classes);
        for (int r = 0; r < allRows; r++)
        {
            var z = logits.Slice(r * classes, classes);
            float max = z[0];
            for (int j = 1; j < classes; j++) max = Maximum(max, z[j]);
            for (int j = 0; j < classes; j++) logSoftmax[r * classes + j] = z[j] - max;
        }
        CpuFloats.Map(logSoftmax[..total], exps, SleefFloat.Exp);
        for (int r = 0; r < allRows; r++) sums[r] = Fold(exps.AsSpan(r * classes, classes), widths.Fold);
        CpuFloats.Map(sums.AsSpan(0, allRows), sums, widths.Fold == 16 ? static x => SleefFloat.Log(x, avx512: true) : static x => SleefFloat.Log(x, avx512: false));
        for (int s = 0; s < loss.Length; s++)
        {
            for (int i = 0; i < rows; i++)
            {
                int r = s * rows + i;
                for (int j = 0; j < classes; j++)
                {
                    ref float value = ref logSoftmax[r * classes + j];
                    value -= sums[r];
                    product[j] = targets[r * classes + j] * value;
                }
                products[i] = CascadeSum(product.AsSpan(0, classes), widths.Sum);
            }
            loss[s] = -(CascadeSum(products.AsSpan(0, rows), widths.Sum) / rows);
        }
        pool.Return(exps);
        pool.Return(sums);
        pool.Return(products);
        pool.Return(product);
    }

    /// <summary>
    /// The gradient of the sum of the models' losses with respect to the logits: g = −1/batch, times y, then log
    /// softmax's backward, g − exp(log softmax)·Σg in one fused multiply-add (as libtorch's compiler
    /// contracted it), Σg summed as libtorch's vector reduction sums it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Backward(ReadOnlySpan<float> logSoftmax, ReadOnlySpan<float> targets, int rows, int classes, Widths widths, Span<float> gradient)
    {
        int total = logSoftmax.Length;
        var exps = ArrayPool<float>.Shared.Rent(total);
        CpuFloats.Map(logSoftmax, exps, SleefFloat.Exp);
        float g = -1f / rows;   // each model's loss is a mean over its batch
        for (int at = 0; at < total; at += classes)
        {
            var upstream = gradient.Slice(at, classes);
            var row = targets.Slice(at, classes);
            for (int j = 0; j < classes; j++) upstream[j] = g * row[j];
            float sum = Fold(upstream, widths.Fold);
            var e = exps.AsSpan(at, classes);
            for (int j = 0; j < classes; j++) upstream[j] = MathF.FusedMultiplyAdd(-e[j], sum, upstream[j]);
        }
        ArrayPool<float>.Shared.Return(exps);
    }

    /// <summary>
    /// <see cref="Forward"/> then <see cref="Backward"/> for rows shorter than both vector widths (a
    /// two-class task's): each row's arithmetic is then a fixed sequence — its fold and its sum over
    /// the classes are plain left-to-right additions — so eight rows run side by side in vectors, the
    /// same operations per lane, on a copy of the logits laid out class by class. One row at a time
    /// they took about 20 ns a row: for 32 mlp-s models at batch 32 the whole call took 20–23 µs of a
    /// 520 µs step, and 13–17 µs this way (microbenchmark).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ShortRows(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, int rows, int classes, Widths widths, Span<float> loss, Span<float> gradient)
    {
        const int V = 8;   // Vector256<float>.Count: rows per vector
        int allRows = logits.Length / classes, padded = (allRows + V - 1) / V * V;
        var pool = ArrayPool<float>.Shared;
        // Class j of row r at [j·padded + r]: z becomes the log softmax in place, y the targets; the
        // padding rows compute garbage that is never read.
        float[] z = pool.Rent(classes * padded), y = pool.Rent(classes * padded), products = pool.Rent(padded);
        ByClass(logits, classes, allRows, padded, z);
        ByClass(targets, classes, allRows, padded, y);
        bool avx512 = widths.Fold == 16;
        var g = Vector256.Create(-1f / rows);
        for (int r = 0; r < padded; r += V)
        {
            var max = Vector256.Create(z, r);
            for (int j = 1; j < classes; j++) max = Maximum(max, Vector256.Create(z, j * padded + r));
            Vector256<float> sum = default;
            for (int j = 0; j < classes; j++)
            {
                var shifted = Vector256.Create(z, j * padded + r) - max;
                shifted.CopyTo(z, j * padded + r);
                var e = SleefFloat.Exp(shifted);
                sum = j == 0 ? e : sum + e;
            }
            var log = SleefFloat.Log(sum, avx512);
            // Σ y·log softmax as ShortRowSum adds: four running sums from zero, then added in order.
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int j = 0; j < classes; j++)
            {
                var value = Vector256.Create(z, j * padded + r) - log;
                value.CopyTo(z, j * padded + r);
                var product = Vector256.Create(y, j * padded + r) * value;
                if (j >= classes / 4 * 4 || j % 4 == 0) a0 += product;
                else if (j % 4 == 1) a1 += product;
                else if (j % 4 == 2) a2 += product;
                else a3 += product;
            }
            (Vector256<float>.Zero + (a0 + a1 + a2 + a3)).CopyTo(products, r);
            // The gradient: g·y, its fold, then g·y − exp(log softmax)·fold in one fused multiply-add.
            Vector256<float> fold = default;
            for (int j = 0; j < classes; j++)
            {
                var upstream = g * Vector256.Create(y, j * padded + r);
                fold = j == 0 ? upstream : fold + upstream;
            }
            for (int j = 0; j < classes; j++)
            {
                var e = SleefFloat.Exp(Vector256.Create(z, j * padded + r));
                Fma.MultiplyAdd(-e, fold, g * Vector256.Create(y, j * padded + r)).CopyTo(y, j * padded + r);
            }
        }
        for (int s = 0; s < loss.Length; s++) loss[s] = -(CascadeSum(products.AsSpan(s * rows, rows), widths.Sum) / rows);
        ByRow(y, classes, allRows, padded, gradient);
        pool.Return(z);
        pool.Return(y);
        pool.Return(products);
    }

    /// <summary>
    /// Row-major <paramref name="rows"/> × <paramref name="classes"/> into class-major: class j of row r
    /// at [j·padded + r], the padding zeroed. Two classes de-interleave eight rows at a time in registers.
    /// </summary>
    static void ByClass(ReadOnlySpan<float> x, int classes, int rows, int padded, Span<float> result)
    {
        int r = 0;
        if (classes == 2)
            for (; r + 8 <= rows; r += 8)
            {
                Vector256<float> a = Vector256.Create(x.Slice(2 * r, 8)), b = Vector256.Create(x.Slice(2 * r + 8, 8));
                // Even floats are class 0: [a0 a2 b0 b2 | a4 a6 b4 b6], then the 64-bit pairs in order.
                Avx2.Permute4x64(Avx.Shuffle(a, b, 0x88).AsDouble(), 0xD8).AsSingle().CopyTo(result.Slice(r, 8));
                Avx2.Permute4x64(Avx.Shuffle(a, b, 0xDD).AsDouble(), 0xD8).AsSingle().CopyTo(result.Slice(padded + r, 8));
            }
        for (int j = 0; j < classes; j++)
        {
            for (int i = r; i < rows; i++) result[j * padded + i] = x[i * classes + j];
            result.Slice(j * padded + rows, padded - rows).Clear();
        }
    }

    /// <summary><see cref="ByClass"/> undone: the first <paramref name="rows"/> rows back to row-major.</summary>
    static void ByRow(ReadOnlySpan<float> x, int classes, int rows, int padded, Span<float> result)
    {
        int r = 0;
        if (classes == 2)
            for (; r + 8 <= rows; r += 8)
            {
                Vector256<float> first = Vector256.Create(x.Slice(r, 8)), second = Vector256.Create(x.Slice(padded + r, 8));
                Vector256<float> low = Avx.UnpackLow(first, second), high = Avx.UnpackHigh(first, second);
                Avx.Permute2x128(low, high, 0x20).CopyTo(result.Slice(2 * r, 8));
                Avx.Permute2x128(low, high, 0x31).CopyTo(result.Slice(2 * r + 8, 8));
            }
        for (int j = 0; j < classes; j++)
            for (int i = r; i < rows; i++) result[i * classes + j] = x[j * padded + i];
    }

    /// <summary><see cref="Maximum(float, float)"/> lane by lane: maxps is maxss's a &gt; b ? a : b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Maximum(Vector256<float> a, Vector256<float> b) =>
        Vector256.ConditionalSelect(Avx.Compare(a, b, FloatComparisonMode.UnorderedNonSignaling), Vector256.Create(float.NaN), Avx.Max(a, b));

    /// <summary>
    /// A row's sum as libtorch's <c>vec::reduce_all</c> adds it with <paramref name="lanes"/>-wide
    /// vectors: a row shorter than a vector left to right; a longer one lane-wise over its full
    /// vectors, the remainder into the first lanes, then the lanes pairwise, halves first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]   // called per row: most rows are shorter than a vector
    static float Fold(ReadOnlySpan<float> row, int lanes)
    {
        if (row.Length >= lanes) return FoldVectors(row, lanes);
        float sum = row[0];
        for (int j = 1; j < row.Length; j++) sum += row[j];
        return sum;
    }

    /// <summary><see cref="Fold"/> of a row of at least one vector.</summary>
    static float FoldVectors(ReadOnlySpan<float> row, int lanes)
    {
        Span<float> acc = stackalloc float[lanes];
        row[..lanes].CopyTo(acc);
        int d = lanes;
        for (; d + lanes <= row.Length; d += lanes)
            for (int l = 0; l < lanes; l++) acc[l] += row[d + l];
        for (int l = 0; d + l < row.Length; l++) acc[l] += row[d + l];
        for (int half = lanes / 2; half >= 1; half /= 2)
            for (int l = 0; l < half; l++) acc[l] += acc[l + half];
        return acc[0];
    }

    /// <summary>libtorch's vector maximum: NaN if either is NaN, else the larger.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float Maximum(float a, float b)
    {
        if (!Sse.IsSupported) return float.IsNaN(a) || float.IsNaN(b) ? float.NaN : a > b ? a : b;
        // Without branches: which logit is larger is a coin toss per row, and a mispredicted branch cost more than the rest of the row.
        Vector128<float> x = Vector128.CreateScalarUnsafe(a), y = Vector128.CreateScalarUnsafe(b);
        return Vector128.ConditionalSelect(Sse.CompareScalarUnordered(x, y), Vector128.Create(float.NaN), Sse.MaxScalar(x, y)).ToScalar();   // maxss: a > b ? a : b
    }

    /// <summary>
    /// A contiguous row summed as libtorch's float sum kernel (SumKernel.cpp, cascade_sum) sums it
    /// with <paramref name="lanes"/>-wide vectors: a row of at least one vector as lane-wise partial
    /// sums (the leftover elements first, then the lanes in order), a shorter one element by element;
    /// both through row_sum's four interleaved accumulators, and added into a zeroed output.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]   // called per row: most rows are shorter than a vector
    internal static float CascadeSum(ReadOnlySpan<float> row, int lanes) => row.Length < lanes ? 0f + ShortRowSum(row) : CascadeSumVectors(row, lanes);

    /// <summary><see cref="CascadeSum"/> of a row of at least one vector.</summary>
    static float CascadeSumVectors(ReadOnlySpan<float> row, int lanes)
    {
        int vectors = row.Length / lanes;
        Span<float> scratch = stackalloc float[Accumulators * lanes];
        var partial = RowSum(row, vectors, lanes, scratch);
        float total = 0f;
        for (int k = vectors * lanes; k < row.Length; k++) total += row[k];
        for (int l = 0; l < lanes; l++) total += partial[l];
        return 0f + total;
    }

    /// <summary>
    /// <see cref="RowSum"/> of single elements for a row shorter than 64 (fewer than 16 rows of four,
    /// so no level carries): four running sums, the leftovers into the first, then the other three.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float ShortRowSum(ReadOnlySpan<float> x)
    {
        float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f;
        int i = 0;
        for (; i + 4 <= x.Length; i += 4)
        {
            a0 += x[i];
            a1 += x[i + 1];
            a2 += x[i + 2];
            a3 += x[i + 3];
        }
        for (; i < x.Length; i++) a0 += x[i];
        return a0 + a1 + a2 + a3;
    }

    /// <summary>row_sum's columns (four) times multi_row_sum's levels (four): accumulators per lane.</summary>
    const int Columns = 4, Levels = 4, Accumulators = Columns * Levels;

    /// <summary>
    /// row_sum: <paramref name="items"/> items of <paramref name="width"/> lanes read as rows of four
    /// and summed column-wise (multi_row_sum), the leftover items added to column 0, then columns 1–3
    /// added to it. Returns column 0 (<paramref name="width"/> lanes) inside <paramref name="scratch"/>.
    /// </summary>
    static Span<float> RowSum(ReadOnlySpan<float> x, int items, int width, Span<float> scratch)
    {
        int rows = items / Columns;
        var acc = MultiRowSum(x, rows, Columns * width, width, scratch);
        for (int i = rows * Columns; i < items; i++)
            for (int l = 0; l < width; l++) acc[l] += x[i * width + l];
        for (int k = 1; k < Columns; k++)
            for (int l = 0; l < width; l++) acc[l] += acc[k * width + l];
        return acc[..width];
    }

    /// <summary>
    /// multi_row_sum: four column sums over <paramref name="size"/> rows, each running sum carried
    /// into the next of four levels every 2^levelPower rows (so long rows add numbers of like size),
    /// then the levels added into level 0, which is returned (four columns of width lanes).
    /// </summary>
    static Span<float> MultiRowSum(ReadOnlySpan<float> x, int size, int rowStride, int width, Span<float> acc)
    {
        int block = Columns * width;   // one level
        acc[..(Levels * block)].Clear();
        int levelPower = Math.Max(4, CeilLog2(size) / Levels);
        int step = 1 << levelPower, mask = step - 1;
        int i = 0;
        while (i + step <= size)
        {
            for (int j = 0; j < step; j++, i++) Add(acc[..block], x.Slice(i * rowStride, block));
            for (int j = 1; j < Levels; j++)
            {
                var lower = acc.Slice((j - 1) * block, block);
                Add(acc.Slice(j * block, block), lower);
                lower.Clear();
                if ((i & (mask << (j * levelPower))) != 0) break;
            }
        }
        for (; i < size; i++) Add(acc[..block], x.Slice(i * rowStride, block));
        for (int j = 1; j < Levels; j++) Add(acc[..block], acc.Slice(j * block, block));
        return acc[..block];
    }

    /// <summary>sum[k] += x[k], element by element (eight at a time: the same additions).</summary>
    static void Add(Span<float> sum, ReadOnlySpan<float> x)
    {
        int k = 0;
        for (; k + Vector256<float>.Count <= sum.Length; k += Vector256<float>.Count)
            (Vector256.Create(sum.Slice(k, Vector256<float>.Count)) + Vector256.Create(x.Slice(k, Vector256<float>.Count))).CopyTo(sum.Slice(k));
        for (; k < sum.Length; k++) sum[k] += x[k];
    }

    /// <summary>ATen's CeilLog2: 1 up to 2, else ⌈log₂ x⌉.</summary>
    static int CeilLog2(int x) => x <= 2 ? 1 : 32 - int.LeadingZeroCount(x - 1);
}
