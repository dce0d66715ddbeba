namespace NeuralStyle.Images;

/// <summary>
/// An RGB image with 16 bits per channel (0–65535; 257 times the 8-bit scale), pixels row by row,
/// three values each: the optimised picture before it is rounded to 8 bits, for prints.
/// </summary>
public sealed class RgbImage16
{
    /// <summary>Wraps pixels; <paramref name="pixels"/> must hold width × height × 3 values.</summary>
    public RgbImage16(int width, int height, ushort[] pixels)
    {
        if (width <= 0 || height <= 0 || pixels.Length != width * height * 3)
        {
            throw new ArgumentException($"{width}×{height} RGB needs {width * height * 3} values, got {pixels.Length}", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>R, G, B values of each pixel, row by row.</summary>
    public ushort[] Pixels { get; }
}
