using OversightLab.Models;
using static TorchSharp.torch;

namespace OversightLab.Training;

/// <summary>
/// A minibatch's rows copied out of a stack's flat data on the CPU by plain memory copies, where
/// libtorch's index_select costs tens of microseconds per call at a stack's sizes. The same values
/// index_select gives: a copy has no arithmetic.
/// </summary>
public static class Rows
{
    /// <summary>Whether <see cref="Gather"/> can read <paramref name="flat"/>: a contiguous CPU float32 matrix a span can index.</summary>
    public static bool CanGather(Tensor flat) => flat.dim() == 2 && CpuFloats.Holds(flat) && flat.numel() < int.MaxValue;

    /// <summary>
    /// Rows <c>order[s·n + start + i]</c> of <paramref name="flat"/> for every model s and i below
    /// <paramref name="length"/>, as a (models·length) × width matrix: model s's minibatch is block s.
    /// </summary>
    /// <param name="order">each model's permutation of its rows as flat row numbers, models × n</param>
    public static Tensor Gather(Tensor flat, ReadOnlySpan<long> order, long n, long start, long length)
    {
        int width = (int)flat.shape[1], models = (int)(order.Length / n);
        var result = empty(models * length, width, dtype: ScalarType.Float32);
        ReadOnlySpan<float> from = CpuFloats.Of(flat);
        var to = CpuFloats.Of(result);
        int at = 0;
        for (int s = 0; s < models; s++)
            for (long i = 0; i < length; i++, at += width)
                from.Slice(checked((int)order[(int)(s * n + start + i)] * width), width).CopyTo(to.Slice(at, width));
        return result;
    }
}
