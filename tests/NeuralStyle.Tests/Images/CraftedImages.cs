using System.Buffers.Binary;
using System.IO.Compression;
using NeuralStyle.Images;
using SkiaSharp;

namespace NeuralStyle.Tests.Images;

/// <summary>Image files written byte by byte, for what an encoder will not write: huge headers, EXIF orientation, alpha.</summary>
internal static class CraftedImages
{
    private static readonly uint[] CrcTable = [.. Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }

        return c;
    })];

    /// <summary>
    /// A valid PNG header for an 8-bit RGB picture of <paramref name="width"/> × <paramref name="height"/>
    /// pixels followed by one row of image data only: what a decoder sees before it allocates anything.
    /// </summary>
    public static void PngPromising(string path, int width, int height)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        using var data = new MemoryStream();
        using (var zlib = new ZLibStream(data, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(new byte[1 + (3 * width)]);
        }

        using var file = File.Create(path);
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(file, "IHDR", header);
        WriteChunk(file, "IDAT", data.ToArray());
        WriteChunk(file, "IEND", []);
    }

    /// <summary>A JPEG of <paramref name="image"/> whose EXIF says how to turn it for display (1–8; 6: a quarter turn clockwise).</summary>
    public static void JpegWithOrientation(string path, RgbImage image, ushort orientation)
    {
        var folder = Path.GetDirectoryName(path)!;
        var plain = Path.Combine(folder, "plain-" + Path.GetFileName(path));
        ImageFile.SaveAtomically(image, plain);
        var jpeg = File.ReadAllBytes(plain);
        File.Delete(plain);

        // APP1: "Exif\0\0", then a little-endian TIFF header and one IFD with the orientation tag (0x0112, SHORT).
        byte[] tiff = [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte)orientation, (byte)(orientation >> 8), 0, 0, 0, 0, 0, 0];
        byte[] exif = [.. "Exif\0\0"u8, .. tiff];
        var length = exif.Length + 2;
        byte[] app1 = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. exif];
        File.WriteAllBytes(path, [.. jpeg[..2], .. app1, .. jpeg[2..]]);
    }

    /// <summary>A PNG with an alpha channel, pixels given as (R, G, B, A) row by row, unpremultiplied.</summary>
    public static void PngWithAlpha(string path, int width, int height, (byte R, byte G, byte B, byte A)[] pixels)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var span = bitmap.GetPixelSpan();
        for (var i = 0; i < pixels.Length; i++)
        {
            (span[i * 4], span[(i * 4) + 1], span[(i * 4) + 2], span[(i * 4) + 3]) = pixels[i];
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    /// <summary>A smooth picture of <paramref name="width"/> × <paramref name="height"/>: red grows across, green down, blue is 77.</summary>
    public static RgbImage Gradient(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (var i = 0; i < width * height; i++)
        {
            pixels[i * 3] = (byte)((long)(i % width) * 255 / width);
            pixels[(i * 3) + 1] = (byte)((long)(i / width) * 255 / height);
            pixels[(i * 3) + 2] = 77;
        }

        return new RgbImage(width, height, pixels);
    }

    private static void WriteChunk(Stream file, string type, byte[] data)
    {
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        var buffer = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        file.Write(buffer);
        file.Write(typeBytes);
        file.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(buffer, Crc([.. typeBytes, .. data]));
        file.Write(buffer);
    }

    private static uint Crc(byte[] bytes)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        }

        return c ^ 0xFFFFFFFFu;
    }
}
