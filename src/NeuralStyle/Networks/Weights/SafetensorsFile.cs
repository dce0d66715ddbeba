using System.Buffers.Binary;
using System.Text.Json;

namespace NeuralStyle.Networks.Weights;

/// <summary>Reads the safetensors format: an 8-byte header length, a JSON header, then the raw tensor bytes.</summary>
public static class SafetensorsFile
{
    /// <summary>True when the first bytes of a file look like a safetensors header.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> head) =>
        head.Length >= 9 && BinaryPrimitives.ReadUInt64LittleEndian(head) < 100_000_000 && head[8] == (byte)'{';

    /// <summary>Reads every tensor of the file as float32.</summary>
    /// <exception cref="StyleTransferException">The file is truncated, malformed or holds a type that is not floating point.</exception>
    public static IReadOnlyDictionary<string, WeightTensor> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8)
        {
            throw new StyleTransferException($"{path}: not a safetensors file (too short)");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
        {
            throw new StyleTransferException($"{path}: truncated safetensors file (header says {headerLength} bytes, file has {bytes.Length})");
        }

        var dataStart = 8 + (long)headerLength;
        var tensors = new Dictionary<string, WeightTensor>();
        try
        {
            using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
            foreach (var entry in header.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                {
                    continue;
                }

                tensors[entry.Name] = ReadTensor(path, bytes, dataStart, entry);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            // Not JSON, not an object of tensors, or a tensor without dtype, shape and data_offsets of the right kinds.
            throw new StyleTransferException($"{path}: malformed safetensors header ({e.Message})", e);
        }

        return tensors;
    }

    private static WeightTensor ReadTensor(string path, byte[] bytes, long dataStart, JsonProperty entry)
    {
        var dtype = entry.Value.GetProperty("dtype").GetString() ?? string.Empty;
        var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        if (shape.Any(d => d < 0) || offsets is not [>= 0 and var first, var last] || last < first)
        {
            throw new FormatException($"tensor {entry.Name} has shape [{string.Join(", ", shape)}] and data_offsets [{string.Join(", ", offsets)}]");
        }

        var size = ScalarDecoding.ElementSize(dtype)
            ?? throw new StyleTransferException($"{path}: tensor {entry.Name} has type {dtype}; only floating-point weights are read");
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var (begin, end) = (dataStart + first, dataStart + last);
        if (end > bytes.Length)
        {
            throw new StyleTransferException($"{path}: truncated file: tensor {entry.Name} ends at byte {end}, file has {bytes.Length}");
        }

        if (end - begin != count * size)
        {
            throw new StyleTransferException($"{path}: tensor {entry.Name} holds {end - begin} bytes, its shape needs {count * size}");
        }

        return new WeightTensor(shape, ScalarDecoding.ToSingles(bytes.AsSpan((int)begin, (int)(end - begin)), dtype, count));
    }
}
