namespace NeuralStyle.Networks;

/// <summary>Writes protocol-buffer fields: the painter files (ONNX), and the tests' ONNX and Caffe files.</summary>
internal static class ProtobufWriter
{
    /// <summary>A varint field.</summary>
    public static void Varint(Stream stream, int field, long value)
    {
        Raw(stream, (ulong)(field << 3));
        Raw(stream, (ulong)value);
    }

    /// <summary>A length-delimited field: a string, a message, packed values.</summary>
    public static void Bytes(Stream stream, int field, byte[] bytes)
    {
        Raw(stream, (ulong)((field << 3) | 2));
        Raw(stream, (ulong)bytes.Length);
        stream.Write(bytes);
    }

    /// <summary>A 32-bit float field.</summary>
    public static void Float(Stream stream, int field, float value)
    {
        Raw(stream, (ulong)((field << 3) | 5));
        stream.Write(BitConverter.GetBytes(value));
    }

    /// <summary>A length-delimited field holding a UTF-8 string.</summary>
    public static void Text(Stream stream, int field, string text) => Bytes(stream, field, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Floats as packed little-endian bytes (also ONNX's raw_data).</summary>
    public static byte[] Packed(float[] values) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>Integers as a packed varint field's contents.</summary>
    public static byte[] PackedVarints(IEnumerable<long> values)
    {
        var stream = new MemoryStream();
        foreach (var value in values)
        {
            Raw(stream, (ulong)value);
        }

        return stream.ToArray();
    }

    /// <summary>A message built by <paramref name="write"/>, as bytes.</summary>
    public static byte[] Message(Action<Stream> write)
    {
        var stream = new MemoryStream();
        write(stream);
        return stream.ToArray();
    }

    private static void Raw(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        stream.WriteByte((byte)value);
    }
}
