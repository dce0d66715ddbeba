using SkiaSharp;

namespace NeuralStyle.Images;

/// <summary>Decoding, resizing and atomic saving of images (SkiaSharp).</summary>
public static class ImageFile
{
    private const int JpegQuality = 95;

    /// <summary>True when <paramref name="path"/> ends in an extension we can write (.png, .jpg, .jpeg).</summary>
    public static bool CanWrite(string path) => FormatOf(path) is not null;

    /// <summary>Decodes an image file, applying its EXIF orientation.</summary>
    /// <exception cref="StyleTransferException">The file is missing or is not an image that can be decoded.</exception>
    public static RgbImage Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new StyleTransferException($"{path}: no such image file");
        }

        using var codec = SKCodec.Create(path)
            ?? throw new StyleTransferException($"{path}: not an image that can be decoded (corrupt, or not PNG/JPEG/WebP/GIF/BMP)");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var decoded = new SKBitmap(info);
        var result = codec.GetPixels(info, decoded.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw new StyleTransferException(result == SKCodecResult.IncompleteInput
                ? $"{path}: the image is truncated"
                : $"{path}: the image could not be decoded ({result})");
        }

        using var oriented = Orient(decoded, codec.EncodedOrigin);
        return FromBitmap(oriented);
    }

    /// <summary>Resizes to exactly <paramref name="width"/> × <paramref name="height"/> with a cubic filter (halving first when shrinking a lot, to avoid aliasing).</summary>
    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        if (image.Width == width && image.Height == height)
        {
            return image;
        }

        var bitmap = ToBitmap(image);
        while (bitmap.Width >= width * 2 && bitmap.Height >= height * 2)
        {
            var half = bitmap.Resize(new SKImageInfo(bitmap.Width / 2, bitmap.Height / 2, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKFilterMode.Linear));
            bitmap.Dispose();
            bitmap = half;
        }

        using (bitmap)
        {
            using var resized = bitmap.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKCubicResampler.Mitchell));
            return FromBitmap(resized);
        }
    }

    /// <summary>
    /// Writes PNG or JPEG (by extension) through a temporary file in the same folder that is then renamed,
    /// so that <paramref name="path"/> never holds a half-written image.
    /// </summary>
    /// <exception cref="StyleTransferException">The extension is not .png/.jpg/.jpeg or the folder cannot be written.</exception>
    public static void SaveAtomically(RgbImage image, string path)
    {
        var format = FormatOf(path) ?? throw new StyleTransferException($"{path}: output must end in .png, .jpg or .jpeg");
        using var bitmap = ToBitmap(image);
        using var data = bitmap.Encode(format, JpegQuality)
            ?? throw new StyleTransferException($"{path}: the image could not be encoded");
        var full = System.IO.Path.GetFullPath(path);
        var temporary = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full)!, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var file = File.Create(temporary))
            {
                data.SaveTo(file);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new StyleTransferException($"{path}: cannot write the image ({e.Message})", e);
        }
    }

    private static SKEncodedImageFormat? FormatOf(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => SKEncodedImageFormat.Png,
        ".jpg" or ".jpeg" => SKEncodedImageFormat.Jpeg,
        _ => null,
    };

    private static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        var swaps = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (w, h) = swaps ? (source.Height, source.Width) : (source.Width, source.Height);
        var result = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using var canvas = new SKCanvas(result);
        canvas.SetMatrix(origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, w, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, w, -1, 0, h, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, h, 0, 0, 1),
            _ => SKMatrix.Identity,
        });
        canvas.DrawBitmap(source, 0, 0);
        return result;
    }

    internal static RgbImage FromBitmap(SKBitmap bitmap)
    {
        var rgba = bitmap.GetPixelSpan();
        var rgb = new byte[bitmap.Width * bitmap.Height * 3];
        for (int i = 0, j = 0; j < rgb.Length; i += 4, j += 3)
        {
            // Transparent pixels count as composited over white, as a viewer shows them.
            var alpha = rgba[i + 3];
            for (var c = 0; c < 3; c++)
            {
                rgb[j + c] = (byte)(((rgba[i + c] * alpha) + (255 * (255 - alpha)) + 127) / 255);
            }
        }

        return new RgbImage(bitmap.Width, bitmap.Height, rgb);
    }

    internal static SKBitmap ToBitmap(RgbImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var rgba = new byte[image.Width * image.Height * 4];
        for (int i = 0, j = 0; j < image.Pixels.Length; i += 4, j += 3)
        {
            rgba[i] = image.Pixels[j];
            rgba[i + 1] = image.Pixels[j + 1];
            rgba[i + 2] = image.Pixels[j + 2];
            rgba[i + 3] = 255;
        }

        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }
}
