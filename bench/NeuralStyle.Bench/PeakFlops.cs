using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralStyle.Bench;

/// <summary>The CPU's floating-point peak, measured: independent vector fused multiply-adds on every thread.</summary>
internal static class PeakFlops
{
    // Enough independent chains to cover the FMA latency on both FMA pipes.
    private const int Chains = 12;
    private const int Rounds = 1 << 16;

    /// <summary>
    /// float32 GFLOP/s over <paramref name="threads"/> threads, the best of five tries (a shared machine
    /// only ever lowers a try); null without AVX-512 (give --peak-gflops).
    /// </summary>
    public static double? MeasureFloat32(int threads) =>
        Vector512.IsHardwareAccelerated ? Enumerable.Range(0, 5).Max(_ => Try(threads)) : null;

    private static double Try(int threads)
    {
        var bursts = new long[threads];
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var sink = 0f;
            while (clock.Elapsed < TimeSpan.FromSeconds(0.2))
            {
                sink += Burst();
                bursts[t]++;
            }

            GC.KeepAlive(sink);
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        return bursts.Sum() * Rounds * Chains * Vector512<float>.Count * 2.0 / clock.Elapsed.TotalSeconds / 1e9;
    }

    /// <summary>True when the CPU has AVX-512 BF16, whose dot-product instruction does twice the float32 FMA's work.</summary>
    public static bool HasBFloat16Dot() =>
        File.Exists("/proc/cpuinfo") && File.ReadLines("/proc/cpuinfo").Any(l => l.StartsWith("flags", StringComparison.Ordinal) && l.Contains(" avx512_bf16", StringComparison.Ordinal));

    // Twelve locals and no call inside the loop, so that the accumulators stay in registers (a call
    // would spill them: the ABI keeps no vector register across calls); compiled optimised at once.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Burst()
    {
        var (a, b) = (Vector512.Create(0.999f), Vector512.Create(1e-3f));
        var (x0, x1, x2, x3, x4, x5) = (b, b, b, b, b, b);
        var (x6, x7, x8, x9, x10, x11) = (b, b, b, b, b, b);
        for (var r = 0; r < Rounds; r++)
        {
            (x0, x1, x2, x3) = (Vector512.FusedMultiplyAdd(x0, a, b), Vector512.FusedMultiplyAdd(x1, a, b), Vector512.FusedMultiplyAdd(x2, a, b), Vector512.FusedMultiplyAdd(x3, a, b));
            (x4, x5, x6, x7) = (Vector512.FusedMultiplyAdd(x4, a, b), Vector512.FusedMultiplyAdd(x5, a, b), Vector512.FusedMultiplyAdd(x6, a, b), Vector512.FusedMultiplyAdd(x7, a, b));
            (x8, x9, x10, x11) = (Vector512.FusedMultiplyAdd(x8, a, b), Vector512.FusedMultiplyAdd(x9, a, b), Vector512.FusedMultiplyAdd(x10, a, b), Vector512.FusedMultiplyAdd(x11, a, b));
        }

        return Vector512.Sum(x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11);
    }
}
