using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Objective;
using NeuralStyle.Optimization;

namespace NeuralStyle;

/// <summary>The optimiser that changes the pixels.</summary>
public enum OptimizerKind
{
    /// <summary>L-BFGS, as in the authors' code (learning rate 1, no line search, tolerances off).</summary>
    Lbfgs,

    /// <summary>Adam.</summary>
    Adam,
}

/// <summary>The number type the network computes in; loss values and pixels stay float32.</summary>
public enum Precision
{
    /// <summary>
    /// bfloat16 where the device computes it natively (a CPU with AVX-512 BF16 or AMX, a CUDA GPU of
    /// compute capability 8.0 or more), float32 elsewhere (see <see cref="PrecisionChoice"/>).
    /// </summary>
    Auto,

    /// <summary>32-bit floats throughout: what exactness to PyTorch's float32 results needs.</summary>
    Float32,

    /// <summary>
    /// The network and the losses' gradients in bfloat16, G − A and the loss values in float32 (about
    /// twice as fast for VGG-19 on CPUs with AVX-512 BF16).
    /// </summary>
    BFloat16,
}

/// <summary>
/// Every setting of a style transfer, with its default. The command line (and any other front end)
/// reads its defaults from here. Settings left null take the chosen network's
/// <see cref="NetworkDefaults"/>.
/// </summary>
public sealed record StyleTransferOptions
{
    /// <summary>Longest side of the result in pixels; the style image is scaled to the same longest side.</summary>
    public int Size { get; init; } = 512;

    /// <summary>Optimiser iterations (one loss and gradient evaluation each) at each scale; null: the network's default.</summary>
    public int? Iterations { get; init; }

    /// <summary>
    /// Number of scales, coarse to fine: each is half the size of the next, the last is <see cref="Size"/>,
    /// and each starts from the previous result enlarged (scales under 64 px are skipped); 1 optimises at
    /// <see cref="Size"/> only; null: the network's default.
    /// </summary>
    public int? Scales { get; init; }

    /// <summary>α, the weight of the content loss; null: the network's default.</summary>
    public double? ContentWeight { get; init; }

    /// <summary>β, the weight of the style loss (the paper reports α/β between 1e-3 and 1e-4); null: the network's default.</summary>
    public double? StyleWeight { get; init; }

    /// <summary>
    /// How strongly the painting is imposed: every style-side term (β's style loss and the palette term)
    /// is multiplied by it, and the photo's recolouring (<see cref="PaintingColors"/>) goes that fraction
    /// of the way (all of it from 1 on). 0 keeps the photo; 1 is the default; more moves further toward the painting.
    /// </summary>
    public double StyleStrength { get; init; } = 1;

    /// <summary>
    /// Share of each painting when several are given, in their order (normalised to sum 1; a painting
    /// given 0 plays no part); null: equal shares. Without masks the style targets are the blended
    /// Gram matrices; with masks each painting's loss over its own region is weighed by its share times
    /// the number of paintings, so that equal shares pull each region as hard as one painting pulls a whole picture.
    /// </summary>
    public IReadOnlyList<double>? StyleBlend { get; init; }

    /// <summary>
    /// The painting's longest side as a multiple of the picture's (at each scale) when its targets are
    /// computed: below 1 the strokes come out smaller, above 1 larger.
    /// </summary>
    public double StyleScale { get; init; } = 1;

    /// <summary>
    /// The first style layer whose targets come from the coarse painting (<see cref="StyleSources.Coarse"/>);
    /// the paintings supply the layers before it. Null: the deeper half of the style layers (from the
    /// middle one on). Used only when there is a coarse painting.
    /// </summary>
    public string? CoarseFrom { get; init; }

    /// <summary>
    /// Give the photo the painting's colour mean and covariance before synthesis (<see cref="Images.ColorTransfer"/>),
    /// so that its content target and, when starting from the photo, its start are in the painting's palette; null: the network's default.
    /// </summary>
    public bool? PaintingColors { get; init; }

    /// <summary>
    /// Keep the photo's colours (<see cref="ColorPreservation"/>, Gatys et al. 2016); anything but
    /// <see cref="ColorPreservation.None"/> also leaves out the recolouring of <see cref="PaintingColors"/>.
    /// </summary>
    public ColorPreservation PreserveColors { get; init; } = ColorPreservation.None;

    /// <summary>Weight of the palette term, which pulls the picture's colour distribution to the painting's (<see cref="Objective.ObjectiveSettings.PaletteWeight"/>); null: the network's default.</summary>
    public double? PaletteWeight { get; init; }

    /// <summary>
    /// Weight of the style terms taken again on the picture and the painting reduced (<see cref="Objective.ReducedStyle"/>),
    /// as a share of each style layer's weight: the painting's large forms (0: none); null: the network's default.
    /// </summary>
    public double? ReducedStyleWeight { get; init; }

