using System.Runtime.InteropServices;

namespace OversightLab.Models;

/// <summary>
/// Two things our own loops borrow from the native libraries TorchSharp has already loaded:
/// libtorch's OpenMP threads, and MKL's single-precision square root (the one libtorch's
/// <c>sqrt</c> uses, so a loop that calls it gets libtorch's bits).
/// </summary>
/// <remarks>
/// Why not .NET's thread pool: while libtorch runs with more than one thread, its OpenMP workers
/// spin between operations, and a .NET thread competing with them made a split loop 2–6× slower.
/// A parallel region on the same workers starts in under a microsecond. Both are looked up in the
/// process's loaded libraries (Linux); where they are not found, <see cref="Sqrt"/> is null and
/// <see cref="Run"/> runs the work on the calling thread.
/// </remarks>
internal static unsafe class LibtorchNative
{
    static readonly delegate* unmanaged<IntPtr, IntPtr, uint, uint, void> parallel;   // GOMP_parallel(fn, data, threads, flags)
    static readonly delegate* unmanaged<int> threadNumber, threadCount;               // omp_get_thread_num, omp_get_num_threads
    static readonly delegate* unmanaged<int*, float*, float*, void> sqrt;            // MKL's VSSQRT_(n, in, out), 32-bit n

    static LibtorchNative()
    {
        using (var probe = TorchSharp.torch.zeros(1)) { }   // make sure libtorch is loaded before looking at the process's libraries
        var loaded = LoadedLibraries();
        if (Export(loaded, "libtorch_cpu.so", "VSSQRT_") is { } s) sqrt = (delegate* unmanaged<int*, float*, float*, void>)s;
        if (Export(loaded, "libgomp", "GOMP_parallel") is { } p
            && Export(loaded, "libgomp", "omp_get_thread_num") is { } n
            && Export(loaded, "libgomp", "omp_get_num_threads") is { } c)
        {
            parallel = (delegate* unmanaged<IntPtr, IntPtr, uint, uint, void>)p;
            threadNumber = (delegate* unmanaged<int>)n;
            threadCount = (delegate* unmanaged<int>)c;
        }
    }

    /// <summary>Whether MKL's square root was found (<see cref="Sqrt"/> may be called).</summary>
    public static bool HasSqrt => sqrt != null;

    /// <summary>r[i] ← sqrt(x[i]) with MKL's rounding, exactly what libtorch's <c>sqrt</c> gives; in place is allowed.</summary>
    public static void Sqrt(float* x, float* r, int n) => sqrt(&n, x, r);

    /// <summary>
    /// Calls <paramref name="body"/>(data) once on each of <paramref name="threads"/> of libtorch's
    /// OpenMP threads (the calling one included) and returns when all are done; the body finds its
    /// share with <see cref="ThreadNumber"/> and <see cref="ThreadCount"/>. With one thread, or
    /// without OpenMP, the body runs once on the calling thread. The body must not throw.
    /// </summary>
    public static void Run(delegate* unmanaged<IntPtr, void> body, void* data, int threads)
    {
        if (threads <= 1 || parallel == null) body((IntPtr)data);
        else parallel((IntPtr)body, (IntPtr)data, (uint)threads, 0);
    }

    /// <summary>This thread's index inside <see cref="Run"/> (0 outside a parallel region).</summary>
    public static int ThreadNumber => threadNumber == null ? 0 : threadNumber();

    /// <summary>The number of threads running the current <see cref="Run"/> (1 outside a parallel region).</summary>
    public static int ThreadCount => threadCount == null ? 1 : threadCount();

    static IntPtr? Export(IReadOnlyList<string> loaded, string fileStart, string name)
    {
        foreach (string path in loaded.Where(p => Path.GetFileName(p).StartsWith(fileStart, StringComparison.Ordinal)))
            if (NativeLibrary.TryLoad(path, out var handle) && NativeLibrary.TryGetExport(handle, name, out var address))
                return address;
        return null;
    }

    /// <summary>Paths of the shared libraries mapped into this process (Linux; none elsewhere).</summary>
    static IReadOnlyList<string> LoadedLibraries()
    {
        try
        {
            return File.ReadLines("/proc/self/maps")
                .Select(line => line.IndexOf('/', StringComparison.Ordinal) is int at and >= 0 ? line[at..] : "")
                .Where(path => path.Contains(".so", StringComparison.Ordinal))
                .Distinct().ToList();
        }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    }
}
