using NeuralStyle.Networks.Onnx;
using NeuralStyle.Networks.Weights;
using NeuralStyle.Platform;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Networks;

/// <summary>
/// ImageNet ResNet-18 built from the ONNX graph that ML.NET's ResNet-18 featurizer package ships
/// (a CNTK export), with each BatchNormalization folded into the convolution before it. Runs at any
/// image size and answers with the activations at named layers: <c>conv1</c> (the stem after its
/// ReLU), <c>maxpool</c>, and <c>layerS.B</c> for block B of stage S (after the block's ReLU);
/// <c>layerS</c> is the stage's last block.
/// </summary>
public sealed class ResNet18 : nn.Module, IFeatureNetwork
{
    private readonly List<Step> steps = [];
    private readonly Dictionary<string, string> layerValues = [];
    private readonly Dictionary<string, string> aliases = [];
    private readonly Dictionary<string, int> lastUse = [];
    private readonly double[] meanBgr;

    /// <summary>Builds the network from the model graph and the per-channel BGR mean (0–255) of its preprocessing; <paramref name="source"/> names the file in errors.</summary>
    /// <exception cref="StyleTransferException">The graph is not the ResNet-18 this class knows.</exception>
    public ResNet18(OnnxGraph graph, double[] meanBgr, string source)
        : base(nameof(ResNet18))
    {
        Nnpack.TurnOff();
        this.meanBgr = meanBgr;
        var foldedBatchNorms = new HashSet<OnnxNode>();
        var convolutions = 0;
        foreach (var node in graph.Nodes)
        {
            switch (node.OpType)
            {
                case "Conv":
                    var batchNorm = graph.Nodes.SingleOrDefault(n => n.OpType == "BatchNormalization" && n.Inputs[0] == node.Outputs[0]);
                    var conv = FoldedConvolution(graph, node, batchNorm);
                    register_module($"conv{convolutions++}", conv);
                    if (batchNorm is not null)
                    {
                        foldedBatchNorms.Add(batchNorm);
                    }

                    steps.Add(new Step("Conv", [node.Inputs[0]], batchNorm?.Outputs[0] ?? node.Outputs[0], conv, Pads(node), conv.kernel_size[0], conv.stride[0]));
                    break;
                case "BatchNormalization" when foldedBatchNorms.Contains(node):
                    break;
                case "Relu" or "Add":
                    steps.Add(new Step(node.OpType, node.Inputs, node.Outputs[0], null, [], 1, 1));
                    break;
                case "MaxPool":
                    RequireKernel(node, [3, 3], [2, 2], source);
                    steps.Add(new Step("MaxPool", node.Inputs, node.Outputs[0], null, Pads(node), 3, 2));
                    break;
                case "AveragePool" or "GlobalAveragePool" or "Flatten" or "Gemm":
                    break; // the classifier head: not a feature layer
                default:
                    throw new StyleTransferException($"{source}: ResNet-18 graph has an unexpected {node.OpType} node");
            }
        }

        NameLayers(source);
        for (var i = 0; i < steps.Count; i++)
        {
            steps[i].Inputs.ToList().ForEach(input => lastUse[input] = i);
        }
        foreach (var parameter in parameters())
        {
            parameter.requires_grad = false;
        }

    }

    /// <inheritdoc />
    public IReadOnlyList<string> Layers { get; private set; } = [];

    /// <inheritdoc />
    /// <remarks>The stem's convolution and pooling and the first convolution of layer2, layer3 and layer4 each halve.</remarks>
    public int TileAlignment => 32;

