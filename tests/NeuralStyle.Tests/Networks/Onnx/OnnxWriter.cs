using static NeuralStyle.Networks.ProtobufWriter;

namespace NeuralStyle.Tests.Networks.Onnx;

/// <summary>
/// Writes an ONNX model field by field (a <c>ModelProto</c> whose graph holds nodes, float initializers
/// as raw data, and its input), as the ONNX model zoo's VGG files are laid out.
/// </summary>
internal static class OnnxWriter
{
    /// <summary>A node: its operator, its inputs (tensors and initializers by name) and its output.</summary>
    public sealed record Node(string OpType, string[] Inputs, string Output);

    public static void Write(string path, IEnumerable<Node> nodes, IReadOnlyDictionary<string, (long[] Shape, float[] Values)> initializers) => File.WriteAllBytes(path, Message(model =>
    {
        Varint(model, 1, 7);
        Bytes(model, 7, Message(graph =>
        {
            foreach (var node in nodes)
            {
                Bytes(graph, 1, Message(n =>
                {
                    foreach (var input in node.Inputs)
                    {
                        Text(n, 1, input);
                    }

                    Text(n, 2, node.Output);
                    Text(n, 4, node.OpType);
                }));
            }

            foreach (var (name, (shape, values)) in initializers)
            {
                Bytes(graph, 5, Message(tensor =>
                {
                    Bytes(tensor, 1, PackedVarints(shape));
                    Varint(tensor, 2, 1);
                    Text(tensor, 8, name);
                    Bytes(tensor, 9, Packed(values));
                }));
            }

            Bytes(graph, 11, Message(input => Text(input, 1, "data")));
        }));
    }));

    /// <summary>
    /// A VGG-19 graph (or VGG-16's, given its convolutions) of the given convolutions (Caffe keys
    /// <c>conv1_1.weight</c> …) with ReLUs and pools between, each convolution's initializers named by <paramref name="initializerName"/>
    /// (layer, index, "weight" or "bias"); <paramref name="batchNorm"/> adds a BatchNormalization after each.
    /// </summary>
    public static (List<Node> Nodes, Dictionary<string, (long[] Shape, float[] Values)> Initializers) Vgg19(
        IReadOnlyDictionary<string, (long[] Shape, float[] Values)> convolutions, Func<string, int, string, string> initializerName, bool batchNorm = false)
    {
        var (nodes, initializers, current, index) = (new List<Node>(), new Dictionary<string, (long[], float[])>(), "data", 0);
        foreach (var layer in NeuralStyle.Networks.VggLayout.Vgg19.Layers)
        {
            if (layer.StartsWith("pool", StringComparison.Ordinal))
            {
                nodes.Add(new Node("MaxPool", [current], layer));
                current = layer;
                continue;
            }

            if (!convolutions.TryGetValue($"{layer}.weight", out var weight))
            {
                continue;
            }

            var (w, b) = (initializerName(layer, index, "weight"), initializerName(layer, index, "bias"));
            initializers[w] = weight;
            initializers[b] = convolutions[$"{layer}.bias"];
            nodes.Add(new Node("Conv", [current, w, b], $"{layer}_out"));
            current = $"{layer}_out";
            if (batchNorm)
            {
                nodes.Add(new Node("BatchNormalization", [current], $"{layer}_bn"));
                current = $"{layer}_bn";
            }

            nodes.Add(new Node("Relu", [current], $"{layer}_relu"));
            current = $"{layer}_relu";
            index++;
        }

        return (nodes, initializers);
    }
}
