using System.Text;
using NeuralStyle.Networks.Weights;

namespace NeuralStyle.Networks.Onnx;

/// <summary>One attribute of an ONNX node: integers, floats or a string, whichever it holds.</summary>
public sealed record OnnxAttribute(IReadOnlyList<long> Ints, IReadOnlyList<float> Floats, string? Text);

/// <summary>One operation of an ONNX graph.</summary>
/// <param name="OpType">The operator, e.g. <c>Conv</c>.</param>
/// <param name="Inputs">Names of the values it reads, initializers included.</param>
/// <param name="Outputs">Names of the values it writes.</param>
/// <param name="Attributes">Its attributes by name.</param>
public sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyDictionary<string, OnnxAttribute> Attributes)
{
    /// <summary>An integer-list attribute, or <paramref name="fallback"/> when absent.</summary>
    public IReadOnlyList<long> Ints(string name, IReadOnlyList<long> fallback) => Attributes.TryGetValue(name, out var a) ? a.Ints : fallback;
}

/// <summary>
/// The graph of an ONNX model (<c>ModelProto.graph</c>): nodes in order and the float initializers,
/// read from the protocol-buffer file without any ONNX runtime.
/// </summary>
public sealed class OnnxGraph
{
    private OnnxGraph(IReadOnlyList<OnnxNode> nodes, IReadOnlyDictionary<string, WeightTensor> initializers, IReadOnlyList<string> inputs)
    {
        Nodes = nodes;
        Initializers = initializers;
        Inputs = inputs;
    }

    /// <summary>The operations in the file's (topological) order.</summary>
    public IReadOnlyList<OnnxNode> Nodes { get; }

    /// <summary>Constant tensors (weights) by name.</summary>
    public IReadOnlyDictionary<string, WeightTensor> Initializers { get; }

    /// <summary>The graph's declared inputs (initializers may be among them).</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>The model's metadata (<c>ModelProto.metadata_props</c>), key by key.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; private init; } = new Dictionary<string, string>();

    /// <summary>Reads an ONNX model file.</summary>
    /// <exception cref="StyleTransferException">The file is missing, truncated, not ONNX, or holds a tensor type other than float.</exception>
    public static OnnxGraph Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new StyleTransferException($"{path}: no such ONNX file");
        }

        try
        {
            var model = new ProtobufReader(File.ReadAllBytes(path));
            OnnxGraph? graph = null;
            var metadata = new Dictionary<string, string>();
            while (model.Next())
            {
                if (model.Field == 7 && model.WireType == 2)
                {
                    graph = ReadGraph(model.ReadBytes());
                }
                else if (model.Field == 14 && model.WireType == 2)
                {
                    var (key, value) = ReadEntry(model.ReadBytes());
                    metadata[key] = value;
                }
                else
                {
                    model.Skip();
                }
            }

            return graph is { Nodes.Count: > 0 } ? new OnnxGraph(graph.Nodes, graph.Initializers, graph.Inputs) { Metadata = metadata } : throw new InvalidDataException("no graph");
        }
        catch (InvalidDataException e)
        {
            throw new StyleTransferException($"{path}: not a readable ONNX model ({e.Message})", e);
        }
    }

    private static OnnxGraph ReadGraph(ReadOnlySpan<byte> bytes)
    {
        var nodes = new List<OnnxNode>();
        var initializers = new Dictionary<string, WeightTensor>();
        var inputs = new List<string>();
        var reader = new ProtobufReader(bytes);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: nodes.Add(ReadNode(reader.ReadBytes())); break;
                case 5:
                    var (name, tensor) = ReadTensor(reader.ReadBytes());
                    initializers[name] = tensor;
                    break;
                case 11: inputs.Add(ReadValueInfoName(reader.ReadBytes())); break;
                default: reader.Skip(); break;
            }
        }

        return new OnnxGraph(nodes, initializers, inputs);
    }

    private static OnnxNode ReadNode(ReadOnlySpan<byte> bytes)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var opType = string.Empty;
        var attributes = new Dictionary<string, OnnxAttribute>();
        var reader = new ProtobufReader(bytes);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: inputs.Add(Encoding.UTF8.GetString(reader.ReadBytes())); break;
                case 2: outputs.Add(Encoding.UTF8.GetString(reader.ReadBytes())); break;
                case 4: opType = Encoding.UTF8.GetString(reader.ReadBytes()); break;
                case 5:
                    var (name, attribute) = ReadAttribute(reader.ReadBytes());
                    attributes[name] = attribute;
                    break;
                default: reader.Skip(); break;
            }
        }

        return new OnnxNode(opType, inputs, outputs, attributes);
    }

    private static (string, OnnxAttribute) ReadAttribute(ReadOnlySpan<byte> bytes)
    {
        var name = string.Empty;
        var ints = new List<long>();
        var floats = new List<float>();
        string? text = null;
        var reader = new ProtobufReader(bytes);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: name = Encoding.UTF8.GetString(reader.ReadBytes()); break;
                case 2: floats.Add(reader.ReadFloat()); break;
                case 3: ints.Add((long)reader.ReadVarint()); break;
                case 4: text = Encoding.UTF8.GetString(reader.ReadBytes()); break;
                case 7: reader.ReadFloats(floats); break;
                case 8: reader.ReadInt64s(ints); break;
                default: reader.Skip(); break;
            }
        }

        return (name, new OnnxAttribute(ints, floats, text));
    }

    private static (string, WeightTensor) ReadTensor(ReadOnlySpan<byte> bytes)
    {
        const int Float = 1;
        var dims = new List<long>();
        var floats = new List<float>();
        var name = string.Empty;
        var dataType = 0L;
        var raw = ReadOnlySpan<byte>.Empty;
        var reader = new ProtobufReader(bytes);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: reader.ReadInt64s(dims); break;
                case 2: dataType = (long)reader.ReadVarint(); break;
                case 4: reader.ReadFloats(floats); break;
                case 8: name = Encoding.UTF8.GetString(reader.ReadBytes()); break;
                case 9: raw = reader.ReadBytes(); break;
                default: reader.Skip(); break;
            }
        }

        if (dataType != Float)
        {
            throw new InvalidDataException($"initializer {name} has ONNX data type {dataType}; only float is read");
        }

        var count = dims.Aggregate(1L, (a, b) => a * b);
        var values = raw.Length > 0 ? ScalarDecodingFloat(raw, count, name) : [.. floats];
        return values.LongLength == count
            ? (name, new WeightTensor([.. dims], values))
            : throw new InvalidDataException($"initializer {name} holds {values.Length} values for shape [{string.Join(", ", dims)}]");
    }

    private static float[] ScalarDecodingFloat(ReadOnlySpan<byte> raw, long count, string name) =>
        raw.Length == count * 4 ? ScalarDecoding.ToSingles(raw, "F32", count) : throw new InvalidDataException($"initializer {name} has {raw.Length} raw bytes for {count} floats");

    private static (string Key, string Value) ReadEntry(ReadOnlySpan<byte> bytes)
    {
        var (key, value) = (string.Empty, string.Empty);
        var reader = new ProtobufReader(bytes);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: key = Encoding.UTF8.GetString(reader.ReadBytes()); break;
                case 2: value = Encoding.UTF8.GetString(reader.ReadBytes()); break;
                default: reader.Skip(); break;
            }
        }

        return (key, value);
    }

    private static string ReadValueInfoName(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtobufReader(bytes);
        while (reader.Next())
        {
            if (reader.Field == 1)
            {
                return Encoding.UTF8.GetString(reader.ReadBytes());
            }

            reader.Skip();
        }

        return string.Empty;
    }
}
