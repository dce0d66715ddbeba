using NeuralStyle.Images;
using NeuralStyle.Optimization;
using TorchSharp;
using static NeuralStyle.Networks.ProtobufWriter;
using static TorchSharp.torch;

namespace NeuralStyle.FastPainters;

/// <summary>
/// Writes a transformer network as an ONNX model (opset 17): input <c>photo</c> [N, 3, H, W] RGB 0–255
/// float32 of any size (H and W multiples of 4 keep the output the same size), output <c>picture</c>
/// the same, clamped to 0–255; a painter of several styles also takes <c>style</c> [styles], the blend.
/// </summary>
/// <remarks>
/// Written field by field (the protocol buffers of onnx.proto), as no package served here writes ONNX:
/// ONNX Runtime's .NET package only runs models. Each convolution is a reflect <c>Pad</c> then a
/// <c>Conv</c>, each enlargement a linear <c>Resize</c> (nearest in a painter that is not
/// anti-aliased), an anti-aliasing blur a depthwise <c>Conv</c>, and a single style's normalisation one
/// <c>InstanceNormalization</c> (the ONNX model zoo's fast-neural-style models have the same shape);
/// several styles' scales and shifts are the blend's <c>MatMul</c> with their table.
/// </remarks>
internal static class PainterOnnxWriter
{
    private const int IrVersion = 8;
    private const int Opset = 17;
    private const int FloatType = 1;
    private const int Int64Type = 7;

    /// <summary>The network's graph and weights with <paramref name="metadata"/> (key, value), written atomically to <paramref name="path"/>.</summary>
    public static void Write(string path, TransformerNetwork network, IReadOnlyDictionary<string, string> metadata) =>
        ImageFile.WriteAtomically(path, stream => stream.Write(Model(network, metadata)), "the painter");

    private static byte[] Model(TransformerNetwork network, IReadOnlyDictionary<string, string> metadata) => Message(model =>
    {
        Varint(model, 1, IrVersion);
        Text(model, 2, "neural-style");
        Text(model, 3, PainterMetadata.ToolVersion);
        Bytes(model, 7, Graph(network));
        Bytes(model, 8, Message(opset =>
        {
            Text(opset, 1, string.Empty);
            Varint(opset, 2, Opset);
        }));
        foreach (var (key, value) in metadata)
        {
            Bytes(model, 14, Message(entry =>
            {
                Text(entry, 1, key);
                Text(entry, 2, value);
            }));
        }
    });

