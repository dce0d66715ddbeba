using NeuralStyle.Networks.Weights;
using NeuralStyle.Platform;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Networks;

/// <summary>
/// VGG-19's or VGG-16's convolutional part (as its weights say) as far as they go, answering one question: the activations at
/// the named layers for an image, running only as deep as the deepest layer asked for.
/// </summary>
public sealed class Vgg : nn.Module, IFeatureNetwork
{
    // Registered one by one under their layer names (so the state dict reads conv1_1.weight …);
    // TorchSharp's ModuleDict breaks Module.to(dtype) in 0.107.
    private readonly Dictionary<string, Conv2d> convolutions = [];
    private readonly Pooling pooling;
    private readonly VggLayout layout;

    /// <summary>Builds the network from checked weights; its parameters never need gradients.</summary>
    public Vgg(VggWeights weights, Pooling pooling)
        : base(nameof(Vgg))
    {
        Nnpack.TurnOff();
        this.pooling = pooling;
        layout = weights.Layout;
        Convention = weights.Convention;
        WeightsPath = weights.Path;
        foreach (var (name, inChannels, outChannels) in layout.Convolutions)
        {
            if (!weights.Layers.TryGetValue(name, out var layer))
            {
                break;
            }

            var conv = nn.Conv2d(inChannels, outChannels, 3, padding: 1);

            // The scope keeps the temporary tensors referenced (and so unfinalized) until libtorch has copied them.
            using (NewDisposeScope())
            using (no_grad())
            {
                conv.weight = new Parameter(ChannelsLast.Of(tensor(layer.Weight.Values).reshape(layer.Weight.Shape)).DetachFromDisposeScope(), requires_grad: false);
                conv.bias!.copy_(tensor(layer.Bias.Values));
            }

            convolutions.Add(name, conv);
            register_module(name, conv);
        }

        foreach (var parameter in parameters())
        {
            parameter.requires_grad = false;
        }
    }

    /// <summary>The file the weights came from.</summary>
    public string WeightsPath { get; }

    /// <summary>The input convention of the weights; see <see cref="InputConventionExtensions.ToNetworkInput"/>.</summary>
    public InputConvention Convention { get; }

    /// <summary>True when the weights reach <paramref name="canonicalLayer"/> (a pooling layer needs the convolution before it).</summary>
    public bool Has(string canonicalLayer)
    {
        var depth = layout.Depth(canonicalLayer);
        return layout.Layers.Take(depth + 1).Where(l => l.StartsWith("conv", StringComparison.Ordinal)).All(convolutions.ContainsKey);
    }

    /// <summary>The deepest layer this network can compute.</summary>
    public string DeepestConvolution => convolutions.Keys.Last();

    /// <inheritdoc />
    public IReadOnlyList<string> Layers => [.. layout.Layers.Where(Has)];

    /// <inheritdoc />
    /// <remarks>Four 2 × 2 poolings before conv5_1.</remarks>
    public int TileAlignment => 16;

    /// <inheritdoc />
    /// <remarks>
    /// Each 3 × 3 convolution widens the receptive field by twice the stride it works at, each 2 × 2
    /// pooling by once: conv5_1 sees 156 px (margin 80), conv4_2 84 (margin 48).
    /// </remarks>
    public int TileMargin(IReadOnlyCollection<string> layers)
    {
        var deepest = layers.Max(layout.Depth);
        var (field, stride) = (1, 1);
        foreach (var layer in layout.Layers.Take(deepest + 1))
        {
            var pooling = layer.StartsWith("pool", StringComparison.Ordinal);
            field += (pooling ? 1 : 2) * stride;
            stride *= pooling ? 2 : 1;
        }

        return Rounded(field / 2, TileAlignment);
    }

    private static int Rounded(int pixels, int step) => (pixels + step - 1) / step * step;

    /// <inheritdoc />
    public string? Canonical(string layer) => layout.Canonical(layer);

    /// <inheritdoc />
    public string? Unavailable(string canonicalLayer) => Has(canonicalLayer)
        ? null
        : $"{WeightsPath}: holds {layout.Title} only up to {DeepestConvolution}, so layer {canonicalLayer} cannot be computed; choose shallower {{ContentLayers}}/{{StyleLayers}}";

    /// <inheritdoc />
    public Dictionary<string, Tensor> Activations(Tensor rgb255, IReadOnlyCollection<string> layers)
    {
        var deepest = layers.Max(layout.Depth);
        var path = layout.Layers.Take(deepest + 1).ToList();
        var result = new Dictionary<string, Tensor>();
        // The network computes in its weights' type (bfloat16 when asked) and answers in it: the losses
        // widen what they sum, and their gradients enter the backward pass in the type it computes in.
        var x = ChannelsLast.Of(Convention.ToNetworkInput(rgb255)).to(convolutions.Values.First().weight!.dtype);
        var first = true;
        var rectifyAfterPooling = false;
        for (var i = 0; i < path.Count; i++)
        {
            var layer = path[i];
            var input = x;
            if (layer.StartsWith("pool", StringComparison.Ordinal))
            {
                var pooled = pooling == Pooling.Max ? nn.functional.max_pool2d(input, 2, 2) : nn.functional.avg_pool2d(input, 2, 2);
                x = rectifyAfterPooling ? RectifiedOnce(pooled) : pooled;
            }
            else
            {
                var convolved = convolutions[layer].call(input);

                // Max pooling and ReLU commute (both are monotonic), so a ReLU whose output nobody
                // asked for and that a max pool follows runs after the pool, on a quarter of the
                // values: about 5 ms of a bfloat16 VGG-19 iteration at 512 px (0.456 to 0.451 s, 3 runs each).
                rectifyAfterPooling = pooling == Pooling.Max && i + 1 < path.Count && path[i + 1].StartsWith("pool", StringComparison.Ordinal) && !layers.Contains(layer);
                x = rectifyAfterPooling ? convolved : RectifiedOnce(convolved);
            }

            // A dispose scope would keep every intermediate alive to the end of the evaluation; let
            // go of each as soon as it is used, and autograd keeps only what the backward pass needs
            // (a ReLU's output, a convolution's input): at 1024 px 5.5 to 4.0 GiB resident.
            if (!first && !result.Values.Any(r => ReferenceEquals(r, input)))
            {
                input.Dispose();
            }

            first = false;
            if (layers.Contains(layer))
            {
                result[layer] = x;
            }
        }

        return result;
    }

    // The input is released at once: autograd keeps what the ReLU's backward pass needs, its output.
    private static Tensor RectifiedOnce(Tensor input)
    {
        using (input)
        {
            return nn.functional.relu(input);
        }
    }
}