    /// <inheritdoc />
    /// <remarks>
    /// Walks the graph's convolutions and pooling up to the deepest layer, each widening the receptive
    /// field by (kernel − 1) times the stride it works at; the 1 × 1 shortcuts add nothing (and their
    /// stride is their block's). The built-in file's last block, layer4.2, sees 563 px (margin 288).
    /// </remarks>
    public int TileMargin(IReadOnlyCollection<string> layers)
    {
        var last = layers.Select(l => layerValues[l]).Max(v => steps.FindIndex(s => s.Output == v));
        var (field, stride) = (1L, 1L);
        foreach (var step in steps.Take(last + 1).Where(s => s.Kind is "Conv" or "MaxPool" && s.Kernel > 1))
        {
            field += (step.Kernel - 1) * stride;
            stride *= step.Stride;
        }

        return (int)((field / 2) + TileAlignment - 1) / TileAlignment * TileAlignment;
    }

    /// <inheritdoc />
    public string? Canonical(string layer) => aliases.TryGetValue(layer.Trim(), out var block) ? block : Layers.Contains(layer.Trim()) ? layer.Trim() : null;

    /// <inheritdoc />
    /// <remarks>The built-in file holds the whole network, so every named layer can be computed.</remarks>
    public string? Unavailable(string canonicalLayer) => null;

    /// <inheritdoc />
    public Dictionary<string, Tensor> Activations(Tensor rgb255, IReadOnlyCollection<string> layers)
    {
        var wanted = layers.ToDictionary(l => layerValues[l], l => l);
        var result = new Dictionary<string, Tensor>();
        // The network computes in its weights' type (bfloat16 when asked) and answers in it, as VGG-19 does.
        var input = ChannelsLast.Of(rgb255.flip(1) - tensor(meanBgr, dtype: rgb255.dtype, device: rgb255.device).reshape(1, 3, 1, 1));
        var values = new Dictionary<string, Tensor> { [steps[0].Inputs[0]] = input.to(steps[0].Convolution!.weight!.dtype) };
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var x = values[step.Inputs[0]];
            values[step.Output] = step.Kind switch
            {
                "Conv" => Convolve(step, x),
                "MaxPool" => nn.functional.max_pool2d(Pad(x, step, double.NegativeInfinity), 3, 2),
                "Relu" => nn.functional.relu(x),
                _ => x.Plus(values[step.Inputs[1]]),
            };
            if (wanted.TryGetValue(step.Output, out var layer))
            {
                result[layer] = values[step.Output];
                if (result.Count == wanted.Count)
                {
                    break;
                }
            }

            // A dispose scope would keep every intermediate alive to the end of the evaluation; let
            // go of each after its last use, and autograd keeps only what the backward pass needs.
            foreach (var spent in step.Inputs.Distinct().Where(v => lastUse[v] == i && v != steps[0].Inputs[0]))
            {
                if (!result.Values.Any(r => ReferenceEquals(r, values[spent])))
                {
                    values[spent].Dispose();
                }

                values.Remove(spent);
            }
        }

