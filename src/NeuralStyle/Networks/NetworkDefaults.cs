using NeuralStyle.Objective;
using NeuralStyle.Optimization;

namespace NeuralStyle.Networks;

/// <summary>
/// The settings each network starts from, chosen by results so that a user need not search for
/// weights: the paper's for VGG-19; for the built-in ResNet-18 the method compared in the README
/// (Adam from the content image in the painting's colours, random shifts of up to 16 px, a palette
/// term, a smoothed gradient, content loss as a mean).
/// </summary>
/// <param name="Network">The network these defaults are for.</param>
/// <param name="ContentLayers">Content layers.</param>
/// <param name="StyleLayers">Style layers.</param>
/// <param name="StyleLayerWeights">Their weights w_l, in their order (when the style layers are the defaults).</param>
/// <param name="ContentWeight">α.</param>
/// <param name="StyleWeight">β.</param>
/// <param name="Iterations">Optimiser iterations at each scale.</param>
/// <param name="Scales">Scales, coarse to fine, each twice the size of the one before.</param>
/// <param name="Optimizer">The optimiser.</param>
/// <param name="Init">The starting image.</param>
/// <param name="Jitter">Largest random shift, in pixels, of the image at each evaluation (0: none).</param>
/// <param name="LearningRateEnd">Fraction of Adam's learning rate left at the last iteration (cosine; 1: constant).</param>
/// <param name="GradientSmoothing">How much of the image's gradient its 3 × 3 binomial filtering replaces before each step (0–1).</param>
/// <param name="AverageDecay">Decay of the moving average of the iterates that is returned (0: the last iterate).</param>
/// <param name="PaintingColors">Give the photo the painting's colour statistics before synthesis.</param>
/// <param name="PaletteWeight">Weight of the palette term (0: none).</param>
/// <param name="MeanContentLoss">
/// True to average the content loss over the layer's elements instead of summing it (the paper's ½ Σ),
/// so that α/β keeps its balance at every image size.
/// </param>
/// <param name="TemporalWeight">
/// γ of a video's temporal term (<see cref="Video.ClipPainter"/>), relative to the objective: a difference
/// of the whole 0–255 range at every reliable pixel would cost γ times the objective's value where the
/// frame starts. Chosen by the warping error it leaves against the style it costs (docs/video.md).
/// </param>
/// <param name="FrameIterations">
/// The most iterations of a video's frame after the first, at its final size, from its predecessor's
/// result (<see cref="Video.ClipPainter"/>; by default half the first frame's, up to this): about half
/// a still picture's work.
/// </param>
/// <param name="CoarseContentShare">
/// What α is multiplied by at the scales before the last: below 1, the coarse scales lay out the
/// painting's large strokes with a looser hold on the photo, and the last scale, at the full α,
/// brings back the photo's detail without undoing them.
/// </param>
/// <param name="ContentHold">
/// α's rise where the picture strays from the photo (<see cref="Objective.ContentHold"/>), with Adam;
/// null: α throughout.
/// </param>
/// <param name="ReducedStyle">
/// The style terms taken again on the picture and the painting reduced (<see cref="Objective.ReducedStyle"/>),
/// so that the painting's large forms are asked for as well as its strokes; share 0: none.
/// </param>
public sealed record NetworkDefaults(
    NetworkKind Network,
    IReadOnlyList<string> ContentLayers,
    IReadOnlyList<string> StyleLayers,
    IReadOnlyList<double> StyleLayerWeights,
    double ContentWeight,
    double StyleWeight,
    int Iterations,
    int Scales,
    OptimizerKind Optimizer,
    InitialImage Init,
    int Jitter,
    double LearningRateEnd,
    double GradientSmoothing,
    double AverageDecay,
    bool PaintingColors,
    double PaletteWeight,
    bool MeanContentLoss,
    double TemporalWeight,
    int FrameIterations,
    double CoarseContentShare,
    ContentHold? ContentHold,
    ReducedStyle ReducedStyle)
{
    /// <summary>
    /// The paper's objective (conv4_2 content, conv1_1 … conv5_1 style, α/β = 1e-3, L-BFGS from noise),
    /// optimised coarse to fine: 100 iterations at each of 3 scales end lower in both losses than 500
    /// at the final size alone, in under a third of the time (README, "Time to a good picture").
    /// </summary>
    public static NetworkDefaults Vgg19 { get; } = Vgg19Recipe();

    // The recipes are methods of their own so that each reads as one list of named values.
    private static NetworkDefaults Vgg19Recipe() => new(
        Network: NetworkKind.Vgg19,
        ContentLayers: ["conv4_2"],
        StyleLayers: ["conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"],
        StyleLayerWeights: [0.2, 0.2, 0.2, 0.2, 0.2],
        ContentWeight: 1,
        StyleWeight: 1e3,
        Iterations: 100,
        Scales: 3,
        Optimizer: OptimizerKind.Lbfgs,
        Init: InitialImage.Noise,
        Jitter: 0,
        LearningRateEnd: 1,
        GradientSmoothing: 0,
        AverageDecay: 0,
        PaintingColors: false,
        PaletteWeight: 0,
        MeanContentLoss: false,
        TemporalWeight: 100,
        FrameIterations: 150,
        CoarseContentShare: 1,
        ContentHold: null,
        ReducedStyle: new(Factor: 4, Share: 0));

    /// <summary>VGG-16 with VGG-19's defaults: its layers of those names are the same convolutions but for the last of blocks 3 to 5, which none of them is.</summary>
    public static NetworkDefaults Vgg16 { get; } = Vgg19 with { Network = NetworkKind.Vgg16 };

    /// <summary>
    /// The built-in ResNet-18: Adam from the photo with random shifts, its rate falling to a tenth by the
    /// last of 200 iterations at each of 4 scales, coarse to fine. The painting's large strokes form at
    /// the coarse scales, where α is a third of the last scale's; the last brings back the photo's detail
    /// through content at <c>layer1</c>, a fine layer that holds the photo's edges without holding its
    /// large forms; at every scale α rises where the picture strays from the photo by more than half
    /// the photo's content energy, so that a close-up the painting's large forms would cover keeps its
    /// subject. Style comes mostly from the first two stages, little from the stem, none from the
    /// deeper stages, whose texture would cover the strokes with a fine one of their own; the same
    /// terms at half their weight on the picture and the painting reduced four times ask for the
    /// painting's large forms, which the full-size terms leave too quiet (docs/networks.md, "Strokes
    /// at the painting's scale"). The photo is first given the painting's
    /// colour mean and covariance and a palette term pulls the colours the rest of the way, the
    /// gradient smoothed against the network's grid (docs/palette.md).
    /// </summary>
    public static NetworkDefaults ResNet18 { get; } = ResNet18Recipe();

    private static NetworkDefaults ResNet18Recipe() => new(
        Network: NetworkKind.ResNet18,
        ContentLayers: ["layer1"],
        StyleLayers: ["conv1", "layer1", "layer2"],
        StyleLayerWeights: [0.1, 0.45, 0.45],
        ContentWeight: 2.5,
        StyleWeight: 100,
        Iterations: 200,
        Scales: 4,
        Optimizer: OptimizerKind.Adam,
        Init: InitialImage.Content,
        Jitter: 16,
        LearningRateEnd: 0.1,
        GradientSmoothing: 1,
        AverageDecay: 0,
        PaintingColors: true,
        PaletteWeight: 0.5,
        MeanContentLoss: true,
        TemporalWeight: 1000,
        FrameIterations: 100,
        CoarseContentShare: 1.0 / 3,
        ContentHold: new(Tolerance: 0.5, Pull: 40),
        ReducedStyle: new(Factor: 4, Share: 0.5));

    /// <summary>The defaults of a network (not <see cref="NetworkKind.Auto"/>, which stands for one of them).</summary>
    public static NetworkDefaults For(NetworkKind network) => network switch
    {
        NetworkKind.Vgg19 => Vgg19,
        NetworkKind.Vgg16 => Vgg16,
        NetworkKind.ResNet18 => ResNet18,
        _ => throw new ArgumentOutOfRangeException(nameof(network), network, "choose the network first (StyleTransfer.ChooseNetwork)"),
    };

    /// <summary>The learning rate for an optimiser: 1 for L-BFGS (the authors' value); for Adam, in 0–255 pixel units, 4 from the content image and 10 from noise.</summary>
    public double LearningRate(OptimizerKind optimizer, InitialImage init) =>
        optimizer == OptimizerKind.Lbfgs ? 1.0 : init.Kind == InitKind.Content ? 4.0 : 10.0;
}
