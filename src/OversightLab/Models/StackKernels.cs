using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OversightLab.Models;

/// <summary>
/// The matrix products of a stack of small models, on the calling thread, vectorised over the
/// contiguous dimension. At the widths of the ladder's small rungs (7×7 pixels → 16 units) one
/// model's layer is a few thousand multiply-adds: libtorch's batched product runs them at about an
/// eighth of its sgemm rate and each of its calls costs microseconds, where these loops keep a 4 × 16
/// block of the result in registers. Every element is summed in index order with fused
/// multiply-adds, so a model's numbers depend only on its own data, never on its neighbours.
/// </summary>
public static class StackKernels
{
    const int W = 8;   // Vector256<float>.Count

    /// <summary>
    /// C (m × n, row-major) = A·B, or C += A·B when <paramref name="accumulate"/>: element (i, t) of A
    /// is <c>a[i·aRow + t·aCol]</c>, so A may be read transposed; B is k × n, row-major.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // vector code is slow until tiered up
    public static void Gemm(int m, int n, int k, ReadOnlySpan<float> a, int aRow, int aCol, ReadOnlySpan<float> b, Span<float> c, bool accumulate)
    {
        if (a.Length < (m - 1L) * aRow + (k - 1L) * aCol + 1 || b.Length < (long)k * n || c.Length < (long)m * n)
            throw new ArgumentException("a matrix is shorter than its shape");
        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rb = ref MemoryMarshal.GetReference(b);
        ref float rc = ref MemoryMarshal.GetReference(c);
        int j = 0;
        for (; j + 2 * W <= n; j += 2 * W)
        {
            int i = 0;
            for (; i + 4 <= m; i += 4) Block4x16(ref ra, aRow, aCol, ref rb, ref rc, n, k, i, j, accumulate);
            for (; i < m; i++) Block1x16(ref ra, aRow, aCol, ref rb, ref rc, n, k, i, j, accumulate);
        }
        for (; j + W <= n; j += W)
            for (int i = 0; i < m; i++)
            {
                var sum = accumulate ? Vector256.LoadUnsafe(ref rc, (nuint)(i * n + j)) : Vector256<float>.Zero;
                for (int t = 0; t < k; t++)
                    sum = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref ra, i * aRow + t * aCol)), Vector256.LoadUnsafe(ref rb, (nuint)(t * n + j)), sum);
                sum.StoreUnsafe(ref rc, (nuint)(i * n + j));
            }
        for (; j < n; j++)
            for (int i = 0; i < m; i++)
            {
                float sum = accumulate ? Unsafe.Add(ref rc, i * n + j) : 0f;
                for (int t = 0; t < k; t++) sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref ra, i * aRow + t * aCol), Unsafe.Add(ref rb, t * n + j), sum);
                Unsafe.Add(ref rc, i * n + j) = sum;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Block4x16(ref float ra, int aRow, int aCol, ref float rb, ref float rc, int n, int k, int i, int j, bool accumulate)
    {
        nuint c0 = (nuint)(i * n + j), c1 = c0 + (nuint)n, c2 = c1 + (nuint)n, c3 = c2 + (nuint)n;
        Vector256<float> s00, s01, s10, s11, s20, s21, s30, s31;
        if (accumulate)
        {
            s00 = Vector256.LoadUnsafe(ref rc, c0); s01 = Vector256.LoadUnsafe(ref rc, c0 + W);
            s10 = Vector256.LoadUnsafe(ref rc, c1); s11 = Vector256.LoadUnsafe(ref rc, c1 + W);
            s20 = Vector256.LoadUnsafe(ref rc, c2); s21 = Vector256.LoadUnsafe(ref rc, c2 + W);
            s30 = Vector256.LoadUnsafe(ref rc, c3); s31 = Vector256.LoadUnsafe(ref rc, c3 + W);
        }
        else s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = Vector256<float>.Zero;
        ref float a0 = ref Unsafe.Add(ref ra, i * aRow);
        ref float a1 = ref Unsafe.Add(ref a0, aRow);
        ref float a2 = ref Unsafe.Add(ref a1, aRow);
        ref float a3 = ref Unsafe.Add(ref a2, aRow);
        for (int t = 0; t < k; t++)
        {
            nuint at = (nuint)(t * n + j);
            var b0 = Vector256.LoadUnsafe(ref rb, at);
            var b1 = Vector256.LoadUnsafe(ref rb, at + W);
            int ta = t * aCol;
            var x = Vector256.Create(Unsafe.Add(ref a0, ta));
            s00 = Vector256.FusedMultiplyAdd(x, b0, s00); s01 = Vector256.FusedMultiplyAdd(x, b1, s01);
            x = Vector256.Create(Unsafe.Add(ref a1, ta));
            s10 = Vector256.FusedMultiplyAdd(x, b0, s10); s11 = Vector256.FusedMultiplyAdd(x, b1, s11);
            x = Vector256.Create(Unsafe.Add(ref a2, ta));
            s20 = Vector256.FusedMultiplyAdd(x, b0, s20); s21 = Vector256.FusedMultiplyAdd(x, b1, s21);
            x = Vector256.Create(Unsafe.Add(ref a3, ta));
            s30 = Vector256.FusedMultiplyAdd(x, b0, s30); s31 = Vector256.FusedMultiplyAdd(x, b1, s31);
        }
        s00.StoreUnsafe(ref rc, c0); s01.StoreUnsafe(ref rc, c0 + W);
        s10.StoreUnsafe(ref rc, c1); s11.StoreUnsafe(ref rc, c1 + W);
        s20.StoreUnsafe(ref rc, c2); s21.StoreUnsafe(ref rc, c2 + W);
        s30.StoreUnsafe(ref rc, c3); s31.StoreUnsafe(ref rc, c3 + W);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Block1x16(ref float ra, int aRow, int aCol, ref float rb, ref float rc, int n, int k, int i, int j, bool accumulate)
    {
        nuint c0 = (nuint)(i * n + j);
        var s0 = accumulate ? Vector256.LoadUnsafe(ref rc, c0) : Vector256<float>.Zero;
        var s1 = accumulate ? Vector256.LoadUnsafe(ref rc, c0 + W) : Vector256<float>.Zero;
        ref float a0 = ref Unsafe.Add(ref ra, i * aRow);
        for (int t = 0; t < k; t++)
        {
            nuint at = (nuint)(t * n + j);
            var x = Vector256.Create(Unsafe.Add(ref a0, t * aCol));
            s0 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref rb, at), s0);
            s1 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref rb, at + W), s1);
        }
        s0.StoreUnsafe(ref rc, c0);
        s1.StoreUnsafe(ref rc, c0 + W);
    }

    /// <summary>
    /// C (m × n) = A·Bᵀ for A (m × k) and B (n × k), both row-major: each element a dot product of two
    /// contiguous rows. For a narrow result (a two-class head), where <see cref="Gemm"/> could not
    /// vectorise over n.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GemmTransposed(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        if (a.Length < (long)m * k || b.Length < (long)n * k || c.Length < (long)m * n) throw new ArgumentException("a matrix is shorter than its shape");
        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rb = ref MemoryMarshal.GetReference(b);
        ref float rc = ref MemoryMarshal.GetReference(c);
        int i = 0;
        // Two rows at a time: two independent chains of the same arithmetic keep the core busy where one waits on its own sums.
        for (; i + 2 <= m; i += 2)
            for (int j = 0; j < n; j++)
            {
                ref float y = ref Unsafe.Add(ref rb, j * k);
                var (first, second) = Dot2(ref Unsafe.Add(ref ra, i * k), ref Unsafe.Add(ref ra, (i + 1) * k), ref y, k);
                Unsafe.Add(ref rc, i * n + j) = first;
                Unsafe.Add(ref rc, (i + 1) * n + j) = second;
            }
        for (; i < m; i++)
            for (int j = 0; j < n; j++)
                Unsafe.Add(ref rc, i * n + j) = Dot(ref Unsafe.Add(ref ra, i * k), ref Unsafe.Add(ref rb, j * k), k);
    }

    /// <summary>
    /// A dot product of two contiguous rows of length <paramref name="k"/>: even and odd vectors of
    /// eight into two sums, a last whole vector into the first, the two added and reduced, then the
    /// leftover elements one fused multiply-add at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float Dot(ref float x, ref float y, int k)
    {
        var s0 = Vector256<float>.Zero;
        var s1 = Vector256<float>.Zero;
        int t = 0;
        for (; t + 2 * W <= k; t += 2 * W)
        {
            s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)t), Vector256.LoadUnsafe(ref y, (nuint)t), s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)(t + W)), Vector256.LoadUnsafe(ref y, (nuint)(t + W)), s1);
        }
        if (t + W <= k)
        {
            s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)t), Vector256.LoadUnsafe(ref y, (nuint)t), s0);
            t += W;
        }
        float sum = Vector256.Sum(s0 + s1);
        for (; t < k; t++) sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref x, t), Unsafe.Add(ref y, t), sum);
        return sum;
    }

    /// <summary><see cref="Dot"/> of rows <paramref name="x0"/> and <paramref name="x1"/> with <paramref name="y"/>, side by side: each the same operations in the same order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static (float, float) Dot2(ref float x0, ref float x1, ref float y, int k)
    {
        Vector256<float> s00 = Vector256<float>.Zero, s01 = Vector256<float>.Zero, s10 = Vector256<float>.Zero, s11 = Vector256<float>.Zero;
        int t = 0;
        for (; t + 2 * W <= k; t += 2 * W)
        {
            Vector256<float> y0 = Vector256.LoadUnsafe(ref y, (nuint)t), y1 = Vector256.LoadUnsafe(ref y, (nuint)(t + W));
            s00 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x0, (nuint)t), y0, s00);
            s01 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x0, (nuint)(t + W)), y1, s01);
            s10 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x1, (nuint)t), y0, s10);
            s11 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x1, (nuint)(t + W)), y1, s11);
        }
        if (t + W <= k)
        {
            var y0 = Vector256.LoadUnsafe(ref y, (nuint)t);
            s00 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x0, (nuint)t), y0, s00);
            s10 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x1, (nuint)t), y0, s10);
            t += W;
        }
        float sum0 = Vector256.Sum(s00 + s01), sum1 = Vector256.Sum(s10 + s11);
        for (; t < k; t++)
        {
            float yt = Unsafe.Add(ref y, t);
            sum0 = MathF.FusedMultiplyAdd(Unsafe.Add(ref x0, t), yt, sum0);
            sum1 = MathF.FusedMultiplyAdd(Unsafe.Add(ref x1, t), yt, sum1);
        }
        return (sum0, sum1);
    }

    /// <summary>
    /// The transpose of a row-major rows × cols matrix, into <paramref name="result"/> (cols × rows):
    /// 8 × 8 blocks in registers, the edges element by element. Element by element throughout, a
    /// 64 × 32 layer's weights took 2 µs (its strided stores), as long as the product they feed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose(int rows, int cols, ReadOnlySpan<float> matrix, Span<float> result)
    {
        if (matrix.Length < rows * cols || result.Length < rows * cols) throw new ArgumentException("a matrix is shorter than its shape");
        ref float from = ref MemoryMarshal.GetReference(matrix);
        ref float to = ref MemoryMarshal.GetReference(result);
        int blockRows = Avx.IsSupported ? rows / W * W : 0, blockCols = Avx.IsSupported ? cols / W * W : 0;
        for (int r = 0; r < blockRows; r += W)
            for (int c = 0; c < blockCols; c += W)
                Transpose8x8(ref Unsafe.Add(ref from, r * cols + c), cols, ref Unsafe.Add(ref to, c * rows + r), rows);
        for (int r = 0; r < rows; r++)
            for (int c = r < blockRows ? blockCols : 0; c < cols; c++)
                Unsafe.Add(ref to, c * rows + r) = Unsafe.Add(ref from, r * cols + c);
    }

    /// <summary>An 8 × 8 block's transpose: pairs of rows interleaved, then pairs of pairs, then the 128-bit halves swapped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Transpose8x8(ref float from, int fromStride, ref float to, int toStride)
    {
        var r0 = Vector256.LoadUnsafe(ref from);
        var r1 = Vector256.LoadUnsafe(ref from, (nuint)fromStride);
        var r2 = Vector256.LoadUnsafe(ref from, (nuint)(2 * fromStride));
        var r3 = Vector256.LoadUnsafe(ref from, (nuint)(3 * fromStride));
        var r4 = Vector256.LoadUnsafe(ref from, (nuint)(4 * fromStride));
        var r5 = Vector256.LoadUnsafe(ref from, (nuint)(5 * fromStride));
        var r6 = Vector256.LoadUnsafe(ref from, (nuint)(6 * fromStride));
        var r7 = Vector256.LoadUnsafe(ref from, (nuint)(7 * fromStride));
        // t0 = a0 b0 a1 b1 | a4 b4 a5 b5, t1 = a2 b2 a3 b3 | a6 b6 a7 b7, …
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        // u0 = a0 b0 c0 d0 | a4 b4 c4 d4, u1 = a1 b1 c1 d1 | a5 b5 c5 d5, …
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref to);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref to, (nuint)toStride);
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref to, (nuint)(2 * toStride));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref to, (nuint)(3 * toStride));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref to, (nuint)(4 * toStride));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref to, (nuint)(5 * toStride));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref to, (nuint)(6 * toStride));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref to, (nuint)(7 * toStride));
    }

    /// <summary>Adds <paramref name="bias"/> to every row of <paramref name="x"/> (rows × bias.Length), then applies ReLU when <paramref name="relu"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BiasRelu(Span<float> x, ReadOnlySpan<float> bias, bool relu)
    {
        int n = bias.Length, rows = x.Length / n;
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float rb = ref MemoryMarshal.GetReference(bias);
        var floor = relu ? Vector256<float>.Zero : Vector256.Create(float.NegativeInfinity);
        for (int r = 0; r < rows; r++)
        {
            ref float row = ref Unsafe.Add(ref rx, r * n);
            int j = 0;
            for (; j + W <= n; j += W)
                Vector256.Max(Vector256.LoadUnsafe(ref row, (nuint)j) + Vector256.LoadUnsafe(ref rb, (nuint)j), floor).StoreUnsafe(ref row, (nuint)j);
            for (; j < n; j++)
            {
                float v = Unsafe.Add(ref row, j) + Unsafe.Add(ref rb, j);
                Unsafe.Add(ref row, j) = relu ? MathF.Max(v, 0f) : v;
            }
        }
    }

    /// <summary>Writes the sums of the rows of <paramref name="x"/> (rows × sum.Length) into <paramref name="sum"/>, adding in row order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ColumnSums(ReadOnlySpan<float> x, Span<float> sum)
    {
        int n = sum.Length, rows = x.Length / n;
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float rs = ref MemoryMarshal.GetReference(sum);
        int j = 0;
        for (; j + W <= n; j += W)
        {
            var total = Vector256<float>.Zero;
            for (int r = 0; r < rows; r++) total += Vector256.LoadUnsafe(ref rx, (nuint)(r * n + j));
            total.StoreUnsafe(ref rs, (nuint)j);
        }
        for (; j < n; j++)
        {
            float total = 0f;
            for (int r = 0; r < rows; r++) total += Unsafe.Add(ref rx, r * n + j);
            Unsafe.Add(ref rs, j) = total;
        }
    }

    /// <summary>Zeroes each gradient whose activation is not positive: ReLU's backward, in place, from its output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluMask(Span<float> gradient, ReadOnlySpan<float> activation)
    {
        if (activation.Length < gradient.Length) throw new ArgumentException("fewer activations than gradients");
        ref float g = ref MemoryMarshal.GetReference(gradient);
        ref float a = ref MemoryMarshal.GetReference(activation);
        int i = 0;
        for (; i + W <= gradient.Length; i += W)
            (Vector256.LoadUnsafe(ref g, (nuint)i) & Vector256.GreaterThan(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256<float>.Zero)).StoreUnsafe(ref g, (nuint)i);
        for (; i < gradient.Length; i++)
            if (!(Unsafe.Add(ref a, i) > 0f)) Unsafe.Add(ref g, i) = 0f;
    }
}
