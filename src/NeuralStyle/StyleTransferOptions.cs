using NeuralStyle.Networks;

namespace NeuralStyle;

/// <summary>The optimiser that changes the pixels.</summary>
public enum OptimizerKind
{
    /// <summary>L-BFGS, as in the authors' code (learning rate 1, no line search, tolerances off).</summary>
    Lbfgs,

    /// <summary>Adam.</summary>
    Adam,
}

/// <summary>
/// Every setting of a style transfer, with its default. The command line (and any other front end)
/// reads its defaults from here.
/// </summary>
public sealed record StyleTransferOptions
{
    /// <summary>The paper's content layer.</summary>
    public static readonly IReadOnlyList<string> PaperContentLayers = ["conv4_2"];

    /// <summary>The paper's style layers, each weighted 1/5.</summary>
    public static readonly IReadOnlyList<string> PaperStyleLayers = ["conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"];

    /// <summary>Longest side of the result in pixels; the style image is scaled to the same longest side.</summary>
    public int Size { get; init; } = 512;

    /// <summary>Optimiser iterations (one loss and gradient evaluation each).</summary>
    public int Iterations { get; init; } = 500;

    /// <summary>α, the weight of the content loss.</summary>
    public double ContentWeight { get; init; } = 1;

    /// <summary>β, the weight of the style loss (the paper reports α/β between 1e-3 and 1e-4).</summary>
    public double StyleWeight { get; init; } = 1e3;

    /// <summary>Weight of a total-variation smoothness loss on the pixels (0–255); the paper has none.</summary>
    public double TvWeight { get; init; }

    /// <summary>Starting image: <c>noise</c> (white noise, the paper's choice), <c>content</c>, <c>style</c>, or an image file's path.</summary>
    public string Init { get; init; } = "noise";

    /// <summary>Standard deviation, in 0–255 pixel units, of the white noise around mid-grey that <c>noise</c> starts from.</summary>
    public double NoiseStdDev { get; init; } = 50;

    /// <summary>The optimiser.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Lbfgs;

    /// <summary>Learning rate; null picks 1 for L-BFGS (PyTorch's and the authors' value) and 10 for Adam (pixel units).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Pooling between VGG-19's blocks.</summary>
    public Pooling Pooling { get; init; } = Pooling.Max;

    /// <summary>The network; only <c>vgg19</c> for now.</summary>
    public string Network { get; init; } = "vgg19";

    /// <summary>The weight file; null looks for torchvision's <c>vgg19-dcbb9e9d.pth</c> in the PyTorch cache.</summary>
    public string? WeightsPath { get; init; }

    /// <summary>Layers whose responses define the content (each term summed).</summary>
    public IReadOnlyList<string> ContentLayers { get; init; } = PaperContentLayers;

    /// <summary>Layers whose Gram matrices define the style.</summary>
    public IReadOnlyList<string> StyleLayers { get; init; } = PaperStyleLayers;

    /// <summary>Weight w_l of each style layer, in the order of <see cref="StyleLayers"/>; null gives each 1 / (number of layers).</summary>
    public IReadOnlyList<double>? StyleLayerWeights { get; init; }

    /// <summary>Seed of the random noise; null draws one.</summary>
    public int? Seed { get; init; }

    /// <summary>Report an intermediate image every this many iterations; 0 never.</summary>
    public int SaveEvery { get; init; }

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The learning rate in effect.</summary>
    public double EffectiveLearningRate => LearningRate ?? (Optimizer == OptimizerKind.Lbfgs ? 1.0 : 10.0);
}
