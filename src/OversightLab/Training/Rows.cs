using OversightLab.Models;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Training;

/// <summary>
/// A minibatch's rows copied out of one model's or a stack's flat data on the CPU by plain memory copies, where
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
    /// <param name="into">a float32 CPU matrix of (models·length) × width to write into, kept from an earlier step; null: a new one</param>
    /// <param name="threads">
    /// split the models over this many of libtorch's threads as <see cref="MlpStack"/>'s kernels do
    /// (<see cref="MlpStack.KernelThreads"/>), so that each thread copies the rows its kernels then
    /// read into its own cache (libgomp keeps a team's threads from one parallel region to the next):
    /// an mlp-xs stack's 2-thread fit at S = 32 took 0.84 of the time, mlp-s 0.96; where the kernels
    /// stay on one thread, splitting the copy made fits 1.1–1.2× slower. With one thread, or one
    /// model, the calling thread copies. A bad row number is refused either way; with several in
    /// different threads' shares, which one the message names may vary.
    /// </param>
    public static unsafe Tensor Gather(Tensor flat, ReadOnlySpan<long> order, long n, long start, long length, Tensor? into = null, int threads = 1)
    {
        int width = (int)flat.size(1), models = (int)(order.Length / n);   // size(d), not shape: shape costs a callback from native code
        long rows = flat.size(0);
        if (into is not null && (!CpuFloats.Holds(into) || into.dim() != 2 || into.size(0) != models * length || into.size(1) != width))
            throw new ArgumentException("the matrix to gather into is not (models·length) × width float32 on the CPU", nameof(into));
        var result = into ?? empty(models * length, width, dtype: ScalarType.Float32);
        if (start < 0 || length < 0 || start + length > n) throw new ArgumentOutOfRangeException(nameof(start), "the minibatch runs past the epoch");
        float* from = CpuFloats.Pointer(flat), to = CpuFloats.Pointer(result);   // libtorch's memory: it does not move
        if (threads <= 1 || models < 2)
        {
            Copy(from, to, order, n, start, length, width, rows, 0, models);
            return result;
        }
        fixed (long* numbers = order)
        {
            var (pointer, count) = ((IntPtr)numbers, order.Length);   // a span cannot enter the lambda; the order stays fixed until Parallel returns
            LibtorchNative.Parallel(threads, (thread, team) =>
            {
                var (first, last) = LibtorchNative.Share(models, thread, team);
                Copy(from, to, new ReadOnlySpan<long>((long*)pointer, count), n, start, length, width, rows, (int)first, (int)last);
            });
        }
        return result;
    }

    /// <summary>The rows of models [<paramref name="first"/>, <paramref name="last"/>) into their blocks of <paramref name="to"/>.</summary>
    static unsafe void Copy(float* from, float* to, ReadOnlySpan<long> order, long n, long start, long length, int width, long rows, int first, int last)
    {
        to += first * length * width;
        for (int s = first; s < last; s++, to += length * width)
            Copy(from, rows, width, order.Slice((int)(s * n + start), (int)length), s + 1 < last ? order.Slice((int)((s + 1) * n + start), (int)length) : default, to);
    }

    /// <summary>
    /// Rows <paramref name="rowNumbers"/> of <paramref name="from"/> (<paramref name="rows"/> × <paramref name="width"/>)
    /// into <paramref name="to"/>, one after another. <paramref name="next"/>: the rows to be copied after these
    /// (the next model's), whose first are prefetched too.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // optimised from its first call: a run of a few hundred steps would spend most of them in unoptimised code
    internal static unsafe void Copy(float* from, long rows, int width, ReadOnlySpan<long> rowNumbers, ReadOnlySpan<long> next, float* to)
    {
        for (int i = 0; i < rowNumbers.Length; i++, to += width)
        {
            long row = rowNumbers[i];
            if ((ulong)row >= (ulong)rows) throw new ArgumentOutOfRangeException(nameof(rowNumbers), $"row {row} of a {rows}-row matrix");
            // A stack's rows are spread over megabytes, past the caches: ask for a later row's cache
            // lines now, into L2 (more of them can be on their way there than into L1), on into the next model's rows.
            int ahead = i + Lookahead;
            long later = ahead < rowNumbers.Length ? rowNumbers[ahead] : ahead - rowNumbers.Length < next.Length ? next[ahead - rowNumbers.Length] : -1;
            if (Sse.IsSupported && (ulong)later < (ulong)rows)
            {
                byte* line = (byte*)(from + later * width);
                for (int b = 0; b < width * sizeof(float) + CacheLine; b += CacheLine) Sse.Prefetch1(line + b);
            }
            float* source = from + row * width;
            if (width < 16)
                for (int w = 0; w < width; w++) to[w] = source[w];   // a call to memmove costs more than a few floats
            else
                Buffer.MemoryCopy(source, to, width * sizeof(float), width * sizeof(float));
        }
    }

    /// <summary>How many rows ahead <see cref="Gather"/> prefetches.</summary>
    const int Lookahead = 16;

    const int CacheLine = 64;
}
