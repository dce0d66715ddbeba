using System.Runtime.InteropServices;

namespace NeuralStyle.Platform;

/// <summary>
/// Keeps freed tensor memory in the process's heap for reuse, or hands large blocks back as soon as
/// they are freed, where the C library is glibc.
/// </summary>
/// <remarks>
/// libtorch's CPU allocator has no cache: every large activation and gradient is a fresh malloc, and
/// glibc serves blocks over 32 MiB with mmap and hands them back with munmap. A synthesis allocates
/// the same few hundred megabytes at every iteration, so each one page-faulted them in again: at
/// 512 px a quarter of VGG-19's iteration time went to the kernel (1.16 s per iteration, 0.93 s with
/// this). Raising the mmap and trim thresholds makes freed blocks stay in the heap, whose size then
/// stays at the peak of one iteration. glibc applies it to the main thread's heap only: other threads'
/// arenas map large blocks whatever the thresholds, so the command-line tool and the benchmark
/// optimise on the main thread. The setting is process-wide; a tiled scale turns it back (see
/// <see cref="HandBackLargeBlocks"/>).
/// </remarks>
internal static class GlibcHeap
{
    private const int MmapThreshold = -3;
    private const int TrimThreshold = -1;

    // The ceilings of the thresholds glibc raises by itself (blocks over 32 MiB mapped, heaps trimmed
    // past 64 MiB free), to which a tiled scale returns.
    private const int MappedBlocksAbove = 32 << 20;
    private const int TrimmedPast = 64 << 20;

    /// <summary>Keeps freed blocks in the heap for the next iteration. True when glibc took both settings (false elsewhere).</summary>
    public static bool KeepFreedMemory() => SetThresholds(int.MaxValue, int.MaxValue);

    /// <summary>
    /// Maps blocks over 32 MiB afresh and unmaps them when freed, as glibc does by itself: a tiled
    /// scale's tiles of several sizes would otherwise fragment a kept heap within one iteration
    /// (ResNet-18 at 6000 × 4002 in tiles of 2432 px after a whole scale: 22.7 GiB at the peak, against
    /// 14.3 GiB in a job that began tiled). True when glibc took both settings (false elsewhere).
    /// </summary>
    public static bool HandBackLargeBlocks() => SetThresholds(MappedBlocksAbove, TrimmedPast);

    /// <summary>
    /// Hands the heap's free memory back to the system (malloc_trim): a tiled scale after a whole one
    /// would otherwise hold the whole scale's peak besides its own (11.2 GiB after ResNet-18's whole
    /// 3000 × 2001 scale). True when glibc released memory.
    /// </summary>
    public static bool ReleaseFreedMemory()
    {
        try
        {
            return OperatingSystem.IsLinux() && malloc_trim(0) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static bool SetThresholds(int mmap, int trim)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return mallopt(MmapThreshold, mmap) == 1 && mallopt(TrimThreshold, trim) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", ExactSpelling = true)]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc", ExactSpelling = true)]
    private static extern int malloc_trim(nuint pad);
}
