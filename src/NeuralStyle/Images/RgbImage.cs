namespace NeuralStyle.Images;

/// <summary>An 8-bit RGB image, pixels row by row, three bytes each.</summary>
public sealed class RgbImage
{
    /// <summary>Wraps pixels; <paramref name="pixels"/> must hold width × height × 3 bytes.</summary>
    public RgbImage(int width, int height, byte[] pixels)
    {
        if (width <= 0 || height <= 0 || pixels.Length != width * height * 3)
        {
            throw new ArgumentException($"{width}×{height} RGB needs {width * height * 3} bytes, got {pixels.Length}", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>R, G, B bytes of each pixel, row by row.</summary>
    public byte[] Pixels { get; }

    /// <summary>The size that keeps this image's aspect ratio with <paramref name="longestSide"/> as its longer side.</summary>
    public (int Width, int Height) SizeWithLongestSide(int longestSide) => SizeWithLongestSide(Width, Height, longestSide);

    /// <summary>The size that keeps <paramref name="width"/> × <paramref name="height"/>'s aspect ratio with <paramref name="longestSide"/> as its longer side.</summary>
    public static (int Width, int Height) SizeWithLongestSide(int width, int height, int longestSide) => width >= height
        ? (longestSide, Math.Max(1, (int)Math.Round((double)height * longestSide / width)))
        : (Math.Max(1, (int)Math.Round((double)width * longestSide / height)), longestSide);
}