    /// <summary>What the style terms compare: the paper's Gram matrices, or the responses' sliced distributions (<see cref="Objective.StyleLoss"/>).</summary>
    public StyleLoss StyleLoss { get; init; } = StyleLoss.Gram;

    /// <summary>Weight of a total-variation smoothness loss on the pixels (0–255); the paper has none.</summary>
    public double TvWeight { get; init; }

    /// <summary>The picture the optimisation starts from; null: the network's default.</summary>
    public InitialImage? Init { get; init; }

    /// <summary>Standard deviation, in 0–255 pixel units, of the white noise around mid-grey that <c>noise</c> starts from.</summary>
    public double NoiseStdDev { get; init; } = 50;

    /// <summary>The optimiser; null: the network's default.</summary>
    public OptimizerKind? Optimizer { get; init; }

    /// <summary>Curvature pairs L-BFGS keeps (PyTorch's and the reference tools' default, 100); each costs two image-sized vectors.</summary>
    public int LbfgsHistory { get; init; } = 100;

    /// <summary>Learning rate; null: see <see cref="NetworkDefaults.LearningRate"/>.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Fraction of the learning rate Adam's falls to, along a half cosine, by the last iteration of each scale (1: constant); null: the network's default.</summary>
    public double? LearningRateEnd { get; init; }

    /// <summary>Largest random shift in pixels of the image at each evaluation (the content target shifts alike); null: the network's default.</summary>
    public int? Jitter { get; init; }

    /// <summary>Decay of the moving average of the iterates that is returned (0: the last iterate); null: the network's default.</summary>
    public double? AverageDecay { get; init; }

    /// <summary>How much of the image's gradient is replaced by its 3 × 3 binomial filtering before each step, 0–1 (<see cref="Optimization.SynthesisSettings.GradientSmoothing"/>); null: the network's default.</summary>
    public double? GradientSmoothing { get; init; }

    /// <summary>Softmax smoothing of the activations before the losses (see <see cref="Objective.ObjectiveSettings"/>).</summary>
    public bool SoftmaxSmoothing { get; init; }

    /// <summary>Pooling between VGG-19's blocks.</summary>
    public Pooling Pooling { get; init; } = Pooling.Max;

    /// <summary>The network; <see cref="NetworkKind.Auto"/> takes VGG-19 when weights are given or found in the PyTorch cache, else the built-in ResNet-18.</summary>
    public NetworkKind Network { get; init; } = NetworkKind.Auto;

    /// <summary>The VGG-19 weight file; null looks for torchvision's <c>vgg19-dcbb9e9d.pth</c> in the PyTorch cache.</summary>
    public string? WeightsPath { get; init; }

    /// <summary>Layers whose responses define the content (each term summed); null: the network's default.</summary>
    public IReadOnlyList<string>? ContentLayers { get; init; }

    /// <summary>Layers whose Gram matrices define the style; null: the network's default.</summary>
    public IReadOnlyList<string>? StyleLayers { get; init; }

    /// <summary>Weight w_l of each style layer, in the order of the style layers; null gives each 1 / (number of layers).</summary>
    public IReadOnlyList<double>? StyleLayerWeights { get; init; }

    /// <summary>Seed of the random noise and shifts; null draws one.</summary>
    public int? Seed { get; init; }

    /// <summary>Report an intermediate image every this many iterations; 0 never.</summary>
    public int SaveEvery { get; init; }

    /// <summary>
    /// Evaluate the objective tile by tile, each tile answering for about this many pixels a side (with
    /// margins for the network's receptive field), when the picture is larger: the same losses and
    /// gradient in memory that a tile bounds. 0: the whole picture at once.
    /// </summary>
    public int Tile { get; init; }

    /// <summary>
    /// Iterations at each scale that is evaluated in tiles (larger than <see cref="Tile"/>, or than the
    /// tile chosen when the scale does not fit whole); null: <see cref="Iterations"/>. A print-size job
    /// spends most iterations at the scales that fit whole and a few at the tiled ones, which cost
    /// more per pixel (each tile runs twice and reads a margin).
    /// </summary>
    public int? TiledIterations { get; init; }

    /// <summary>
    /// The most memory the job may take, in bytes; null: what the machine has free. A scale that does
    /// not fit whole in it is tiled, and a job that does not fit even in tiles is refused. A server
    /// sets it so that one job leaves room for the others.
    /// </summary>
    public long? MaxMemory { get; init; }

    /// <summary>The number type the network computes in; <see cref="Precision.Auto"/> chooses by the device.</summary>
    public Precision Precision { get; init; } = Precision.Auto;

    /// <summary>The processor the synthesis runs on.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;
}
