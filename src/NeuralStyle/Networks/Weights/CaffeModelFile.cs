using System.Text;

namespace NeuralStyle.Networks.Weights;

/// <summary>
/// Reads a Caffe <c>.caffemodel</c> (a <c>NetParameter</c> message) by its protocol-buffer layout: each
/// convolution's blobs, by layer name, as <c>NAME.weight</c> [out, in, h, w] and <c>NAME.bias</c> [out],
/// the keys of a Caffe-converted state dict. Both layouts Caffe has written are read: <c>layer</c>
/// (field 100, types by name) and the older <c>layers</c> (field 2, types by number), in which the
/// Caffe release of VGG-19, <c>VGG_ILSVRC_19_layers.caffemodel</c>, is written.
/// </summary>
internal static class CaffeModelFile
{
    private const int V1Convolution = 4;

    /// <summary>Whether <paramref name="path"/> is named as Caffe names its weight files.</summary>
    public static bool IsNamedAsOne(string path) => path.EndsWith(".caffemodel", StringComparison.OrdinalIgnoreCase);

    /// <summary>The convolutions' blobs of a Caffe VGG-19 by key (<c>conv1_1.weight</c> …).</summary>
    /// <exception cref="StyleTransferException">The file is not a Caffe model, is truncated, or holds another network; the message names it and its first layers.</exception>
    public static IReadOnlyDictionary<string, WeightTensor> ReadVgg(string path)
    {
        var (name, layers, tensors) = Read(path);
        return tensors.ContainsKey("conv1_1.weight") ? tensors
            : throw new StyleTransferException($"{path}: a Caffe model of {(name.Length == 0 ? "a network without a name" : name)} ({layers.Count} layers: {string.Join(", ", layers.Take(6))}{(layers.Count > 6 ? ", …" : "")}), not a VGG: it has no conv1_1");
    }

    /// <summary>The network's name and its convolutions' blobs by key; the other layers' blobs (VGG-19's 400 MB of classifier) are passed over.</summary>
    /// <exception cref="StyleTransferException">The file is not a Caffe model, or is truncated.</exception>
    public static (string Name, IReadOnlyList<string> Layers, IReadOnlyDictionary<string, WeightTensor> Tensors) Read(string path)
    {
        try
        {
            var net = new ProtobufReader(File.ReadAllBytes(path));
            var (name, layers, tensors) = (string.Empty, new List<string>(), new Dictionary<string, WeightTensor>());
            while (net.Next())
            {
                switch (net.Field, net.WireType)
                {
                    case (1, 2):
                        name = Encoding.UTF8.GetString(net.ReadBytes());
                        break;
                    case (100, 2):
                        AddLayer(net.ReadBytes(), nameField: 1, typeField: 2, blobsField: 7, layers, tensors);
                        break;
                    case (2, 2):
                        AddLayer(net.ReadBytes(), nameField: 4, typeField: 5, blobsField: 6, layers, tensors);
                        break;
                    default:
                        net.Skip();
                        break;
                }
            }

            return layers.Count > 0 ? (name, layers, tensors) : throw new InvalidDataException("it has no layers");
        }
        catch (InvalidDataException e)
        {
            throw new StyleTransferException($"{path}: not a Caffe model that can be read ({e.Message})", e);
        }
    }

    // One layer: its name always; its blobs when it is a convolution.
    private static void AddLayer(ReadOnlySpan<byte> bytes, int nameField, int typeField, int blobsField, List<string> layers, Dictionary<string, WeightTensor> tensors)
    {
        var reader = new ProtobufReader(bytes);
        var (name, convolution, blobs) = (string.Empty, false, new List<WeightTensor>());
        while (reader.Next())
        {
            if (reader.Field == nameField && reader.WireType == 2)
            {
                name = Encoding.UTF8.GetString(reader.ReadBytes());
            }
            else if (reader.Field == typeField)
            {
                convolution = reader.WireType == 2 ? Encoding.UTF8.GetString(reader.ReadBytes()) == "Convolution" : (int)reader.ReadVarint() == V1Convolution;
            }
            else if (reader.Field == blobsField && reader.WireType == 2)
            {
                // Caffe writes a layer's fields in order, its type before its blobs.
                var blob = reader.ReadBytes();
                if (convolution)
                {
                    blobs.Add(Blob(blob));
                }
            }
            else
            {
                reader.Skip();
            }
        }

        layers.Add(name);
        if (convolution && blobs.Count == 2)
        {
            tensors[$"{name}.weight"] = blobs[0];
            var bias = blobs[1];
            tensors[$"{name}.bias"] = bias with { Shape = [bias.Values.Length] };
        }
    }

    // A BlobProto: its shape (field 7, or the legacy num, channels, height, width) and its float data.
    private static WeightTensor Blob(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtobufReader(bytes);
        var (shape, legacy, data) = (new List<long>(), new long[4], new List<float>());
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case >= 1 and <= 4 when reader.WireType == 0:
                    legacy[reader.Field - 1] = (long)reader.ReadVarint();
                    break;
                case 5:
                    reader.ReadFloats(data);
                    break;
                case 7 when reader.WireType == 2:
                    var dims = new ProtobufReader(reader.ReadBytes());
                    while (dims.Next())
                    {
                        dims.ReadInt64s(shape);
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        long[] dimensions = shape.Count > 0 ? [.. shape] : legacy;
        var count = dimensions.Aggregate(1L, (a, b) => a * b);
        return count == data.Count ? new WeightTensor(dimensions, [.. data]) : throw new InvalidDataException($"a blob of shape [{string.Join(", ", dimensions)}] holds {data.Count} values");
    }
}
