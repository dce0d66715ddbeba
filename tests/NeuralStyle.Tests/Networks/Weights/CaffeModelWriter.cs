using static NeuralStyle.Networks.ProtobufWriter;

namespace NeuralStyle.Tests.Networks.Weights;

/// <summary>
/// Writes a Caffe <c>.caffemodel</c> field by field, as Caffe's protocol buffers lay it out: a
/// <c>NetParameter</c> with its name and layers, either in the old <c>layers</c> form (field 2; types by
/// number; blobs with num, channels, height and width, as the VGG-19 release has them) or in the newer
/// <c>layer</c> form (field 100; types by name; blobs with a <c>BlobShape</c>).
/// </summary>
internal static class CaffeModelWriter
{
    private static readonly Dictionary<string, int> OldTypes = new() { ["Convolution"] = 4, ["Data"] = 5, ["InnerProduct"] = 14, ["Pooling"] = 17, ["ReLU"] = 18, ["LRN"] = 15 };

    /// <summary>A layer: its name, its type as the newer form names it (Convolution, ReLU, Pooling, InnerProduct, Data, LRN), its blobs.</summary>
    public sealed record Layer(string Name, string Type, params (long[] Shape, float[] Values)[] Blobs);

    public static void Write(string path, string name, IEnumerable<Layer> layers, bool oldForm) => File.WriteAllBytes(path, Message(net =>
    {
        Text(net, 1, name);
        foreach (var layer in layers)
        {
            Bytes(net, oldForm ? 2 : 100, oldForm ? OldLayer(layer) : NewLayer(layer));
        }
    }));

    /// <summary>VGG-19's layers as its Caffe release orders them, a data layer first and a classifier layer last, with the convolutions given.</summary>
    public static IEnumerable<Layer> Vgg19(IReadOnlyDictionary<string, (long[] Shape, float[] Values)> tensors)
    {
        yield return new Layer("data", "Data");
        foreach (var layer in NeuralStyle.Networks.VggLayout.Vgg19.Layers)
        {
            if (layer.StartsWith("pool", StringComparison.Ordinal))
            {
                yield return new Layer(layer, "Pooling");
            }
            else if (tensors.TryGetValue($"{layer}.weight", out var weight))
            {
                yield return new Layer(layer, "Convolution", weight, tensors[$"{layer}.bias"]);
                yield return new Layer(layer.Replace("conv", "relu", StringComparison.Ordinal), "ReLU");
            }
        }

        yield return new Layer("fc6", "InnerProduct", ([8, 4], new float[32]), ([8], new float[8]));
    }

    private static byte[] OldLayer(Layer layer) => Message(message =>
    {
        Text(message, 4, layer.Name);
        Varint(message, 5, OldTypes[layer.Type]);
        foreach (var (shape, values) in layer.Blobs)
        {
            // Four dimensions, the leading ones 1, as old Caffe wrote a bias: [1, 1, 1, out].
            var legacy = Enumerable.Repeat(1L, 4 - shape.Length).Concat(shape).ToArray();
            Bytes(message, 6, Message(blob =>
            {
                for (var d = 0; d < 4; d++)
                {
                    Varint(blob, d + 1, legacy[d]);
                }

                Bytes(blob, 5, Packed(values));
            }));
        }
    });

    private static byte[] NewLayer(Layer layer) => Message(message =>
    {
        Text(message, 1, layer.Name);
        Text(message, 2, layer.Type);
        foreach (var (shape, values) in layer.Blobs)
        {
            Bytes(message, 7, Message(blob =>
            {
                Bytes(blob, 5, Packed(values));
                Bytes(blob, 7, Message(blobShape => Bytes(blobShape, 1, PackedVarints(shape))));
            }));
        }
    });
}
