using static TorchSharp.torch;

namespace NeuralStyle.Networks;

/// <summary>
/// Channels-last (NHWC) strides for 4-D tensors. TorchSharp 0.107 has no memory-format API, but a
/// tensor permuted to NHWC, made contiguous and permuted back has channels-last strides, and
/// libtorch's convolutions follow the layout of their input and weights: on this machine's CPU that
/// makes VGG-19's forward and backward about a fifth faster (README, benchmark).
/// </summary>
internal static class ChannelsLast
{
    /// <summary>The same values as <paramref name="nchw"/> with channels-last strides.</summary>
    public static Tensor Of(Tensor nchw) => nchw.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
}
