using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace OversightLab.Models;

/// <summary>
/// A k × k average pool with stride k, exactly as libtorch's CPU kernel for contiguous float
/// tensors computes it, at a fraction of its cost. libtorch's kernel works out each output's
/// window and divisor in 64-bit index arithmetic: about 1.4 µs per 28 × 28 image for k = 2 on one
/// thread, more than a small ladder model's whole forward pass. Per output it sums the window in
/// row-major order in float, starting from zero, divides by k² and adds the quotient to a zeroed
/// output; this does the same operations in the same order, so every bit is libtorch's.
/// </summary>
public static unsafe class AvgPool
{
    /// <summary>
    /// <paramref name="items"/> [n, c, h, w] pooled to [n, c, h/k, w/k]. Takes the fast path for
    /// contiguous float32 CPU tensors that need no gradient and whose sides k divides; anything
    /// else goes to libtorch's <c>avg_pool2d</c>.
    /// </summary>
    public static Tensor Of(Tensor items, int k)
    {
        if (!Fast(items, k)) return nn.functional.avg_pool2d(items, k);
        long n = items.size(0), c = items.size(1), h = items.size(2), w = items.size(3);
        var pooled = empty([n, c, h / k, w / k], ScalarType.Float32);
        float* from = CpuFloats.Pointer(items), to = CpuFloats.Pointer(pooled);
        long planes = n * c;
        // Split by planes over libtorch's threads once the input is as large as its own grain for elementwise work.
        LibtorchNative.Parallel(planes * h * w >= LibtorchNative.Grain ? get_num_threads() : 1, (thread, threads) =>
        {
            var (first, end) = LibtorchNative.Share(planes, thread, threads);
            for (long p = first; p < end; p++) Plane(from + p * h * w, to + p * (h / k) * (w / k), (int)h, (int)w, k);
        });
        return pooled;
    }

    /// <summary>Whether <see cref="Of"/> computes the pool itself (otherwise it asks libtorch).</summary>
    public static bool Fast(Tensor items, int k) =>
        k >= 1 && items.dim() == 4 && CpuFloats.Holds(items) && !items.requires_grad && items.size(2) % k == 0 && items.size(3) % k == 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Plane(float* input, float* output, int height, int width, int k)
    {
        float divisor = k * k;
        int outputWidth = width / k;
        for (int oh = 0; oh < height / k; oh++)
        {
            float* row = input + oh * k * width, end = output + outputWidth;
            if (k == 2)
            {
                for (float* window = row; output < end; output++, window += 2)
                    *output = 0f + ((((0f + window[0]) + window[1]) + window[width]) + window[width + 1]) / divisor;
            }
            else if (k == 4)
            {
                for (float* window = row; output < end; output++, window += 4)
                {
                    float* r1 = window + width, r2 = r1 + width, r3 = r2 + width;
                    float sum = (((0f + window[0]) + window[1]) + window[2]) + window[3];
                    sum = (((sum + r1[0]) + r1[1]) + r1[2]) + r1[3];
                    sum = (((sum + r2[0]) + r2[1]) + r2[2]) + r2[3];
                    sum = (((sum + r3[0]) + r3[1]) + r3[2]) + r3[3];
                    *output = 0f + sum / divisor;
                }
            }
            else
            {
                for (float* window = row; output < end; output++, window += k)
                {
                    float sum = 0f;
                    for (int ih = 0; ih < k; ih++)
                        for (int iw = 0; iw < k; iw++)
                            sum += window[ih * width + iw];
                    *output = 0f + sum / divisor;
                }
            }
        }
    }
}
