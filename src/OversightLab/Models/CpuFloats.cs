using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    /// <summary>The first element of a contiguous CPU float32 tensor (libtorch's memory: it does not move).</summary>
    public static unsafe float* Pointer(Tensor t) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(Of(t)));
}
