using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace NeuralStyle.Tests.Images;

/// <summary>
/// Reads the samples of a 16-bit RGB PNG whose rows are unfiltered, as the writer makes them: the
/// test's own reading of the format, since SkiaSharp decodes such files to 8 bits only.
/// </summary>
internal static class Png16Reader
{
    public static (int Width, int Height, ushort[] Samples) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal([137, 80, 78, 71, 13, 10, 26, 10], bytes[..8]);
        var (width, height) = (0, 0);
        using var deflated = new MemoryStream();
        for (var at = 8; at < bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            var type = Encoding.ASCII.GetString(bytes, at + 4, 4);
            var data = bytes.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                (width, height) = (BinaryPrimitives.ReadInt32BigEndian(data), BinaryPrimitives.ReadInt32BigEndian(data[4..]));
                Assert.Equal((16, 2), (data[8], data[9]));
            }
            else if (type == "IDAT")
            {
                deflated.Write(data);
            }

            at += 12 + length;
        }

        deflated.Position = 0;
        using var zlib = new ZLibStream(deflated, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var rows = raw.ToArray();
        var stride = 1 + (width * 6);
        Assert.Equal(stride * height, rows.Length);
        var samples = new ushort[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            Assert.Equal(0, rows[y * stride]);
            for (var i = 0; i < width * 3; i++)
            {
                samples[(y * width * 3) + i] = BinaryPrimitives.ReadUInt16BigEndian(rows.AsSpan((y * stride) + 1 + (2 * i)));
            }
        }

        return (width, height, samples);
    }
}
