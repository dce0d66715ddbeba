using System.Runtime.InteropServices;

namespace NeuralStyle.Synthesis;

/// <summary>
/// Keeps freed tensor memory in the process's heap for reuse, where the C library is glibc.
/// </summary>
/// <remarks>
/// libtorch's CPU allocator has no cache: every large activation and gradient is a fresh malloc, and
/// glibc serves blocks over 32 MiB with mmap and hands them back with munmap. A synthesis allocates
/// the same few hundred megabytes at every iteration, so each one page-faulted them in again: at
/// 512 px a quarter of VGG-19's iteration time went to the kernel (1.16 s per iteration, 0.93 s with
/// this). Raising the mmap and trim thresholds makes freed blocks stay in the heap, whose size then
/// stays at the peak of one iteration. glibc applies it to the main thread's heap only: other threads'
/// arenas map large blocks whatever the thresholds, so the command-line tool and the benchmark
/// optimise on the main thread. The setting is process-wide and taken once.
/// </remarks>
internal static class GlibcHeap
{
    private const int MmapThreshold = -3;
    private const int TrimThreshold = -1;
    private static readonly Lazy<bool> Applied = new(Apply);

    /// <summary>True when glibc took both settings (false elsewhere).</summary>
    public static bool KeepFreedMemory() => Applied.Value;

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

    private static bool Apply()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return mallopt(MmapThreshold, int.MaxValue) == 1 && mallopt(TrimThreshold, int.MaxValue) == 1;
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
