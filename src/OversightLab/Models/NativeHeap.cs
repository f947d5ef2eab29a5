using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OversightLab.Models;

/// <summary>
/// When glibc's malloc, where libtorch's CPU tensors come from, gives memory back to the kernel.
/// <para>
/// By default it maps allocations from 128 KB up on their own, a threshold it raises to the
/// largest such block freed so far, and trims the heap's free top past twice that. A training step
/// frees its activations and gradients and allocates them again the next step, and with these
/// thresholds many of them came back as fresh pages from the kernel, which zeroes each one: 490–1,100
/// page faults per mlp-xl step at batch 512, 2–4.4 MB (PyTorch under Python: about 500), and 390
/// per mlp-l step.
/// </para>
/// <para>
/// When this assembly loads, OversightLab keeps blocks below glibc's largest threshold (32 MB) in
/// the heap and trims only past 256 MB of free memory at its top: a step then reuses the last
/// step's memory (4–6 faults per mlp-xl step, 3–5 per mlp-l step). A process keeps up to that much
/// freed memory; nothing computed changes. Where glibc's <c>mallopt</c> is missing (macOS, Windows, musl without it) nothing is set.
/// </para>
/// </summary>
public static class NativeHeap
{
    /// <summary>Blocks of this size and more get their own mapping (glibc's largest allowed threshold on 64-bit).</summary>
    public const int MappedFrom = 32 << 20;

    /// <summary>The heap's free top is given back only past this.</summary>
    public const int TrimmedPast = 256 << 20;

    const int TrimThreshold = -1, MmapThreshold = -3;   // mallopt's M_TRIM_THRESHOLD and M_MMAP_THRESHOLD

    /// <summary>Whether the thresholds above are in force in this process.</summary>
    public static bool Configured { get; private set; }

    // A module initializer: the policy must hold before OversightLab allocates its first tensor, from
    // whichever entry point (CLI, benchmarks, notebook, tests) loads the library.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static unsafe void Configure()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc) || !NativeLibrary.TryGetExport(libc, "mallopt", out var address))
            return;
        var mallopt = (delegate* unmanaged<int, int, int>)address;
        // Setting either threshold also turns off glibc's raising of them; set both or neither.
        Configured = mallopt(MmapThreshold, MappedFrom) == 1 && mallopt(TrimThreshold, TrimmedPast) == 1;
    }
}
