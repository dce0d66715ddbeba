using System.Runtime.InteropServices;

namespace NeuralStyle;

/// <summary>
/// What <see cref="Precision.Auto"/> becomes on a device: bfloat16 where the hardware multiplies it
/// natively, so that it is about twice as fast, and float32 where bfloat16 would be emulated and
/// slower.
/// </summary>
public static class PrecisionChoice
{
    private static readonly Lazy<bool> CpuHasBFloat16 = new(() => CpuFlags().Overlaps(["avx512_bf16", "amx_bf16"]));

    /// <summary><paramref name="precision"/> itself, or for <see cref="Precision.Auto"/> the one the device computes fastest.</summary>
    public static Precision Resolve(Precision precision, ComputeDevice device) => precision != Precision.Auto
        ? precision
        : ComputesBFloat16Natively(device) ? Precision.BFloat16 : Precision.Float32;

    /// <summary>
    /// True on a CPU with AVX-512 BF16 or AMX (read from Linux's /proc/cpuinfo; elsewhere false) and on
    /// a CUDA GPU of compute capability 8.0 or more (Ampere and later), whose tensor cores take bfloat16.
    /// </summary>
    public static bool ComputesBFloat16Natively(ComputeDevice device) =>
        device.Kind == DeviceKind.Cpu ? CpuHasBFloat16.Value : CudaComputeCapabilityMajor(device.Index) >= 8;

    /// <summary>The CPU's feature flags, as Linux lists them (empty elsewhere).</summary>
    public static IReadOnlySet<string> CpuFlags() => File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(':', 2)[1]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet() ?? []
        : new HashSet<string>();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int DeviceAttribute(out int value, int attribute, int device);

    // The CUDA runtime that a CUDA libtorch loads beside itself; 0 when it cannot be asked.
    private static int CudaComputeCapabilityMajor(int device)
    {
        const int ComputeCapabilityMajor = 75; // cudaDevAttrComputeCapabilityMajor
        foreach (var name in new[] { "libcudart.so.12", "libcudart.so", "cudart64_12.dll" })
        {
            if (NativeLibrary.TryLoad(name, typeof(PrecisionChoice).Assembly, null, out var library)
                && NativeLibrary.TryGetExport(library, "cudaDeviceGetAttribute", out var export))
            {
                var getAttribute = Marshal.GetDelegateForFunctionPointer<DeviceAttribute>(export);
                return getAttribute(out var major, ComputeCapabilityMajor, device) == 0 ? major : 0;
            }
        }

        return 0;
    }
}
