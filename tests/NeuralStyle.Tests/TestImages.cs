using NeuralStyle.Images;
using static TorchSharp.torch;

namespace NeuralStyle.Tests;

/// <summary>The shared pictures the tests paint with, decoded once.</summary>
internal static class TestImages
{
    public static string PhotoPath { get; } = SharedData.Image("tubingen.jpg");

    public static string PaintingPath { get; } = SharedData.Image("starry_night.jpg");

    /// <summary>tubingen.jpg, the paper's photograph (4:3).</summary>
    public static RgbImage Photo { get; } = ImageFile.Load(PhotoPath);

    /// <summary>starry_night.jpg.</summary>
    public static RgbImage Painting { get; } = ImageFile.Load(PaintingPath);

    /// <summary>The image resized to <paramref name="width"/> × <paramref name="height"/> as a float32 tensor [1, 3, H, W] on the CPU.</summary>
    public static Tensor Tensor(RgbImage image, int width, int height) =>
        ImageTensor.ToTensor(ImageFile.Resize(image, width, height), float32, CPU);

    /// <summary>Mean absolute difference of two images' bytes (0–255).</summary>
    public static double MeanAbsoluteDifference(RgbImage a, RgbImage b) => a.Pixels.Zip(b.Pixels, (x, y) => Math.Abs(x - y)).Average();

    /// <summary>
    /// The largest seam that <paramref name="image"/> has and <paramref name="reference"/> has not along
    /// the lines every <paramref name="every"/> pixels (tile borders), in levels: in their difference,
    /// the mean signed step from one side of a line to the other along all of it and over the channels
    /// (edges that cross it both ways cancel; a seam does not), less the mean of that step's size
    /// across the two lines on either side.
    /// </summary>
    public static double SeamStep(RgbImage image, RgbImage reference, int every)
    {
        double Difference(int pixel, int ch) => (double)image.Pixels[(pixel * 3) + ch] - reference.Pixels[(pixel * 3) + ch];
        double Step(int at, bool rows) => Math.Abs(Enumerable.Range(0, rows ? image.Width : image.Height).Average(k =>
            Enumerable.Range(0, 3).Average(ch =>
            {
                var (here, before) = rows ? ((at * image.Width) + k, ((at - 1) * image.Width) + k) : ((k * image.Width) + at, (k * image.Width) + at - 1);
                return Difference(here, ch) - Difference(before, ch);
            })));

        var borders = Enumerable.Range(1, (image.Width - 3) / every).Select(b => (At: b * every, Rows: false))
            .Concat(Enumerable.Range(1, (image.Height - 3) / every).Select(b => (At: b * every, Rows: true)));
        return borders.Max(b => Step(b.At, b.Rows) - new[] { -2, -1, 1, 2 }.Average(d => Step(b.At + d, b.Rows)));
    }
}
