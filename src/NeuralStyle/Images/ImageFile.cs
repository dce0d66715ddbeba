using System.Globalization;
using SkiaSharp;

namespace NeuralStyle.Images;

/// <summary>Decoding, resizing and atomic saving of images (SkiaSharp).</summary>
public static class ImageFile
{
    private const int JpegQuality = 95;

    /// <summary>
    /// The most pixels a picture may have as decoded (after the reduced-scale decoding that JPEG and
    /// WebP allow): 250 megapixels, a gigabyte as decoded. Larger pictures are refused before
    /// anything is allocated.
    /// </summary>
    public const long MaxDecodedPixels = 250_000_000;

    /// <summary>
    /// Decodes an image file, applying its EXIF orientation. The dimensions are read first, and a
    /// picture larger than needed is reduced without ever going below <paramref name="longestSide"/>
    /// on its longest side: decoded at the smallest scale its codec supports (JPEG in eighths, WebP any),
    /// then halved while it stays at least twice that.
    /// </summary>
    /// <param name="path">The image file.</param>
    /// <param name="longestSide">The longest side the caller will use at most; the default keeps every pixel.</param>
    /// <exception cref="StyleTransferException">The file is missing, is not an image that can be decoded, or has more than <see cref="MaxDecodedPixels"/> pixels as decoded.</exception>
    public static RgbImage Load(string path, int longestSide = int.MaxValue)
    {
        using var codec = Open(path);
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        var decoded = DecodedSize(codec, longestSide);
        if ((long)decoded.Width * decoded.Height > MaxDecodedPixels)
        {
            throw new StyleTransferException(string.Create(
                CultureInfo.InvariantCulture,
                $"{path}: {width}×{height} pixels ({(double)width * height / 1e6:0} megapixels) is more than the {MaxDecodedPixels / 1e6:0} megapixels this tool decodes; reduce the picture first"));
        }

        var info = new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = Allocate(info, path);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new StyleTransferException(result == SKCodecResult.IncompleteInput
                ? $"{path}: the image is truncated"
                : $"{path}: the image could not be decoded ({result})");
        }

        while (Math.Max(bitmap.Width, bitmap.Height) >= 2L * longestSide)
        {
            bitmap = Halved(bitmap);
        }

