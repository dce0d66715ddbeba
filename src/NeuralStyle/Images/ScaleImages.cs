using NeuralStyle.Images;
using NeuralStyle.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Images;

/// <summary>The photo, the paintings, the masks and the start as tensors at one scale's size.</summary>
internal static class ScaleImages
{
    public static Tensor Scaled(RgbImage image, int width, int height, Device device) =>
        ImageTensor.ToTensor(ImageFile.Resize(image, width, height), float32, device);

    public static Tensor ScaledToSide(RgbImage image, int longestSide, Device device)
    {
        var (width, height) = image.SizeWithLongestSide(longestSide);
        return Scaled(image, width, height, device);
    }

    // The painting's pixels as the paper reads it (its longest side the picture's) over its pixels as read.
    public static double GramScale(RgbImage painting, int width, int height, int side)
    {
        var (paperWidth, paperHeight) = painting.SizeWithLongestSide(Math.Max(width, height));
        var (readWidth, readHeight) = painting.SizeWithLongestSide(side);
        return (double)paperWidth * paperHeight / ((double)readWidth * readHeight);
    }

    // A grey-level mask as weights 0–1 [1, 1, H, W] at the picture's size.
    public static Tensor MaskTensor(RgbImage mask, int width, int height, Device device) =>
        Scaled(mask, width, height, device).mean([1], keepdim: true).OverInPlace(255);

    // An image reduced factor times on each side by averaging over each new pixel's area.
    public static Tensor Reduced(Tensor image, int factor) => nn.functional.interpolate(
        image,
        [Math.Max(1, (long)Math.Round(image.shape[2] / (double)factor)), Math.Max(1, (long)Math.Round(image.shape[3] / (double)factor))],
        mode: InterpolationMode.Area);

    public static Tensor Enlarge(Tensor image, long height, long width) =>
        nn.functional.interpolate(image, [height, width], mode: InterpolationMode.Bicubic, align_corners: false).Clamped(0, 255);

    public static Tensor InitialImage(InitialImage init, StyleTransferOptions options, Tensor content, RgbImage style, Device device)
    {
        var (height, width) = ((int)content.shape[2], (int)content.shape[3]);
        switch (init.Kind)
        {
            case InitKind.Content:
                return content.clone();
            case InitKind.Style:
                return Scaled(style, width, height, device);
            case InitKind.Noise:
                using (var generator = new Generator((ulong)(options.Seed ?? Random.Shared.Next())))
                {
                    return randn([1, 3, height, width], generator: generator).Times(options.NoiseStdDev).Plus(127.5).to(device);
                }

            default:
                return Scaled(ImageFile.Load(init.Path!, Math.Max(width, height)), width, height, device);
        }
    }
}
