using System.Buffers.Binary;

namespace NeuralStyle.Networks;

/// <summary>Reads protocol-buffer wire format field by field: just what the ONNX and Caffe messages need.</summary>
internal ref struct ProtobufReader
{
    private readonly ReadOnlySpan<byte> bytes;
    private int position;

    public ProtobufReader(ReadOnlySpan<byte> bytes) => this.bytes = bytes;

    /// <summary>The field number of the field just read by <see cref="Next"/>.</summary>
    public int Field { get; private set; }

    /// <summary>The wire type of the field just read: 0 varint, 1 fixed 64-bit, 2 length-delimited, 5 fixed 32-bit.</summary>
    public int WireType { get; private set; }

    /// <summary>Moves to the next field's tag; false at the end of the message.</summary>
    public bool Next()
    {
        if (position >= bytes.Length)
        {
            return false;
        }

        var tag = ReadVarint();
        Field = (int)(tag >> 3);
        WireType = (int)(tag & 7);
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= bytes.Length)
            {
                throw new InvalidDataException("message ends inside a varint");
            }

            var b = bytes[position++];
            result |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new InvalidDataException("varint longer than 10 bytes");
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(bytes.Length - position))
        {
            throw new InvalidDataException($"field {Field} claims {length} bytes, {bytes.Length - position} remain (truncated?)");
        }

        var span = bytes.Slice(position, (int)length);
        position += (int)length;
        return span;
    }

    public float ReadFloat()
    {
        var value = BinaryPrimitives.ReadSingleLittleEndian(Take(4));
        return value;
    }

    /// <summary>Reads a repeated integer field, packed or not, appending to <paramref name="values"/>.</summary>
    public void ReadInt64s(List<long> values)
    {
        if (WireType == 2)
        {
            var inner = new ProtobufReader(ReadBytes());
            while (inner.position < inner.bytes.Length)
            {
                values.Add((long)inner.ReadVarint());
            }
        }
        else
        {
            values.Add((long)ReadVarint());
        }
    }

    /// <summary>Reads a repeated float field, packed or not, appending to <paramref name="values"/>.</summary>
    public void ReadFloats(List<float> values)
    {
        if (WireType == 2)
        {
            var packed = ReadBytes();
            for (var i = 0; i + 4 <= packed.Length; i += 4)
            {
                values.Add(BinaryPrimitives.ReadSingleLittleEndian(packed[i..]));
            }
        }
        else
        {
            values.Add(ReadFloat());
        }
    }

    public void Skip()
    {
        switch (WireType)
        {
            case 0: ReadVarint(); break;
            case 1: Take(8); break;
            case 2: ReadBytes(); break;
            case 5: Take(4); break;
            default: throw new InvalidDataException($"unknown wire type {WireType}");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > bytes.Length - position)
        {
            throw new InvalidDataException("message ends inside a fixed-size field");
        }

        var span = bytes.Slice(position, count);
        position += count;
        return span;
    }
}