        using (bitmap)
        using (var oriented = Orient(bitmap, codec.EncodedOrigin))
        {
            return FromBitmap(oriented);
        }
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
            bitmap = Halved(bitmap);
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
        // Opaque: the PNG encoder then writes RGB without an alpha channel.
        using var bitmap = ToBitmap(image, SKAlphaType.Opaque);
        using var data = bitmap.Encode(format, JpegQuality)
            ?? throw new StyleTransferException($"{path}: the image could not be encoded");
        WriteAtomically(path, data.SaveTo);
    }

    /// <summary>The picture as PNG bytes (an answer to a request, for one).</summary>
    public static byte[] EncodePng(RgbImage image)
    {
        using var bitmap = ToBitmap(image, SKAlphaType.Opaque);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100) ?? throw new StyleTransferException("the picture could not be encoded");
        return data.ToArray();
    }

    /// <summary>
    /// Saves a 16-bit picture as a 16-bit RGB PNG, atomically as <see cref="SaveAtomically(RgbImage, string)"/>.
    /// </summary>
    /// <exception cref="StyleTransferException">The path does not end in .png, or the file cannot be written.</exception>
    public static void SaveAtomically(RgbImage16 image, string path)
    {
        if (FormatOf(path) != SKEncodedImageFormat.Png)
        {
            throw new StyleTransferException($"{path}: 16 bits per channel are written as .png only");
        }

        WriteAtomically(path, stream => Png16.Write(image, stream));
    }

    /// <summary>
    /// Writes a file through a temporary file beside it, renamed over it, so that the file is either the
    /// old one or the whole new one; for the pictures and for whatever a caller keeps beside them.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="write">Writes the content.</param>
    /// <param name="what">What is written, as the error names it.</param>
    /// <exception cref="StyleTransferException">It cannot be written; the temporary file is gone.</exception>
    public static void WriteAtomically(string path, Action<Stream> write, string what = "the image")
    {
        var full = Path.GetFullPath(path);
        var temporary = TemporaryPath(full);
        try
        {
            using (var file = File.Create(temporary))
            {
                write(file);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new StyleTransferException($"{path}: cannot write {what} ({e.Message})", e);
        }
    }

    /// <summary>
    /// Checks, before any work, that a picture can be saved at <paramref name="path"/>: its extension is
    /// .png, .jpg or .jpeg, it is not a folder, and its folder exists and takes a new file.
    /// </summary>
    /// <exception cref="StyleTransferException">It cannot; the message says why.</exception>
    public static void RequireWritable(string path)
    {
        _ = FormatOf(path) ?? throw new StyleTransferException($"{path}: output must end in .png, .jpg or .jpeg");
        if (Directory.Exists(Path.GetFullPath(path)))
        {
            throw new StyleTransferException($"{path}: is a folder, not a file name");
        }

        RequireWritableFolder(path);
    }

    /// <summary>Checks, before any work, that the folder <paramref name="path"/> lies in exists and takes a new file.</summary>
    /// <exception cref="StyleTransferException">It does not; the message says why.</exception>
    public static void RequireWritableFolder(string path)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new StyleTransferException($"{path}: folder {folder} does not exist");
        }

        var probe = TemporaryPath(full);
        try
        {
            File.Create(probe).Dispose();
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StyleTransferException($"{path}: cannot write in folder {folder} ({e.Message})", e);
        }
    }

    // The smallest size the codec decodes to whose longest side still reaches the one asked for:
    // JPEG decodes at k/8 of its size, WebP at any scale, the others whole.
    /// <summary>An image file's width and height, read from its header.</summary>
    /// <exception cref="StyleTransferException">The file is missing or is not an image that can be decoded.</exception>
    public static (int Width, int Height) ReadSize(string path)
    {
        using var codec = Open(path);
        return (codec.Info.Width, codec.Info.Height);
    }

    // A pipe or a device reads as a file of no length (and a pipe's reader waits for a writer for ever):
    // refused as an empty file is, before anything reads it.
    private static SKCodec Open(string path) => !File.Exists(path)
        ? throw new StyleTransferException($"{path}: no such image file")
        : new FileInfo(path).Length == 0 ? throw new StyleTransferException($"{path}: not an image file (empty, or a device or a pipe)")
        : SKCodec.Create(path) ?? throw new StyleTransferException($"{path}: not an image that can be decoded (corrupt, or not PNG/JPEG/WebP/GIF/BMP)");

    private static SKSizeI DecodedSize(SKCodec codec, int longestSide)
    {
        var full = new SKSizeI(codec.Info.Width, codec.Info.Height);
        var needed = Math.Min(longestSide, Math.Max(full.Width, full.Height));
        var exact = (float)needed / Math.Max(full.Width, full.Height);
        return Enumerable.Range(1, 8).Select(k => k / 8f).Append(exact)
            .Select(codec.GetScaledDimensions)
            .Where(size => Math.Max(size.Width, size.Height) >= needed)
            .Append(full)
            .MinBy(size => (long)size.Width * size.Height);
    }

    // Halves a bitmap with a linear filter and disposes it: reducing by powers of two first keeps the
    // final cubic filter from aliasing when a picture shrinks a lot.
    private static SKBitmap Halved(SKBitmap bitmap)
    {
        using (bitmap)
        {
            // A side of one pixel stays one (a 1 × 10000 strip halves to 1 × 5000).
            return bitmap.Resize(new SKImageInfo(Math.Max(1, bitmap.Width / 2), Math.Max(1, bitmap.Height / 2), SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKFilterMode.Linear));
        }
    }

    private static SKBitmap Allocate(SKImageInfo info, string path)
    {
        try
        {
            return new SKBitmap(info);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // SkiaSharp reports a failed allocation with a plain Exception.
            throw new StyleTransferException(string.Create(CultureInfo.InvariantCulture, $"{path}: not enough memory to decode {info.Width}×{info.Height} pixels"), e);
        }
    }

    // Beside the target, hidden, and unique to this process: renamed over the target once complete.
    private static string TemporaryPath(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.tmp");

    private static SKEncodedImageFormat? FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
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

    internal static SKBitmap ToBitmap(RgbImage image, SKAlphaType alpha = SKAlphaType.Unpremul)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, alpha));
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