        return result;
    }

    private static Tensor Convolve(Step step, Tensor x)
    {
        var padded = Pad(x, step, 0);
        var output = step.Convolution!.call(padded);
        if (!ReferenceEquals(padded, x))
        {
            padded.Dispose();
        }

        return output;
    }

    // The CNTK export pads for 224-pixel inputs, where every stride-2 layer sees an even size and pads
    // one pixel less at the end ([1, 1, 0, 0]). At any size we keep the leading pads and pad the end as
    // far as "same" padding needs (output = ceil(input / stride)), so that both paths of a
    // downsampling block agree on odd sizes too; at even sizes this is exactly the file's padding.
    private static Tensor Pad(Tensor x, Step step, double fill)
    {
        long End(long size, long begin) =>
            Math.Max((((size + step.Stride - 1) / step.Stride) - 1) * step.Stride + step.Kernel - size - begin, 0);
        var (top, left) = (step.Pads[0], step.Pads[1]);
        var (bottom, right) = (End(x.shape[2], top), End(x.shape[3], left));
        return top + left + bottom + right == 0 ? x : nn.functional.pad(x, [left, right, top, bottom], PaddingModes.Constant, fill);
    }

    private static long[] Pads(OnnxNode node) => [.. node.Ints("pads", [0, 0, 0, 0])];

    private static void RequireKernel(OnnxNode node, long[] kernel, long[] strides, string source)
    {
        if (!node.Ints("kernel_shape", []).SequenceEqual(kernel) || !node.Ints("strides", []).SequenceEqual(strides))
        {
            throw new StyleTransferException($"{source}: {node.OpType} with kernel [{string.Join(", ", node.Ints("kernel_shape", []))}] is not ResNet-18's");
        }
    }

    private static Conv2d FoldedConvolution(OnnxGraph graph, OnnxNode node, OnnxNode? batchNorm)
    {
        var weight = graph.Initializers[node.Inputs[1]];
        var (outChannels, inChannels, kernel) = (weight.Shape[0], weight.Shape[1], weight.Shape[2]);
        var stride = node.Ints("strides", [1, 1])[0];
        var w = (float[])weight.Values.Clone();
        var b = node.Inputs.Count > 2 ? (float[])graph.Initializers[node.Inputs[2]].Values.Clone() : new float[outChannels];
        if (batchNorm is not null)
        {
            var epsilon = batchNorm.Attributes.TryGetValue("epsilon", out var e) ? e.Floats[0] : 1e-5f;
            var (scale, shift, mean, variance) = (Values(1), Values(2), Values(3), Values(4));
            var perChannel = w.Length / outChannels;
            for (var o = 0; o < outChannels; o++)
            {
                var factor = scale[o] / MathF.Sqrt(variance[o] + epsilon);
                for (var i = 0; i < perChannel; i++)
                {
                    w[(o * perChannel) + i] *= factor;
                }

                b[o] = ((b[o] - mean[o]) * factor) + shift[o];
            }

            float[] Values(int input) => graph.Initializers[batchNorm.Inputs[input]].Values;
        }

        var conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride);

        // The scope keeps the temporary tensors referenced (and so unfinalized) until the copies are done.
        using (NewDisposeScope())
        using (no_grad())
        {
            conv.weight = new Parameter(ChannelsLast.Of(tensor(w).reshape(weight.Shape)).DetachFromDisposeScope(), requires_grad: false);
            conv.bias!.copy_(tensor(b));
        }

        return conv;
    }

    // Names each block's output structurally: a block ends where an Add is followed by its ReLU, and a
    // stage starts where the channel count changes (ResNet-18: 64, 128, 256, 512 channels, two blocks each).
    private void NameLayers(string source)
    {
        var names = new List<string> { "conv1", "maxpool" };
        layerValues["conv1"] = steps.First(s => s.Kind == "Relu").Output;
        layerValues["maxpool"] = steps.First(s => s.Kind == "MaxPool").Output;
        var stage = 0;
        var block = 0;
        long channels = 64;
        long lastStageChannels = -1;
        for (var i = 0; i + 1 < steps.Count; i++)
        {
            if (steps[i].Kind != "Add" || steps[i + 1].Kind != "Relu")
            {
                continue;
            }

            var producer = steps.Take(i).Last(s => s.Kind == "Conv");
            channels = producer.Convolution!.weight!.shape[0];
            if (channels != lastStageChannels)
            {
                stage++;
                block = 0;
                lastStageChannels = channels;
            }

            layerValues[$"layer{stage}.{block}"] = steps[i + 1].Output;
            aliases[$"layer{stage}"] = $"layer{stage}.{block}";
            names.Add($"layer{stage}.{block}");
            block++;
        }

        Layers = names;

        if (stage != 4 || channels != 512)
        {
            throw new StyleTransferException($"{source}: not a ResNet-18 graph (found {stage} stages ending at {channels} channels)");
        }
    }

    private sealed record Step(string Kind, IReadOnlyList<string> Inputs, string Output, Conv2d? Convolution, long[] Pads, long Kernel, long Stride);
}
