using NeuralStyle.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Optimization;

/// <summary>The 3 × 3 binomial filter [1 2 1]ᵀ[1 2 1] / 16, applied to each channel of [1, C, H, W] with the edges repeated.</summary>
/// <remarks>
/// It passes nothing at the two-pixel period, half at four pixels and 85 % at eight: the periods at
/// which a network with stride-2 layers imprints its grid on the gradient of its input.
/// </remarks>
internal static class Binomial
{
    /// <summary>The filtered tensor, in the input's type and on its device.</summary>
    public static Tensor Smooth(Tensor image)
    {
        var channels = image.shape[1];
        using var kernel = tensor(new double[] { 1, 2, 1, 2, 4, 2, 1, 2, 1 }, dtype: image.dtype, device: image.device).OverInPlace(16).reshape(1, 1, 3, 3);
        using var padded = nn.functional.pad(image, [1, 1, 1, 1], PaddingModes.Replicate);
        return nn.functional.conv2d(padded, kernel.expand(channels, 1, 3, 3), groups: channels);
    }
}
