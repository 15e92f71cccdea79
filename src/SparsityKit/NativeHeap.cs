using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SparsityKit;

/// <summary>
/// Keeps the memory libtorch frees inside the process, for the next training step to reuse, instead of glibc handing it
/// back to the operating system after every step. Applied when SparsityKit loads, on Linux with glibc.
/// </summary>
/// <remarks>
/// libtorch allocates every activation with the C library's <c>malloc</c>. A training step keeps its activations until
/// the backward pass and then frees them all; glibc returns that memory to the system (a large block is its own
/// <c>mmap</c>, the heap's free top is trimmed, a thread's emptied heap is unmapped), so the next step page-faults every
/// page in again. On this project's VM a fault costs about 13 microseconds: ViT-small at batch 128 took about 50,000 per
/// step and trains 1.36x faster with the memory kept, ResNet-20 1.42x (<c>bench/native-heap.sh</c>). The settings here
/// are glibc's own (<c>mallopt</c>): blocks up to 32 MiB come from the heap (<c>M_MMAP_THRESHOLD</c>), the heap is never trimmed
/// (<c>M_TRIM_THRESHOLD</c>), and a 256 MiB pad (<c>M_TOP_PAD</c>) keeps threads' heaps from being unmapped. The process
/// then holds on to its largest step's memory. Nothing computed changes: the same allocations, the same alignment.
/// A process started with <c>SPARSITYKIT_NATIVE_HEAP=glibc</c> keeps glibc's defaults, and one started with any of these
/// settings in its environment (<c>MALLOC_MMAP_THRESHOLD_</c>, <c>MALLOC_TRIM_THRESHOLD_</c>, <c>MALLOC_TOP_PAD_</c>, or
/// their <c>glibc.malloc</c> names in <c>GLIBC_TUNABLES</c>) keeps its own. (Setting any one of them stops glibc adapting
/// its thresholds, so none of them restores glibc's defaults: use the first variable for that.)
/// </remarks>
public static class NativeHeap
{
    private const int TrimThreshold = -1, TopPad = -2, MmapThreshold = -3;   // glibc's M_* parameter numbers
    private const int LargestHeapBlock = 32 << 20;                          // glibc's ceiling for M_MMAP_THRESHOLD
    private const int Pad = 256 << 20;                                      // above a thread heap's 64 MiB

    /// <summary>The environment variable that opts out: <c>glibc</c> leaves glibc's defaults.</summary>
    public const string Variable = "SPARSITYKIT_NATIVE_HEAP";

    /// <summary>What happened when SparsityKit loaded.</summary>
    public static NativeHeapState State { get; private set; } = NativeHeapState.NotApplicable;

#pragma warning disable CA2255 // a library's module initializer: every process that loads SparsityKit trains faster
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        try
        {
            State = ApplyToProcess();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            State = NativeHeapState.NotApplicable;
        }
    }

    private static NativeHeapState ApplyToProcess()
    {
        if (!OperatingSystem.IsLinux()) return NativeHeapState.NotApplicable;
        string? choice = Environment.GetEnvironmentVariable(Variable);
        if (choice == "glibc") return NativeHeapState.OptedOut;
        if (!string.IsNullOrEmpty(choice) && choice != "keep")
        {
            // A module initializer must not throw (every SparsityKit type would fail to load): say so, change nothing.
            Console.Error.WriteLine($"SparsityKit: {Variable} is '{choice}', which is neither 'glibc' (glibc's own malloc behaviour) nor " +
                "'keep' (the default: freed memory stays in the process); glibc's defaults are left in place. Set it to one of the two, or unset it.");
            return NativeHeapState.OptedOut;
        }
        if (UserMallocSettings().Any()) return NativeHeapState.UserSettings;
        var libc = NativeLibrary.Load("libc.so.6");
        // musl and other C libraries have no mallopt, or one that ignores these parameters.
        if (!NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _) || !NativeLibrary.TryGetExport(libc, "mallopt", out var address))
            return NativeHeapState.NotApplicable;
        var mallopt = Marshal.GetDelegateForFunctionPointer<MallOpt>(address);
        // Once any of these is set, glibc stops adapting its thresholds to the blocks it sees: all three are fixed here.
        bool applied = mallopt(MmapThreshold, LargestHeapBlock) == 1 && mallopt(TrimThreshold, int.MaxValue) == 1 && mallopt(TopPad, Pad) == 1;
        return applied ? NativeHeapState.KeepsFreedMemory : NativeHeapState.NotApplicable;
    }

    /// <summary>Which of the three settings this process's environment sets already.</summary>
    internal static IEnumerable<string> UserMallocSettings()
    {
        foreach (var name in new[] { "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_" })
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) yield return name;
        string tunables = Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "";
        foreach (var tunable in new[] { "glibc.malloc.mmap_threshold", "glibc.malloc.trim_threshold", "glibc.malloc.top_pad" })
            if (tunables.Contains(tunable, StringComparison.Ordinal)) yield return tunable;
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int MallOpt(int parameter, int value);
}

/// <summary>What <see cref="NativeHeap"/> did when SparsityKit loaded.</summary>
public enum NativeHeapState
{
    /// <summary>Not Linux with glibc: left to the C library's defaults.</summary>
    NotApplicable,

    /// <summary><c>SPARSITYKIT_NATIVE_HEAP=glibc</c>: glibc's defaults.</summary>
    OptedOut,

    /// <summary>The environment carries glibc malloc settings of its own; left as they are.</summary>
    UserSettings,

    /// <summary>Freed memory stays in the process for reuse.</summary>
    KeepsFreedMemory,
}
