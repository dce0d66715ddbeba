using NeuralStyle.Platform;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.FastPainters;

/// <summary>
/// Johnson, Alahi &amp; Fei-Fei's transformer (2016) with Ulyanov's instance normalisation: a 9×9
/// convolution, two stride-2 convolutions, residual blocks, two resize-convolutions (nearest ×2,
/// then 3×3: no checkerboard, after Odena, Dumoulin &amp; Olah 2016) and a 9×9 convolution back to
/// RGB, every convolution padded by reflection. RGB 0–255 in and out.
/// </summary>
/// <remarks>
/// The layers' names are the painter file's: <see cref="Layers"/> lists them in order, and each
/// convolution's weights and each normalisation's scale and shift are stored under them.
/// </remarks>
public sealed class TransformerNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<Conv2d> convolutions = new();
    private readonly ModuleList<ConditionalInstanceNorm> norms = new();

    /// <summary>A network of <paramref name="shape"/> with PyTorch's initial weights.</summary>
    public TransformerNetwork(TransformerShape shape)
        : base(nameof(TransformerNetwork))
    {
        shape.Validate();
        Shape = shape;
        Layers = [.. LayerPlan(shape)];
        foreach (var layer in Layers)
        {
            convolutions.Add(nn.Conv2d(layer.In, layer.Out, layer.Kernel, stride: layer.Stride, padding: layer.Kernel / 2, padding_mode: PaddingModes.Reflect));
            if (layer.Normalised)
            {
                norms.Add(new ConditionalInstanceNorm(layer.Name, layer.Out, shape.Styles));
            }
        }

        RegisterComponents();
    }

    /// <summary>
    /// Draws every convolution's weights and biases afresh from <paramref name="seed"/> alone, as
    /// PyTorch's default does (uniform within ±1/√fan-in), with a generator of its own: the global one
    /// is shared with whatever else the process runs.
    /// </summary>
    public void Initialise(int seed)
    {
        using var noGradient = no_grad();
        using var generator = new Generator((ulong)seed, CPU);
        foreach (var convolution in convolutions)
        {
            var bound = 1 / Math.Sqrt(convolution.weight!.shape[1] * convolution.weight.shape[2] * convolution.weight.shape[3]);
            convolution.weight.uniform_(-bound, bound, generator);
            convolution.bias!.uniform_(-bound, bound, generator);
        }
    }

    /// <summary>Its size.</summary>
    public TransformerShape Shape { get; }

    /// <summary>The convolutions in order, each with its name, channels, kernel, stride and what follows it.</summary>
    public IReadOnlyList<TransformerLayer> Layers { get; }

    /// <summary>The convolution of layer <paramref name="index"/>.</summary>
    internal Conv2d Convolution(int index) => convolutions[index];

    /// <summary>The normalisation after layer <paramref name="index"/> (null for the last, which has none).</summary>
    internal ConditionalInstanceNorm? Norm(int index) => Layers[index].Normalised ? norms[Layers.Take(index).Count(l => l.Normalised)] : null;

    /// <summary>
    /// Paints RGB 0–255 pictures [N, 3, H, W] (H and W multiples of 4) in the blend <paramref name="styleWeights"/>
    /// [styles] of its styles; the result is not clamped to 0–255.
    /// </summary>
    public override Tensor forward(Tensor rgb255, Tensor styleWeights)
    {
        var (pictures, features) = Paint(rgb255, styleWeights);
        features.Dispose();
        return pictures;
    }

    /// <summary>
    /// <see cref="forward"/>'s pictures and the features it painted them from: the last residual
    /// block's output [N, C, H/4, W/4], which the feature-level temporal loss holds steady.
    /// </summary>
    internal (Tensor Pictures, Tensor Features) Paint(Tensor rgb255, Tensor styleWeights)
    {
        using var scope = NewDisposeScope();
        var x = rgb255.Over(255);
        Tensor? residual = null, features = null;
        for (var i = 0; i < Layers.Count; i++)
        {
            var layer = Layers[i];
            if (layer.Role == LayerRole.Upsample)
            {
                features ??= x;
                x = Shape.AntiAliased
                    ? nn.functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Bilinear, align_corners: false)
                    : nn.functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
            }

            // Blurring the input of a stride-2 convolution is blurring its output before it is
            // subsampled (both are linear): Zhang's anti-aliased subsampling ("Making Convolutional
            // Networks Shift-Invariant Again", 2019) at the cost of one depthwise 3×3 filter.
            if (layer.Stride == 2 && Shape.AntiAliased)
            {
                x = Optimization.Binomial.Smooth(x, PaddingModes.Reflect);
            }

            if (layer.Role == LayerRole.ResidualIn)
            {
                residual = x;
            }

            x = convolutions[i].forward(x);
            if (Norm(i) is { } norm)
            {
                x = norm.forward(x, styleWeights);
            }

            x = layer.Role switch
            {
                LayerRole.ResidualOut => x.Plus(residual!),
                LayerRole.Output => x.Times(255),
                _ => nn.functional.relu(x),
            };
        }

        return (x.MoveToOuterDisposeScope(), features!.MoveToOuterDisposeScope());
    }

    private static IEnumerable<TransformerLayer> LayerPlan(TransformerShape shape)
    {
        var (w1, w2, w3) = (shape.Widths[0], shape.Widths[1], shape.Widths[2]);
        yield return new("in", 3, w1, 9, 1, LayerRole.Plain);
        yield return new("down1", w1, w2, 3, 2, LayerRole.Plain);
        yield return new("down2", w2, w3, 3, 2, LayerRole.Plain);
        for (var b = 0; b < shape.ResidualBlocks; b++)
        {
            yield return new($"res{b}a", w3, w3, 3, 1, LayerRole.ResidualIn);
            yield return new($"res{b}b", w3, w3, 3, 1, LayerRole.ResidualOut);
        }

        yield return new("up1", w3, w2, 3, 1, LayerRole.Upsample);
        yield return new("up2", w2, w1, 3, 1, LayerRole.Upsample);
        yield return new("out", w1, 3, 9, 1, LayerRole.Output);
    }
}

/// <summary>What a layer of the transformer does besides its convolution.</summary>
public enum LayerRole
{
    /// <summary>Normalised, then ReLU.</summary>
    Plain,

    /// <summary>The first convolution of a residual block: normalised, then ReLU; the block's input is kept.</summary>
    ResidualIn,

    /// <summary>The second convolution of a residual block: normalised, then the block's input added (no ReLU).</summary>
    ResidualOut,

    /// <summary>Nearest-neighbour enlargement ×2 before it; normalised, then ReLU.</summary>
    Upsample,

    /// <summary>The last convolution, back to RGB: no normalisation, scaled to 0–255.</summary>
    Output,
}

/// <summary>One convolution of the transformer.</summary>
/// <param name="Name">Its name in the painter file.</param>
/// <param name="In">Input channels.</param>
/// <param name="Out">Output channels.</param>
/// <param name="Kernel">Kernel side.</param>
/// <param name="Stride">Stride.</param>
/// <param name="Role">What it does besides convolving.</param>
public sealed record TransformerLayer(string Name, int In, int Out, int Kernel, int Stride, LayerRole Role)
{
    /// <summary>Whether instance normalisation follows it.</summary>
    public bool Normalised => Role != LayerRole.Output;
}
