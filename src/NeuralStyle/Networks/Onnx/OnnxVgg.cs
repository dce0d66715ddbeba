using NeuralStyle.Networks.Weights;

namespace NeuralStyle.Networks.Onnx;

/// <summary>
/// Recognises a VGG-19 or VGG-16 in an ONNX graph (the ONNX model zoo's files): its convolutions in graph order,
/// with their weight and bias initializers, named as the layers they are (<c>conv1_1</c> …). The input
/// convention follows the exporter: initializers named as Caffe names the layers (<c>conv1_1_w_0</c>,
/// the zoo's Caffe2 export) mean BGR minus the mean; any other naming (<c>vgg0_conv0_weight</c>, its
/// MXNet export; PyTorch's <c>features.0.weight</c>) means RGB normalised as torchvision's.
/// </summary>
internal static class OnnxVgg
{
    /// <summary>Whether <paramref name="path"/> is named as an ONNX file.</summary>
    public static bool IsNamedAsOne(string path) => path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    /// <summary>The convolutions as a Caffe-keyed (<c>conv1_1.weight</c>) or torchvision-keyed (<c>features.0.weight</c>) state dict.</summary>
    /// <exception cref="StyleTransferException">The file is not ONNX, or its graph is not a VGG-19 or VGG-16 (the message says what it holds).</exception>
    public static IReadOnlyDictionary<string, WeightTensor> Read(string path)
    {
        var graph = OnnxGraph.Read(path);
        if (graph.Nodes.Any(n => n.OpType == "BatchNormalization"))
        {
            throw new StyleTransferException($"{path}: an ONNX VGG with batch normalisation (vgg19-bn), which is not read: its filters differ from the paper's network");
        }

        var convolutions = graph.Nodes.Where(n => n.OpType == "Conv").ToList();
        var layout = new[] { VggLayout.Vgg19, VggLayout.Vgg16 }.FirstOrDefault(l => Matches(graph, convolutions, l));
        if (layout is null)
        {
            var shapes = convolutions.Take(10).Select(c => c.Inputs.Count > 1 && graph.Initializers.TryGetValue(c.Inputs[1], out var w) ? w.ShapeText : "?");
            throw new StyleTransferException($"{path}: an ONNX graph with {convolutions.Count} convolutions ({string.Join(", ", shapes)}{(convolutions.Count > 10 ? ", …" : "")}), not a VGG-19's 16 or a VGG-16's 13 from [64, 3, 3, 3] on, each with its weight and bias");
        }

        var caffeNamed = convolutions[0].Inputs[1].StartsWith("conv1_1", StringComparison.Ordinal);
        var tensors = new Dictionary<string, WeightTensor>();
        foreach (var (conv, (name, _, _)) in convolutions.Zip(layout.Convolutions))
        {
            var key = caffeNamed ? name : $"features.{layout.TorchvisionFeatureIndex[name]}";
            tensors[$"{key}.weight"] = graph.Initializers[conv.Inputs[1]];
            tensors[$"{key}.bias"] = graph.Initializers[conv.Inputs[2]];
        }

        return tensors;
    }

    // Each convolution in order has the layout's filter shape and carries its weight and bias.
    private static bool Matches(OnnxGraph graph, List<OnnxNode> convolutions, VggLayout layout) =>
        convolutions.Count == layout.Convolutions.Count
        && convolutions.Zip(layout.Convolutions).All(p => p.First.Inputs.Count == 3
            && graph.Initializers.TryGetValue(p.First.Inputs[1], out var w) && w.Shape.SequenceEqual(new long[] { p.Second.OutChannels, p.Second.InChannels, 3, 3 })
            && graph.Initializers.ContainsKey(p.First.Inputs[2]));
}
