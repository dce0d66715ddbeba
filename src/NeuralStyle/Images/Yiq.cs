using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Images;

/// <summary>
/// The YIQ colour space (NTSC, FCC 1953): Y the luminance, I and Q the chrominance, a linear map of
/// RGB; the inverse is the matrix's own inverse, so a picture's own Y, I and Q give it back exactly.
/// </summary>
public static class Yiq
{
    private static readonly double[] Forward =
    [
        0.299, 0.587, 0.114,
        0.596, -0.274, -0.322,
        0.211, -0.523, 0.312,
    ];

    /// <summary>The picture's Y, I and Q, one row [3] per pixel [W·H, 3], in 0–255 units.</summary>
    public static Tensor Of(RgbImage image) =>
        ImageTensor.ToPixelRows(image).mm(Matrix().t());

    /// <summary>The picture as grey: its luminance in all three channels.</summary>
    public static RgbImage Grey(RgbImage image)
    {
        using var scope = NewDisposeScope();
        return ImageTensor.FromPixelRows(Of(image)[.., ..1].expand(-1, 3), image.Width, image.Height);
    }

    /// <summary>
    /// <paramref name="image"/>'s luminance, shifted and scaled to the mean and standard deviation of
    /// <paramref name="reference"/>'s, as a grey picture.
    /// </summary>
    public static RgbImage GreyMatching(RgbImage image, RgbImage reference)
    {
        using var scope = NewDisposeScope();
        var y = Of(image)[.., ..1];
        var target = Of(reference)[.., ..1];
        var matched = ((y - y.mean()) / y.std().AtLeast(1e-6) * target.std()).Plus(target.mean());
        return ImageTensor.FromPixelRows(matched.expand(-1, 3), image.Width, image.Height);
    }

    /// <summary>
    /// The luminance of <paramref name="luminance"/> with the chrominance (I, Q) of
    /// <paramref name="chrominance"/> resized to its size, clipped to 0–255.
    /// </summary>
    public static RgbImage Join(RgbImage luminance, RgbImage chrominance)
    {
        using var scope = NewDisposeScope();
        return ImageTensor.FromPixelRows(Join(ImageTensor.ToPixelRows(luminance), luminance.Width, luminance.Height, chrominance), luminance.Width, luminance.Height);
    }

    /// <summary>
    /// The luminance of the pixel rows <paramref name="luminance"/> [W·H, 3] (0–255, unrounded) with the
    /// chrominance of <paramref name="chrominance"/> resized to <paramref name="width"/> × <paramref name="height"/>, as pixel rows.
    /// </summary>
    public static Tensor Join(Tensor luminance, int width, int height, RgbImage chrominance)
    {
        var sized = chrominance.Width == width && chrominance.Height == height
            ? chrominance
            : ImageFile.Resize(chrominance, width, height);
        var joined = cat([luminance.mm(Matrix().t())[.., ..1], Of(sized)[.., 1..]], 1);
        return joined.mm(linalg.inv(Matrix()).t());
    }

    private static Tensor Matrix() => tensor(Forward, [3, 3]);
}
