using System.Buffers.Binary;

namespace NeuralStyle.Networks.Weights;

/// <summary>Decodes little-endian stored floating-point values of the element types weight files use.</summary>
internal static class ScalarDecoding
{
    /// <summary>Bytes per element of a storage type, or null when it is not a floating-point type we read.</summary>
    public static int? ElementSize(string dtype) => dtype switch
    {
        "F32" => 4,
        "F64" => 8,
        "F16" or "BF16" => 2,
        _ => null,
    };

    /// <summary>Reads <paramref name="count"/> values of <paramref name="dtype"/> from <paramref name="bytes"/> as float32.</summary>
    public static float[] ToSingles(ReadOnlySpan<byte> bytes, string dtype, long count)
    {
        var size = ElementSize(dtype) ?? throw new ArgumentException($"unsupported dtype {dtype}", nameof(dtype));
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            var at = bytes.Slice(i * size, size);
            values[i] = dtype switch
            {
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(at),
                "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(at),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(at),
                _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(at) << 16),
            };
        }

        return values;
    }
}
