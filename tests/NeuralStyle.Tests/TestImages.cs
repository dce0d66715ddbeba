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
}
