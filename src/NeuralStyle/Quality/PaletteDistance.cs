using NeuralStyle.Images;
using NeuralStyle.Objective;
using NeuralStyle.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Quality;

/// <summary>
/// How far apart the colours of two pictures are, whatever their layout: the sliced Wasserstein-1
/// distance between their RGB distributions, in 0–255 levels. Both pictures' pixels are projected on
/// 64 fixed random directions in RGB; along each, the distance is the mean gap between the two
/// pictures' 1,000 quantiles; the result is the mean over directions, doubled so that a picture
/// shifted in colour by a vector v lies about |v| from the original (the mean |cos| between v and a
/// random direction in 3-D is ½).
/// </summary>
public static class PaletteDistance
{
    private const int DirectionCount = 64;
    private const int QuantileCount = 1000;
    private const int DirectionSeed = 20_151_102;

    /// <summary>The palette distance between two pictures, in 0–255 levels: 0 for the same colours in any arrangement.</summary>
    public static double Between(RgbImage a, RgbImage b)
    {
        using var scope = NewDisposeScope();
        var directions = Losses.RandomDirections(DirectionCount, DirectionSeed);
        var difference = Quantiles(a, directions) - Quantiles(b, directions);
        return 2 * difference.abs().mean().Value();
    }

    /// <summary>
    /// How far a result's colours are from the painting's, as a fraction of how far the photo's are:
    /// 1 is as far as the photo, 0 the painting's own palette.
    /// </summary>
    public static double Ratio(RgbImage result, RgbImage photo, RgbImage painting) =>
        Between(result, painting) / Between(photo, painting);

    private static Tensor Quantiles(RgbImage image, Tensor directions) =>
        Losses.ColorQuantiles(ImageTensor.ToTensor(image, float32, CPU), directions, QuantileCount);
}
