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
    public static RgbImage Matching(RgbImage source, RgbImage target, double amount = 1)
    {
        using var scope = NewDisposeScope();
        var x = ImageTensor.ToPixelRows(source);
        var (sourceMean, sourceCovariance) = Moments(x);
        var (targetMean, targetCovariance) = Moments(ImageTensor.ToPixelRows(target));
        var root = SymmetricPower(sourceCovariance, 0.5);
        var inverseRoot = SymmetricPower(sourceCovariance, -0.5);
        var map = inverseRoot.mm(SymmetricPower(root.mm(targetCovariance).mm(root), 0.5)).mm(inverseRoot);
        var mapped = x.lerp((x - sourceMean).mm(map.t()) + targetMean, amount);
        return ImageTensor.FromPixelRows(mapped, source.Width, source.Height);
    }

    private static (Tensor Mean, Tensor Covariance) Moments(Tensor pixels)
    {
        var mean = pixels.mean([0], keepdim: true);
        var centred = pixels - mean;
        return (mean, centred.t().mm(centred) / pixels.shape[0]);
    }

    private static Tensor SymmetricPower(Tensor matrix, double power)
    {
        var (values, vectors) = linalg.eigh(matrix);
        return vectors.mm(diag(values.clamp_min(Floor).pow(power))).mm(vectors.t());
    }
}
