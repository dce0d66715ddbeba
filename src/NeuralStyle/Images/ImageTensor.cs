using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Images;

/// <summary>Conversions between <see cref="RgbImage"/> and tensors [1, 3, H, W] of RGB values in 0–255.</summary>
public static class ImageTensor
{
    /// <summary>The image as a float tensor [1, 3, H, W], values 0–255.</summary>
    public static Tensor ToTensor(RgbImage image, ScalarType dtype, Device device)
    {
        var values = new float[image.Pixels.Length];
        var plane = image.Width * image.Height;
        for (var p = 0; p < plane; p++)
        {
            values[p] = image.Pixels[p * 3];
            values[plane + p] = image.Pixels[(p * 3) + 1];
            values[(2 * plane) + p] = image.Pixels[(p * 3) + 2];
        }

        using var cpu = tensor(values, [1, 3, image.Height, image.Width]);
        return cpu.to(dtype, device);
    }

    /// <summary>The tensor [1, 3, H, W] as an image, clamped to 0–255 and rounded.</summary>
    public static RgbImage ToImage(Tensor rgb255)
    {
        using var scope = NewDisposeScope();
        var height = (int)rgb255.shape[2];
        var width = (int)rgb255.shape[3];
        var values = rgb255.detach().to(float32, CPU).Clamped(0, 255).round().contiguous().data<float>().ToArray();
        var plane = width * height;
        var pixels = new byte[plane * 3];
        for (var p = 0; p < plane; p++)
        {
            pixels[p * 3] = (byte)values[p];
            pixels[(p * 3) + 1] = (byte)values[plane + p];
            pixels[(p * 3) + 2] = (byte)values[(2 * plane) + p];
        }

        return new RgbImage(width, height, pixels);
    }

    /// <summary>The image's pixels as rows of R, G, B [W·H, 3] in float64, 0–255: the form colour statistics work on.</summary>
    public static Tensor ToPixelRows(RgbImage image) => tensor(image.Pixels, [image.Width * image.Height, 3]).to(float64);

    /// <summary>A tensor [1, 3, H, W] of RGB 0–255 as rows of R, G, B [W·H, 3] in float64 on the CPU, unrounded.</summary>
    public static Tensor ToPixelRows(Tensor rgb255) => rgb255.detach().to(float64, CPU)[0].permute(1, 2, 0).reshape(-1, 3);

    /// <summary>Rows of R, G, B [W·H, 3] in 0–255 as a 16-bit image of <paramref name="width"/> × <paramref name="height"/>, clamped and rounded.</summary>
    public static RgbImage16 FromPixelRows16(Tensor rows, int width, int height)
    {
        using var scope = NewDisposeScope();
        var values = rows.Clamped(0, 255).Times(257).round().to(int32).contiguous().data<int>().ToArray();
        return new RgbImage16(width, height, [.. values.Select(v => (ushort)v)]);
    }

    /// <summary>Rows of R, G, B [W·H, 3] as an image of <paramref name="width"/> × <paramref name="height"/>, clamped to 0–255 and rounded.</summary>
    public static RgbImage FromPixelRows(Tensor rows, int width, int height)
    {
        using var scope = NewDisposeScope();
        return new RgbImage(width, height, rows.Clamped(0, 255).round().to(ScalarType.Byte).contiguous().data<byte>().ToArray());
    }
}
