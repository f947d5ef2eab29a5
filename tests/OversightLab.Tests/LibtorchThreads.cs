using static TorchSharp.torch;

namespace OversightLab.Tests;

/// <summary>
/// libtorch's thread count set for a test and given back when disposed, so that a failed assertion
/// cannot leave the tests after it running on another count.
/// </summary>
sealed class LibtorchThreads : IDisposable
{
    readonly int before = get_num_threads();

    public LibtorchThreads(int threads) => set_num_threads(threads);

    public void Dispose() => set_num_threads(before);
}
