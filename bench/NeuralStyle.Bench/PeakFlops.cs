using System.Diagnostics;
using NeuralStyle.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Bench;

/// <summary>
/// The device's peak, measured rather than assumed: the best rate of libtorch's own kernels, in the
/// precision the networks run in, on their device. An assumed peak (twice the float32 FMA rate for
/// bfloat16) once let a bfloat16 VGG-19 report 116 % of it; these kernels use the same vector and
/// matrix units (AVX-512 BF16, AMX, tensor cores) that the networks do.
/// </summary>
internal static class PeakFlops
{
    /// <summary>The side of the square matrices multiplied.</summary>
    public const int Side = 4096;

    // The convolution probe: VGG-19's conv3 shape, 256 channels in and out at 128 × 128, 3 × 3.
    private const int Channels = 256;
    private const int Pixels = 128;

    /// <summary>
    /// GFLOP/s of the faster of a <see cref="Side"/>² matrix product (<c>mm</c>) and a 3 × 3
    /// convolution over channels-last pixels, in <paramref name="dtype"/> on <paramref name="device"/>,
    /// the best of five products and of twenty convolutions (which are 40 times shorter), after one to warm up.
    /// </summary>
    /// <remarks>
    /// The product alone is not enough: on this AMD CPU libtorch's float32 <c>mm</c> reached 106–169
    /// GFLOP/s and its bfloat16 one 536–623, while its convolutions (another library) reached 411–424
    /// and 756–831, and VGG-19 at 512 px then showed 171 % and 114 % of the product's rate. On an
    /// Intel CPU with AMX it is the product that is faster (509 GFLOP/s in bfloat16).
    /// </remarks>
    public static double Measure(ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (a, b) = (randn(Side, Side, dtype: dtype, device: device), randn(Side, Side, dtype: dtype, device: device));
        var pixels = ChannelsLast.Of(randn(1, Channels, Pixels, Pixels, dtype: dtype, device: device));
        var filters = ChannelsLast.Of(randn(Channels, Channels, 3, 3, dtype: dtype, device: device));
        return Math.Max(
            2.0 * Side * Side * Side / Best(() => a.mm(b), 5),
            2.0 * Channels * Channels * 9 * Pixels * Pixels / Best(() => nn.functional.conv2d(pixels, filters, padding: [1, 1]), 20)) / 1e9;
    }

    // The shortest of the timed runs, after one that is not timed.
    private static double Best(Func<Tensor> product, int runs)
    {
        var best = double.MaxValue;
        for (var i = 0; i <= runs; i++)
        {
            var clock = Stopwatch.StartNew();
            using (var result = product())
            {
                // Reading an element waits for a GPU to finish.
                var element = result;
                while (element.dim() > 0)
                {
                    element = element[0];
                }

                _ = element.to(float32).cpu().data<float>()[0];
            }

            best = i == 0 ? best : Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return best;
    }

    /// <summary>The processor by name, with the vector and matrix units that set its peak.</summary>
    public static string Processor(Device device)
    {
        if (device.type != DeviceType.CPU)
        {
            return $"{device}";
        }

        var name = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var units = PrecisionChoice.CpuFlags().Intersect(["avx2", "fma", "avx512f", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16"]).Order();
        return $"{name ?? "CPU"} ({string.Join(", ", units)})";
    }
}