    private static byte[] Graph(TransformerNetwork network) => Message(graph =>
    {
        var builder = new GraphBuilder(graph);
        var styles = network.Shape.Styles;
        var x = builder.Node("Mul", ["photo", builder.Floats("photo.scale", [], [1f / 255])]);
        string? residual = null;
        for (var i = 0; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i];
            if (layer.Role == LayerRole.Upsample)
            {
                x = Enlargement(builder, network.Shape.AntiAliased, layer, x);
            }

            if (layer.Stride == 2 && network.Shape.AntiAliased)
            {
                x = Blur(builder, layer, network.Convolution(i).weight!.shape[1], x);
            }

            residual = layer.Role == LayerRole.ResidualIn ? x : residual;
            x = Convolution(builder, network, i, x);
            if (network.Norm(i) is { } norm)
            {
                x = styles == 1 ? SingleStyleNorm(builder, layer, norm, x) : BlendedNorm(builder, layer, norm, x);
            }

            x = layer.Role switch
            {
                LayerRole.ResidualOut => builder.Node("Add", [x, residual!]),
                LayerRole.Output => builder.Node("Clip", [builder.Node("Mul", [x, builder.Floats("picture.scale", [], [255])]), builder.Floats("picture.min", [], [0]), builder.Floats("picture.max", [], [255])]),
                _ => builder.Node("Relu", [x]),
            };
        }

        builder.Rename(x, "picture");
        Text(graph, 2, "painter");
        Bytes(graph, 11, Picture("photo"));
        if (styles > 1)
        {
            Bytes(graph, 11, ValueInfo("style", dims => Dimension(dims, styles)));
        }

        Bytes(graph, 12, Picture("picture"));
        builder.Flush();
    });

    private static string Enlargement(GraphBuilder builder, bool bilinear, TransformerLayer layer, string x) =>
        builder.Node("Resize", [x, string.Empty, builder.Floats($"{layer.Name}.scales", [4], [1, 1, 2, 2])], a =>
        {
            if (bilinear)
            {
                // PyTorch's bilinear enlargement without aligned corners.
                builder.TextAttribute(a, "mode", "linear");
                builder.TextAttribute(a, "coordinate_transformation_mode", "half_pixel");
            }
            else
            {
                builder.TextAttribute(a, "mode", "nearest");
                builder.TextAttribute(a, "coordinate_transformation_mode", "asymmetric");
                builder.TextAttribute(a, "nearest_mode", "floor");
            }
        });

    private static string Blur(GraphBuilder builder, TransformerLayer layer, long channels, string x)
    {
        var padded = Reflected(builder, $"{layer.Name}.blur", 1, x);
        return builder.Node("Conv", [padded, builder.Floats($"{layer.Name}.blur", [channels, 1, 3, 3], Binomial.Kernel(channels))], a =>
        {
            builder.IntsAttribute(a, "kernel_shape", [3, 3]);
            builder.IntAttribute(a, "group", channels);
        });
    }

    private static string Convolution(GraphBuilder builder, TransformerNetwork network, int index, string x)
    {
        var layer = network.Layers[index];
        var convolution = network.Convolution(index);
        var pad = layer.Kernel / 2;
        var padded = Reflected(builder, layer.Name, pad, x);
        return builder.Node("Conv", [padded, builder.Weights($"{layer.Name}.weight", convolution.weight!), builder.Weights($"{layer.Name}.bias", convolution.bias!)], a =>
        {
            builder.IntsAttribute(a, "kernel_shape", [layer.Kernel, layer.Kernel]);
            builder.IntsAttribute(a, "strides", [layer.Stride, layer.Stride]);
        });
    }

    // x padded by pad on each side of its height and width, reflected as PyTorch's reflect padding is.
    private static string Reflected(GraphBuilder builder, string name, long pad, string x) =>
        builder.Node("Pad", [x, builder.Int64s($"{name}.pads", [0, 0, pad, pad, 0, 0, pad, pad])], a => builder.TextAttribute(a, "mode", "reflect"));

    private static string SingleStyleNorm(GraphBuilder builder, TransformerLayer layer, ConditionalInstanceNorm norm, string x) =>
        builder.Node("InstanceNormalization", [x, builder.Weights($"{layer.Name}.scale", norm.Scale[0]), builder.Weights($"{layer.Name}.shift", norm.Shift[0])], a => builder.FloatAttribute(a, "epsilon", (float)ConditionalInstanceNorm.Epsilon));

    private static string BlendedNorm(GraphBuilder builder, TransformerLayer layer, ConditionalInstanceNorm norm, string x)
    {
        var channels = norm.Scale.shape[1];
        var ones = Enumerable.Repeat(1f, (int)channels).ToArray();
        var normalised = builder.Node("InstanceNormalization", [x, builder.Floats($"{layer.Name}.ones", [channels], ones), builder.Floats($"{layer.Name}.zeros", [channels], new float[channels])], a => builder.FloatAttribute(a, "epsilon", (float)ConditionalInstanceNorm.Epsilon));
        var shape = builder.Int64s($"{layer.Name}.shape", [1, channels, 1, 1]);
        var scale = builder.Node("Reshape", [builder.Node("MatMul", ["style", builder.Weights($"{layer.Name}.scale", norm.Scale)]), shape]);
        var shift = builder.Node("Reshape", [builder.Node("MatMul", ["style", builder.Weights($"{layer.Name}.shift", norm.Shift)]), shape]);
        return builder.Node("Add", [builder.Node("Mul", [normalised, scale]), shift]);
    }

    private static byte[] Picture(string name) => ValueInfo(name, dims =>
    {
        Symbol(dims, "batch");
        Dimension(dims, 3);
        Symbol(dims, "height");
        Symbol(dims, "width");
    });

    private static byte[] ValueInfo(string name, Action<Stream> dims) => Message(info =>
    {
        Text(info, 1, name);
        Bytes(info, 2, Message(type => Bytes(type, 1, Message(tensor =>
        {
            Varint(tensor, 1, FloatType);
            Bytes(tensor, 2, Message(dims));
        }))));
    });

    private static void Dimension(Stream dims, long value) => Bytes(dims, 1, Message(d => Varint(d, 1, value)));

    private static void Symbol(Stream dims, string name) => Bytes(dims, 1, Message(d => Text(d, 2, name)));

    // Nodes and initializers in the order they are made; a node's output is renamed before it is written.
    private sealed class GraphBuilder(Stream graph)
    {
        private readonly List<(string Op, string[] Inputs, string Output, Action<Stream>? Attributes)> nodes = [];
        private readonly List<byte[]> initializers = [];

        public string Node(string op, string[] inputs, Action<Stream>? attributes = null)
        {
            var output = $"{op.ToLowerInvariant()}{nodes.Count}";
            nodes.Add((op, inputs, output, attributes));
            return output;
        }

        public void Rename(string output, string name)
        {
            var i = nodes.FindIndex(n => n.Output == output);
            nodes[i] = nodes[i] with { Output = name };
        }

        public string Floats(string name, long[] shape, float[] values)
        {
            initializers.Add(Tensor(name, shape, FloatType, Packed(values)));
            return name;
        }

        public string Int64s(string name, long[] values)
        {
            // Integers go in a Constant node: readers of weights (this tool's own) look only at float initializers.
            var node = Node("Constant", [], a => Bytes(a, 5, Attribute("value", 4, t => Bytes(t, 5, Tensor(name, [values.Length], Int64Type, [.. values.SelectMany(BitConverter.GetBytes)])))));
            return node;
        }

        public string Weights(string name, Tensor weights)
        {
            using var cpu = weights.detach().to(float32, CPU).contiguous();
            return Floats(name, cpu.shape, cpu.data<float>().ToArray());
        }

        public void TextAttribute(Stream node, string name, string value) => Bytes(node, 5, Attribute(name, 3, a => Text(a, 4, value)));

        public void FloatAttribute(Stream node, string name, float value) => Bytes(node, 5, Attribute(name, 1, a => Float(a, 2, value)));

        public void IntAttribute(Stream node, string name, long value) => Bytes(node, 5, Attribute(name, 2, a => Varint(a, 3, value)));

        public void IntsAttribute(Stream node, string name, long[] values) => Bytes(node, 5, Attribute(name, 7, a => Bytes(a, 8, PackedVarints(values))));

        public void Flush()
        {
            foreach (var (op, inputs, output, attributes) in nodes)
            {
                Bytes(graph, 1, Message(n =>
                {
                    foreach (var input in inputs)
                    {
                        Text(n, 1, input);
                    }

                    Text(n, 2, output);
                    Text(n, 4, op);
                    attributes?.Invoke(n);
                }));
            }

            foreach (var initializer in initializers)
            {
                Bytes(graph, 5, initializer);
            }
        }

        private static byte[] Attribute(string name, int type, Action<Stream> value) => Message(a =>
        {
            Text(a, 1, name);
            value(a);
            Varint(a, 20, type);
        });

        private static byte[] Tensor(string name, long[] shape, int dataType, byte[] raw) => Message(t =>
        {
            if (shape.Length > 0)
            {
                Bytes(t, 1, PackedVarints(shape));
            }

            Varint(t, 2, dataType);
            Text(t, 8, name);
            Bytes(t, 9, raw);
        });
    }
}
