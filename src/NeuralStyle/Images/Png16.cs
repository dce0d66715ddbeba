using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace NeuralStyle.Images;

/// <summary>
/// Writes 16-bit RGB PNG files (PNG specification, ISO/IEC 15948): SkiaSharp encodes 16-bit
/// pictures to nothing on Linux, so this writer does it. Rows are unfiltered and deflated once.
/// </summary>
internal static class Png16
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];
    private static readonly uint[] CrcTable = BuildCrcTable();

    public static void Write(RgbImage16 image, Stream output)
    {
        output.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), image.Height);
        header[8] = 16; // bits per sample
        header[9] = 2; // colour type: RGB
        WriteChunk(output, "IHDR", header);

        using var deflated = new MemoryStream();
        using (var zlib = new ZLibStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[1 + (image.Width * 6)];
            for (var y = 0; y < image.Height; y++)
            {
                // row[0] stays 0: filter type None.
                var samples = image.Pixels.AsSpan(y * image.Width * 3, image.Width * 3);
                for (var i = 0; i < samples.Length; i++)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(row.AsSpan(1 + (2 * i)), samples[i]);
                }

                zlib.Write(row);
            }
        }

        WriteChunk(output, "IDAT", deflated.ToArray());
        WriteChunk(output, "IEND", []);
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc(Crc(uint.MaxValue, typeBytes), data) ^ uint.MaxValue);
        output.Write(word);
    }

    // CRC-32 as the PNG specification defines it (polynomial 0xEDB88320, reflected).
    private static uint Crc(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
