using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Models;

/// <summary>
/// A CPU float32 tensor's memory as a span, for the loops that replace many small tensor ops with
/// one pass over memory (the fused Adam, the stack's kernels).
/// </summary>
internal static class CpuFloats
{
    /// <summary>Whether <paramref name="t"/> is a contiguous float32 tensor on the CPU, whose memory <see cref="Of"/> may read.</summary>
    public static bool Holds(Tensor t) => t.device_type == DeviceType.CPU && t.dtype == ScalarType.Float32 && t.is_contiguous();

    /// <summary>The elements of a contiguous CPU float32 tensor, in place (writes change the tensor).</summary>
    public static Span<float> Of(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    /// <summary>
    /// A tensor's sizes, as <c>t.shape</c> gives them, from one <c>size(d)</c> call per dimension:
    /// TorchSharp fills <c>shape</c> through a callback from native code, 0.8–1.9 µs a read here,
    /// where <c>size(d)</c> is a plain call (15–25 ns); a stacked step read shapes about six times.
    /// </summary>
    public static long[] Shape(Tensor t)
    {
        var sizes = new long[t.dim()];
        for (int d = 0; d < sizes.Length; d++) sizes[d] = t.size(d);
        return sizes;
    }

    /// <summary>The first element of a contiguous CPU float32 tensor (libtorch's memory: it does not move).</summary>
    public static unsafe float* Pointer(Tensor t) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(Of(t)));

    /// <summary>
    /// y[i] ← f(x)[i] for a function of eight lanes, a vector at a time; the last partial vector is
    /// padded with zeros (in place is allowed). For the reproduced MKL and SLEEF functions.
    /// </summary>
    public static void Map(ReadOnlySpan<float> x, Span<float> y, Func<Vector256<float>, Vector256<float>> f)
    {
        if (y.Length < x.Length) throw new ArgumentException("the output is shorter than the input", nameof(y));
        int i = 0;
        for (; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
            f(Vector256.Create(x.Slice(i, Vector256<float>.Count))).CopyTo(y[i..]);
        if (i == x.Length) return;
        Span<float> tail = stackalloc float[Vector256<float>.Count];
        tail.Clear();
        x[i..].CopyTo(tail);
        f(Vector256.Create(tail)).CopyTo(tail);
        tail[..(x.Length - i)].CopyTo(y[i..]);
    }

    /// <summary><see cref="Map(ReadOnlySpan{float}, Span{float}, Func{Vector256{float}, Vector256{float}})"/> for a function of sixteen lanes.</summary>
    public static void Map(ReadOnlySpan<float> x, Span<float> y, Func<Vector512<float>, Vector512<float>> f)
    {
        if (y.Length < x.Length) throw new ArgumentException("the output is shorter than the input", nameof(y));
        int i = 0;
        for (; i + Vector512<float>.Count <= x.Length; i += Vector512<float>.Count)
            f(Vector512.Create(x.Slice(i, Vector512<float>.Count))).CopyTo(y[i..]);
        if (i == x.Length) return;
        Span<float> tail = stackalloc float[Vector512<float>.Count];
        tail.Clear();
        x[i..].CopyTo(tail);
        f(Vector512.Create(tail)).CopyTo(tail);
        tail[..(x.Length - i)].CopyTo(y[i..]);
    }
}
