using NeuralStyle.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Optimization;

/// <summary>The 3 × 3 binomial filter [1 2 1]ᵀ[1 2 1] / 16, applied to each channel of [N, C, H, W].</summary>
/// <remarks>
/// It passes nothing at the two-pixel period, half at four pixels and 85 % at eight: the periods at
/// which a network with stride-2 layers imprints its grid on the gradient of its input, and which an
/// anti-aliased painter removes before each of its stride-2 layers.
/// </remarks>
internal static class Binomial
{
    private static readonly float[] Taps = [1, 2, 1, 2, 4, 2, 1, 2, 1];

    /// <summary>The filter for each of <paramref name="channels"/>, as the weights [channels, 1, 3, 3] of a depthwise convolution.</summary>
    public static float[] Kernel(long channels) => [.. Enumerable.Range(0, (int)channels).SelectMany(_ => Taps.Select(t => t / 16))];

    /// <summary>The filtered tensor, in the input's type and on its device, with the edges <paramref name="edges"/> (repeated unless told).</summary>
    public static Tensor Smooth(Tensor image, PaddingModes edges = PaddingModes.Replicate)
    {
        var channels = image.shape[1];
        using var kernel = tensor(Kernel(channels), [channels, 1, 3, 3], image.dtype, image.device);
        using var padded = nn.functional.pad(image, [1, 1, 1, 1], edges);
        return nn.functional.conv2d(padded, kernel, groups: channels);
    }
}
