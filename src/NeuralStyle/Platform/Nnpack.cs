using System.Runtime.InteropServices;

namespace NeuralStyle.Platform;

/// <summary>Keeps libtorch from asking for NNPACK, process-wide, taken once before a network's first convolution.</summary>
/// <remarks>
/// For a convolution that oneDNN declines (batch 1, 3 × 3 filters and at most 20,480 input values:
/// the deep layers at small sizes) libtorch next asks whether NNPACK is available, and where NNPACK's
/// own start-up fails ("Unsupported hardware", on some CPUs) it logs that to standard error at every
/// such call: 121 lines for 5 iterations of the built-in network at 128 px, 99,027 for 3,000 at 96 px.
/// It would not use NNPACK for us anyway (only for batches of 16 or more), so switching it off, as
/// PyTorch's <c>torch.backends.nnpack.set_flags(False)</c> does, changes no result: libtorch checks
/// the switch first and never asks. TorchSharp has no binding for it, so it is called in libtorch by
/// its C++ name (an instance method: the context is the first argument).
/// </remarks>
internal static class Nnpack
{
    private const string LibTorch = "libtorch_cpu";
    private static readonly Lazy<bool> Applied = new(Disable);

    /// <summary>Switches NNPACK off; true when libtorch took it (false where the library lacks the switch).</summary>
    public static bool TurnOff() => Applied.Value;

    /// <summary>Whether libtorch would ask for NNPACK now; null where the library lacks the switch.</summary>
    public static bool? Enabled()
    {
        try
        {
            return UserEnabledNnpack(GlobalContext());
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    private static bool Disable()
    {
        try
        {
            SetUserEnabledNnpack(GlobalContext(), false);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport(LibTorch, EntryPoint = "_ZN2at13globalContextEv", ExactSpelling = true)]
    private static extern IntPtr GlobalContext();

    [DllImport(LibTorch, EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb", ExactSpelling = true)]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport(LibTorch, EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv", ExactSpelling = true)]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledNnpack(IntPtr context);
}
