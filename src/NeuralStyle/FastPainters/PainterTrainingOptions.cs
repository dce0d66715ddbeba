using NeuralStyle.Networks;

namespace NeuralStyle.FastPainters;

/// <summary>How a painter is trained: every default in one place (docs/fast-painters.md says why each is what it is).</summary>
public sealed record PainterTrainingOptions
{
    /// <summary>Side of the square crops it trains on, in pixels.</summary>
    public int Size { get; init; } = 256;

    /// <summary>
    /// Longest side each training photo is brought to before it is cropped, and the side the paintings
    /// are read at: the size of picture whose strokes the painter learns (the optimisation's default
    /// picture is 512 px).
    /// </summary>
    public int PhotoSide { get; init; } = 512;

    /// <summary>Crops in each step.</summary>
    public int Batch { get; init; } = 4;

    /// <summary>Steps of Adam.</summary>
    public int Iterations { get; init; } = 1400;

    /// <summary>Adam's rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Channels at full, half and quarter resolution.</summary>
    public IReadOnlyList<int> Widths { get; init; } = TransformerShape.Default.Widths;

    /// <summary>Residual blocks at quarter resolution.</summary>
    public int ResidualBlocks { get; init; } = TransformerShape.Default.ResidualBlocks;

    /// <inheritdoc cref="TransformerShape.AntiAliased"/>
    public bool AntiAliased { get; init; } = TransformerShape.Default.AntiAliased;

    /// <summary>The loss network: the built-in ResNet-18 (fast on a CPU) or a VGG file's.</summary>
    public NetworkKind Network { get; init; } = NetworkKind.ResNet18;

    /// <summary>The VGG weights file, for a VGG loss network.</summary>
    public string? WeightsPath { get; init; }

    /// <summary>
    /// α; null: <see cref="ContentShare"/> times the loss network's default for an optimisation, which
    /// starts from the photo (a painter starts from nothing and must learn to keep it).
    /// </summary>
    public double? ContentWeight { get; init; }

    /// <summary>β; null: the loss network's default.</summary>
    public double? StyleWeight { get; init; }

    /// <summary>Weight of the total-variation term.</summary>
    public double TvWeight { get; init; }

    /// <summary>Weight of the palette term; null: the loss network's default.</summary>
    public double? PaletteWeight { get; init; }

    /// <summary>
    /// Weight of the temporal loss (<see cref="KnownMotion"/>): how hard the painter is taught to paint
    /// a crop moved by a small known motion as it painted the crop, moved, so that it is steady on
    /// video; 0 trains without it.
    /// </summary>
    public double TemporalWeight { get; init; } = DefaultTemporalWeight;

    /// <summary>The temporal loss's default weight (docs/fast-painters.md says why).</summary>
    public const double DefaultTemporalWeight = 2000;

    /// <summary>
    /// Weight of the feature-level temporal loss (Gao et al., ReCoNet 2018): the same motion asked of
    /// the network's features at quarter resolution (<see cref="TemporalLoss.OfFeatures"/>) instead
    /// of its pictures; 0 leaves it out.
    /// </summary>
    public double FeatureTemporalWeight { get; init; }

    /// <summary>Whether either temporal loss is on, and each step paints a second frame.</summary>
    public bool Steadied => TemporalWeight > 0 || FeatureTemporalWeight > 0;

    /// <summary>Write a preview of the held-out photos and the loss curve every this many steps (0: never).</summary>
    public int PreviewEvery { get; init; } = 100;

    /// <summary>Save a checkpoint every this many steps (0: only when stopped and at the end).</summary>
    public int CheckpointEvery { get; init; } = 100;

    /// <summary>Continue from the checkpoint beside the output instead of starting afresh.</summary>
    public bool Resume { get; init; }

    /// <summary>Seed of the network's first weights and of the crops.</summary>
    public int Seed { get; init; }

    /// <summary>The shape these options ask for, with a style for each of <paramref name="paintings"/>.</summary>
    public TransformerShape ShapeFor(int paintings) => new(Widths, ResidualBlocks, paintings, AntiAliased);

    /// <summary>Checks every setting.</summary>
    /// <exception cref="StyleTransferException">A setting out of range.</exception>
    public void Validate()
    {
        StyleTransfer.Require(Size is >= 32 and <= 2048 && Size % 4 == 0, nameof(Size), "takes a multiple of 4 from 32 to 2048");
        StyleTransfer.Require(PhotoSide >= Size && PhotoSide <= 8192, nameof(PhotoSide), "takes from the crop size to 8192");
        StyleTransfer.Require(Batch is >= 1 and <= 256, nameof(Batch), "takes 1 to 256");
        StyleTransfer.Require(Iterations is >= 1 and <= 10_000_000, nameof(Iterations), "takes 1 to 10,000,000");
        StyleTransfer.Require(LearningRate is > 0 and < 1 && double.IsFinite(LearningRate), nameof(LearningRate), "takes a rate above 0 and below 1");
        StyleTransfer.Require(Network != NetworkKind.Auto, nameof(Network), "names the loss network");
        StyleTransfer.Require(ContentWeight is null or >= 0 && StyleWeight is null or >= 0 && TvWeight >= 0 && PaletteWeight is null or >= 0, nameof(ContentWeight), "weights are at least 0");
        StyleTransfer.Require(TemporalWeight >= 0 && double.IsFinite(TemporalWeight), nameof(TemporalWeight), "takes a weight of at least 0");
        StyleTransfer.Require(FeatureTemporalWeight >= 0 && double.IsFinite(FeatureTemporalWeight), nameof(FeatureTemporalWeight), "takes a weight of at least 0");
        StyleTransfer.Require(PreviewEvery >= 0 && CheckpointEvery >= 0, nameof(PreviewEvery), "takes 0 or more");
        ShapeFor(1).Validate();
    }

    /// <summary>
    /// α's default as a multiple of the loss network's for an optimisation: at 4 the built-in
    /// network's painters lost the photo's edges to blobs of light and dark; at 64 they keep them
    /// (docs/fast-painters.md, "the content weight").
    /// </summary>
    public const double ContentShare = 64;

    /// <summary>The objective's options that these stand for.</summary>
    internal StyleTransferOptions LossOptions() => new()
    {
        Network = Network,
        WeightsPath = WeightsPath,
        ContentWeight = ContentWeight ?? (ContentShare * NetworkDefaults.For(Network).ContentWeight),
        StyleWeight = StyleWeight,
        TvWeight = TvWeight,
        PaletteWeight = PaletteWeight,
        Precision = Precision.Float32,
        Size = PhotoSide,
    };
}
