using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace OversightLab.Models;

/// <summary>
/// What our own code borrows from the native libraries TorchSharp has already loaded: libtorch's
/// OpenMP threads, MKL's single-precision square root (the one libtorch's <c>sqrt</c> uses, so a
/// loop that calls it gets libtorch's bits), MKL's per-thread thread count, and MKL's AVX-512
/// single-precision matrix product (<see cref="MklLinear"/>).
/// </summary>
/// <remarks>
/// Why not .NET's thread pool: while libtorch runs with more than one thread, its OpenMP workers
/// spin between operations, and a .NET thread competing with them made a split loop 2–6× slower.
/// A parallel region on the same workers starts in under a microsecond. Both are looked up in the
/// process's loaded libraries (Linux); where they are not found, <see cref="HasSqrt"/> is false and
/// <see cref="Parallel"/> runs the work on the calling thread.
/// </remarks>
internal static unsafe class LibtorchNative
{
    static readonly delegate* unmanaged<IntPtr, IntPtr, uint, uint, void> parallel;   // GOMP_parallel(fn, data, threads, flags)
    static readonly delegate* unmanaged<int> threadNumber, threadCount;               // omp_get_thread_num, omp_get_num_threads
    static readonly delegate* unmanaged<int*, float*, float*, void> sqrt;            // MKL's VSSQRT_(n, in, out), 32-bit n
    static readonly delegate* unmanaged<int*, int> mklThreadsHere;                    // MKL's mkl_set_num_threads_local_(&n): returns the previous setting
    static readonly delegate* unmanaged<int> mklMaxThreads;                           // mkl_get_max_threads: what this thread's next MKL call may use
    // MKL's one-thread product on its AVX-512 branch, Fortran sgemm's arguments with 64-bit integers:
    // (transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc), column-major.
    static readonly delegate* unmanaged<byte*, byte*, long*, long*, long*, float*, float*, long*, float*, long*, float*, float*, long*, void> avx512Product;

    static LibtorchNative()
    {
        using (var probe = TorchSharp.torch.zeros(1)) { }   // make sure libtorch is loaded before looking at the process's libraries
        var loaded = LoadedLibraries();
        if (Export(loaded, "libtorch_cpu.so", "VSSQRT_") is { } s) sqrt = (delegate* unmanaged<int*, float*, float*, void>)s;
        if (Export(loaded, "libtorch_cpu.so", "mkl_set_num_threads_local_") is { } local && Export(loaded, "libtorch_cpu.so", "mkl_get_max_threads") is { } max)
        {
            mklThreadsHere = (delegate* unmanaged<int*, int>)local;
            mklMaxThreads = (delegate* unmanaged<int>)max;
        }
        if (Export(loaded, "libtorch_cpu.so", "mkl_blas_avx512_xsgemm") is { } g)
            avx512Product = (delegate* unmanaged<byte*, byte*, long*, long*, long*, float*, float*, long*, float*, long*, float*, float*, long*, void>)g;
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
    /// Has MKL's products called from this thread run on one thread until the result is disposed,
    /// then on what they ran on before (libtorch's count); other threads are not affected. Null
    /// where MKL's thread controls were not found (nothing to undo).
    /// </summary>
    public static IDisposable? OneMklThreadHere() => mklThreadsHere == null ? null : new MklThreads(SetMklThreadsHere(1));

    /// <summary>Whether MKL's AVX-512 product was found (<see cref="Avx512Product"/> may be called where the processor has AVX-512).</summary>
    public static bool HasAvx512Product => avx512Product != null;

    /// <summary>
    /// Row-major C ← op(A)·op(B) + beta·C on the calling thread with MKL's AVX-512 kernels; C is m × n,
    /// op(A) m × k, op(B) k × n. A is stored m × k, or k × m when <paramref name="transA"/> (op(A) = its
    /// transpose); B is stored k × n, or n × k when <paramref name="transB"/>. lda, ldb and ldc are the
    /// row strides of what is stored, so each may be a block of a larger matrix. MKL is column-major:
    /// this is Cᵀ = op(B)ᵀ·op(A)ᵀ to it, with the same memory.
    /// </summary>
    public static void Avx512Product(bool transA, bool transB, long m, long n, long k, float* a, long lda, float* b, long ldb, float beta, float* c, long ldc)
    {
        byte opA = (byte)(transA ? 'T' : 'N'), opB = (byte)(transB ? 'T' : 'N');
        float alpha = 1;
        avx512Product(&opB, &opA, &n, &m, &k, &alpha, b, &ldb, a, &lda, &beta, c, &ldc);
    }

    /// <summary>How many threads this thread's next MKL product may use; 0 where MKL's controls were not found.</summary>
    public static int MklThreadsHere => mklMaxThreads == null ? 0 : mklMaxThreads();

    static int SetMklThreadsHere(int threads) => mklThreadsHere(&threads);

    sealed class MklThreads(int previous) : IDisposable
    {
        bool restored;

        public void Dispose()
        {
            if (restored) return;
            SetMklThreadsHere(previous);   // 0: back to the global count
            restored = true;
        }
    }

    /// <summary>libtorch's grain for elementwise work (at::internal::GRAIN_SIZE): fewer elements than this stay on one thread.</summary>
    public const int Grain = 32_768;

    /// <summary>
    /// Runs <paramref name="body"/>(thread, threads) once on each of <paramref name="threads"/> of
    /// libtorch's OpenMP threads, the calling one included, and returns when all are done; each call
    /// does its share of the work (<see cref="Share"/>). With one thread, or without OpenMP, the body
    /// runs once on the calling thread as (0, 1). An exception from any share is rethrown here.
    /// </summary>
    public static void Parallel(int threads, Action<int, int> body)
    {
        if (threads <= 1 || parallel == null)
        {
            body(0, 1);
            return;
        }
        var work = new Work(body);
        var handle = GCHandle.Alloc(work);
        try
        {
            parallel((IntPtr)(delegate* unmanaged<IntPtr, void>)&RunShare, GCHandle.ToIntPtr(handle), (uint)threads, 0);
        }
        finally
        {
            handle.Free();
        }
        if (work.Error is { } error) ExceptionDispatchInfo.Throw(error);
    }

    /// <summary>Thread <paramref name="thread"/>'s even share [from, to) of <paramref name="count"/> items split over <paramref name="threads"/>.</summary>
    public static (long From, long To) Share(long count, int thread, int threads) => (count * thread / threads, count * (thread + 1) / threads);

    sealed class Work(Action<int, int> body)
    {
        public readonly Action<int, int> Body = body;
        public Exception? Error;
    }

    /// <summary>What each OpenMP thread runs: its share of the work; an exception must not cross into native code.</summary>
    [UnmanagedCallersOnly]
    static void RunShare(IntPtr data)
    {
        var work = (Work)GCHandle.FromIntPtr(data).Target!;
        try
        {
            work.Body(threadNumber(), threadCount());
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref work.Error, e, null);
        }
    }

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
