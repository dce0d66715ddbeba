using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Images;

/// <summary>
/// Gives a picture another's colour statistics: the linear map of RGB that moves its pixels' mean and
/// covariance onto the other's with the least displacement (the optimal transport map between two
/// Gaussians, Monge–Kantorovich; Pitié &amp; Kokaram 2007): x ↦ μ_t + A (x − μ_s) with
/// A = Σ_s^{-½} (Σ_s^{½} Σ_t Σ_s^{½})^{½} Σ_s^{-½}, symmetric square roots by eigendecomposition.
/// Of the maps that match the two moments it turns the colours least, so the picture keeps its own
/// shading and the hue relations between its objects.
/// </summary>
public static class ColorTransfer
{
    // Keeps the inverse square root finite for a picture with almost no spread in some colour direction.
    private const double Floor = 1e-2;

    /// <summary>
    /// <paramref name="source"/> with the mean and covariance of <paramref name="target"/>'s colours,
    /// clipped to 0–255; with <paramref name="amount"/> below 1, each pixel goes that fraction of the way.
    /// </summary>
    public static RgbImage Matching(RgbImage source, RgbImage target, double amount = 1) =>
        Matching(source, [(target, 1)], amount);

    /// <summary>
    /// <paramref name="source"/> with the colour mean and covariance of the targets' mixture, each
    /// target's pixels counting by its weight (weights summing to 1); see <see cref="Matching(RgbImage, RgbImage, double)"/>.
    /// </summary>
    public static RgbImage Matching(RgbImage source, IReadOnlyList<(RgbImage Image, double Weight)> targets, double amount = 1)
    {
        using var scope = NewDisposeScope();
        var x = ImageTensor.ToPixelRows(source);
        return ImageTensor.FromPixelRows(Mapped(x, targets, amount), source.Width, source.Height);
    }

    /// <summary>
    /// <paramref name="source"/> recoloured region by region: toward each target's colours (as
    /// <see cref="Matching(RgbImage, RgbImage, double)"/>) in proportion to its grey-level mask (white:
    /// fully), keeping its own where every mask is black. Masks are at the source's size.
    /// </summary>
    public static RgbImage MatchingRegions(RgbImage source, IReadOnlyList<(RgbImage Image, RgbImage Mask)> regions, double amount = 1)
    {
        using var scope = NewDisposeScope();
        var x = ImageTensor.ToPixelRows(source);
        var result = x.clone();
        foreach (var (image, mask) in regions)
        {
            var share = ImageTensor.ToPixelRows(mask).mean([1], keepdim: true).Over(255);
            result.PlusInPlace((Mapped(x, [(image, 1)], amount) - x) * share);
        }

        return ImageTensor.FromPixelRows(result, source.Width, source.Height);
    }

    /// <summary>
    /// The recolouring that <see cref="Matching(RgbImage, IReadOnlyList{ValueTuple{RgbImage, double}}, double)"/>
    /// gives <paramref name="source"/>, as a map to apply to other pictures too: the frames of a clip,
    /// each then recoloured the same way instead of by its own statistics.
    /// </summary>
    public static Func<RgbImage, RgbImage> MapOf(RgbImage source, IReadOnlyList<(RgbImage Image, double Weight)> targets, double amount = 1)
    {
        using var scope = NewDisposeScope();
        var (sourceMean, map, targetMean) = AffineMap(ImageTensor.ToPixelRows(source), targets);
        var (sourceMeanValues, mapValues, targetMeanValues) = (Values(sourceMean), Values(map), Values(targetMean));
        return picture =>
        {
            using var pictureScope = NewDisposeScope();
            var x = ImageTensor.ToPixelRows(picture);
            var mapped = Applied(x, (tensor(sourceMeanValues, [1, 3]), tensor(mapValues, [3, 3]), tensor(targetMeanValues, [1, 3])), amount);
            return ImageTensor.FromPixelRows(mapped, picture.Width, picture.Height);
        };
    }

    // Pixel rows [P, 3] mapped onto the weighted targets' mean and covariance, each pixel moved that fraction of the way.
    private static Tensor Mapped(Tensor x, IReadOnlyList<(RgbImage Image, double Weight)> targets, double amount) =>
        Applied(x, AffineMap(x, targets), amount);

    private static Tensor Applied(Tensor x, (Tensor SourceMean, Tensor Map, Tensor TargetMean) affine, double amount) =>
        x.lerp((x - affine.SourceMean).mm(affine.Map.t()).Plus(affine.TargetMean), amount);

    // x ↦ μ_t + A (x − μ_s) for the pixel rows x and the weighted targets.
    private static (Tensor SourceMean, Tensor Map, Tensor TargetMean) AffineMap(Tensor x, IReadOnlyList<(RgbImage Image, double Weight)> targets)
    {
        var (sourceMean, sourceCovariance) = Moments(x);
        var moments = targets.Select(t => (Moments(ImageTensor.ToPixelRows(t.Image)), t.Weight)).ToList();
        var targetMean = moments.Select(m => m.Item1.Mean.Times(m.Weight)).Aggregate((a, b) => a.Plus(b));

        // The mixture's covariance: each target's own plus the spread of its mean about the mixture's.
        var targetCovariance = moments.Select(m =>
        {
            var offset = m.Item1.Mean - targetMean;
            return m.Item1.Covariance.Plus(offset.t().mm(offset)).Times(m.Weight);
        }).Aggregate((a, b) => a.Plus(b));
        var root = SymmetricPower(sourceCovariance, 0.5);
        var inverseRoot = SymmetricPower(sourceCovariance, -0.5);
        var map = inverseRoot.mm(SymmetricPower(root.mm(targetCovariance).mm(root), 0.5)).mm(inverseRoot);
        return (sourceMean, map, targetMean);
    }

    private static double[] Values(Tensor t) => t.contiguous().data<double>().ToArray();

    private static (Tensor Mean, Tensor Covariance) Moments(Tensor pixels)
    {
        var mean = pixels.mean([0], keepdim: true);
        var centred = pixels - mean;
        return (mean, centred.t().mm(centred).Over(pixels.shape[0]));
    }

    private static Tensor SymmetricPower(Tensor matrix, double power)
    {
        var (values, vectors) = linalg.eigh(matrix);
        return vectors.mm(diag(values.AtLeast(Floor).Power(power))).mm(vectors.t());
    }
}
