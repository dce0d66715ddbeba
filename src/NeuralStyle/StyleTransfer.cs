using System.Runtime.CompilerServices;
using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;
using NeuralStyle.Objective;
using NeuralStyle.Optimization;
using NeuralStyle.Planning;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle;

/// <summary>The finished picture and how the run ended.</summary>
/// <param name="Image">The result.</param>
/// <param name="IterationsRun">Iterations completed.</param>
/// <param name="Iterations">Iterations asked for (the option, else the network's default).</param>
/// <param name="Cancelled">True when cancellation stopped the run early; <paramref name="Image"/> is then the image so far.</param>
/// <param name="Network">The network that was used.</param>
public sealed record StyleTransferResult(RgbImage Image, int IterationsRun, int Iterations, bool Cancelled, NetworkKind Network)
{
    /// <summary>The same picture with 16 bits per channel, before its rounding to <see cref="Image"/>'s 8 (for prints).</summary>
    public required RgbImage16 Image16 { get; init; }

    /// <summary>
    /// The tile the final scale was evaluated with (<see cref="StyleTransferOptions.Tile"/>, or the largest
    /// that fits when the whole picture did not); 0: whole.
    /// </summary>
    public int Tile { get; init; }

    /// <summary>The number type the network computed in (<see cref="Precision.Auto"/> resolved).</summary>
    public Precision Precision { get; init; }
}

/// <summary>
/// Repaints a photograph in the style of a painting (Gatys, Ecker &amp; Bethge, 2015): the whole
/// pipeline from decoded images to the result, driven by <see cref="StyleTransferOptions"/>.
/// </summary>
public static class StyleTransfer
{
    /// <summary>Checks options that need no image: sizes, counts, weights, network, device.</summary>
    /// <exception cref="StyleTransferException">An option is impossible; the message names it.</exception>
    public static void Validate(StyleTransferOptions options)
    {
        if (Checked.TryGetValue(options, out _))
        {
            return;
        }

        Require(options.Size >= 16, nameof(StyleTransferOptions.Size), $"must be at least 16 (got {options.Size})");
        Require(options.Iterations is null or >= 1, nameof(StyleTransferOptions.Iterations), $"must be at least 1 (got {options.Iterations})");
        Require(options.Scales is null or >= 1, nameof(StyleTransferOptions.Scales), $"must be at least 1 (got {options.Scales})");
        Require(options.ContentWeight is null || (options.ContentWeight >= 0 && double.IsFinite(options.ContentWeight.Value)), nameof(StyleTransferOptions.ContentWeight), $"must be a finite number ≥ 0 (got {options.ContentWeight})");
        Require(options.StyleWeight is null || (options.StyleWeight >= 0 && double.IsFinite(options.StyleWeight.Value)), nameof(StyleTransferOptions.StyleWeight), $"must be a finite number ≥ 0 (got {options.StyleWeight})");
        Require(options.TvWeight >= 0 && double.IsFinite(options.TvWeight), nameof(StyleTransferOptions.TvWeight), $"must be a finite number ≥ 0 (got {options.TvWeight})");
        Require(options.StyleStrength >= 0 && double.IsFinite(options.StyleStrength), nameof(StyleTransferOptions.StyleStrength), $"must be a finite number ≥ 0 (got {options.StyleStrength})");
        Require(options.StyleScale > 0 && options.StyleScale <= 64, nameof(StyleTransferOptions.StyleScale), $"must be a number above 0 and at most 64 (got {options.StyleScale})");
        Require(options.GradientSmoothing is null || options.GradientSmoothing is >= 0 and <= 1, nameof(StyleTransferOptions.GradientSmoothing), $"must be in [0, 1] (got {options.GradientSmoothing})");
        Require(options.PaletteWeight is null || (options.PaletteWeight >= 0 && double.IsFinite(options.PaletteWeight.Value)), nameof(StyleTransferOptions.PaletteWeight), $"must be a finite number ≥ 0 (got {options.PaletteWeight})");
        Require(options.ReducedStyleWeight is null || (options.ReducedStyleWeight >= 0 && double.IsFinite(options.ReducedStyleWeight.Value)), nameof(StyleTransferOptions.ReducedStyleWeight), $"must be a finite number ≥ 0 (got {options.ReducedStyleWeight})");
        RequireAtMost(MostWeight, (options.ContentWeight, nameof(StyleTransferOptions.ContentWeight)), (options.StyleWeight, nameof(StyleTransferOptions.StyleWeight)), (options.TvWeight, nameof(StyleTransferOptions.TvWeight)), (options.PaletteWeight, nameof(StyleTransferOptions.PaletteWeight)), (options.ReducedStyleWeight, nameof(StyleTransferOptions.ReducedStyleWeight)));
        RequireAtMost(MostStrength, (options.StyleStrength, nameof(StyleTransferOptions.StyleStrength)));
        Require(options.NoiseStdDev >= 0 && double.IsFinite(options.NoiseStdDev), $"the noise's standard deviation must be a finite number ≥ 0 (got {options.NoiseStdDev})");
        Require(options.LearningRate is null || (options.LearningRate > 0 && double.IsFinite(options.LearningRate.Value)), nameof(StyleTransferOptions.LearningRate), $"must be a finite number > 0 (got {options.LearningRate})");
        Require(options.LbfgsHistory >= 1, nameof(StyleTransferOptions.LbfgsHistory), $"must be at least 1 (got {options.LbfgsHistory})");
        Require(options.LearningRateEnd is null or (>= 0 and <= 1), nameof(StyleTransferOptions.LearningRateEnd), $"must be in [0, 1] (got {options.LearningRateEnd})");
        Require(options.Jitter is null or >= 0, nameof(StyleTransferOptions.Jitter), $"must be ≥ 0 (got {options.Jitter})");
        Require(options.AverageDecay is null or (>= 0 and < 1), nameof(StyleTransferOptions.AverageDecay), $"must be in [0, 1) (got {options.AverageDecay})");
        Require(options.SaveEvery >= 0, nameof(StyleTransferOptions.SaveEvery), $"must be ≥ 0 (got {options.SaveEvery})");
        Require(options.Tile is 0 or >= 64, nameof(StyleTransferOptions.Tile), $"must be 0 (whole) or at least 64 (got {options.Tile})");
        Require(options.MaxMemory is null or >= MemoryEstimate.LeastMaxMemory, nameof(StyleTransferOptions.MaxMemory), $"must be at least {MemoryEstimate.LeastMaxMemory >> 30} GiB (got {options.MaxMemory / (double)(1L << 30):0.###} GiB)");
        Require(options.TiledIterations is null or >= 1, nameof(StyleTransferOptions.TiledIterations), $"must be at least 1 (got {options.TiledIterations})");
        Require(options.Network != NetworkKind.ResNet18 || options.WeightsPath is null, nameof(StyleTransferOptions.WeightsPath), "is for {Network} vgg19 or vgg16; the built-in resnet18 needs none");
        Require(options.ContentLayers is null || options.ContentLayers.Count > 0, nameof(StyleTransferOptions.ContentLayers), "needs at least one layer");
        Require(options.StyleLayers is null || options.StyleLayers.Count > 0, nameof(StyleTransferOptions.StyleLayers), "needs at least one layer");
        if (options.StyleLayerWeights is { } weights)
        {
            var count = options.StyleLayers?.Count ?? NetworkDefaults.For(ChooseNetwork(options)).StyleLayers.Count;
            Require(weights.Count == count, nameof(StyleTransferOptions.StyleLayerWeights), $"has {weights.Count} values for {count} style layers");
            Require(weights.All(w => w >= 0 && double.IsFinite(w)), nameof(StyleTransferOptions.StyleLayerWeights), "must be finite numbers ≥ 0");
        }

        Require(options.Init?.Path is null || File.Exists(options.Init.Path), nameof(StyleTransferOptions.Init), $"{options.Init}: no such image file (or use noise, content or style)");
        TorchDevice(options.Device);
        Checked.AddOrUpdate(options, options);
    }

    // Options and paintings are records that nobody changes: each value is checked once, wherever it
    // enters (the paintings' call, a painter's door, a network's load), and passes at once after that.
    private static readonly ConditionalWeakTable<StyleTransferOptions, StyleTransferOptions> Checked = [];
    private static readonly ConditionalWeakTable<StyleSources, StyleTransferOptions> CheckedAgainst = [];

    // Far above any weight that paints (the defaults are 1 to 1000), and low enough that a squared
    // gradient stays within float32 (a weight of 1e308 made the loss infinite and the run fail in libtorch).
    private const double MostWeight = 1e9;
    private const double MostStrength = 1e3;

    private static void RequireAtMost(double most, params (double? Value, string Setting)[] settings)
    {
        foreach (var (value, setting) in settings)
        {
            Require(!(value > most), setting, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"must be at most {most:0e+0} (got {value:0.###e+0})"));
        }
    }

    /// <summary>The network <see cref="NetworkKind.Auto"/> stands for: VGG-19 when weights are given or found in the PyTorch cache, else the built-in ResNet-18.</summary>
    public static NetworkKind ChooseNetwork(StyleTransferOptions options) => options.Network != NetworkKind.Auto
        ? options.Network
        : options.WeightsPath is not null || WeightsLocator.Cached() is not null ? NetworkKind.Vgg19 : NetworkKind.ResNet18;

    /// <summary>Runs the whole job with one painting; see <see cref="Run(RgbImage, StyleSources, StyleTransferOptions, IProgress{StepProgress}?, Action{int, RgbImage}?, CancellationToken)"/>.</summary>
    /// <exception cref="StyleTransferException">Bad options, a missing or bad weights file, layers the network lacks, or a size that does not fit in memory.</exception>
    public static StyleTransferResult Run(
        RgbImage content,
        RgbImage style,
        StyleTransferOptions options,
        IProgress<StepProgress>? progress = null,
        Action<int, RgbImage>? snapshot = null,
        CancellationToken cancellation = default) =>
        Run(content, StyleSources.Of(style), options, progress, snapshot, cancellation);

    /// <summary>
    /// Runs the whole job with a <see cref="Painter"/> of its own: loads the network, scales the images,
    /// optimises and returns the picture.
    /// Reports each iteration to <paramref name="progress"/> and, every <see cref="StyleTransferOptions.SaveEvery"/>
    /// iterations but the last, the image so far to <paramref name="snapshot"/>. Cancellation ends the run
    /// early with the image so far, enlarged to the final size when it came at a coarse scale.
    /// </summary>
    /// <exception cref="StyleTransferException">
    /// Bad options (or options that do not match the paintings: blend shares, masks, a coarse painting),
    /// a missing or bad weights file, layers the network lacks, or a size that does not fit in memory.
    /// </exception>
    public static StyleTransferResult Run(
        RgbImage content,
        StyleSources styles,
        StyleTransferOptions options,
        IProgress<StepProgress>? progress = null,
        Action<int, RgbImage>? snapshot = null,
        CancellationToken cancellation = default)
    {
        using var painter = new Painter(styles, options);
        return painter.Paint(content, progress, snapshot, cancellation);
    }

    /// <summary>The longest side the paintings are read at for a picture of <paramref name="width"/> × <paramref name="height"/>: <see cref="StyleTransferOptions.StyleScale"/> times the picture's, at least 16 px.</summary>
    public static int PaintingSide(StyleTransferOptions options, int width, int height) =>
        Math.Max(16, (int)Math.Round(options.StyleScale * Math.Max(width, height)));

    /// <summary>Checks that the paintings and the options about them agree: blend shares, masks, a coarse painting.</summary>
    /// <exception cref="StyleTransferException">They do not; the message says how.</exception>
    public static void Validate(StyleSources styles, StyleTransferOptions options)
    {
        if (CheckedAgainst.TryGetValue(styles, out var against) && ReferenceEquals(against, options))
        {
            return;
        }

        var count = styles.Paintings.Count;
        Require(count >= 1, "at least one painting is needed");
        if (options.StyleBlend is { } blend)
        {
            Require(blend.Count == count, nameof(StyleTransferOptions.StyleBlend), $"has {blend.Count} values for {count} painting{(count == 1 ? "" : "s")}");
            Require(blend.All(w => w >= 0 && double.IsFinite(w)) && blend.Sum() > 0, nameof(StyleTransferOptions.StyleBlend), "must be finite numbers ≥ 0, not all 0");
        }

        if (styles.Masks is { } masks)
        {
            Require(masks.Count == count, nameof(StyleSources.Masks), $"was given {masks.Count} time{(masks.Count == 1 ? "" : "s")} for {count} painting{(count == 1 ? "" : "s")}; give one mask per painting, in their order");
            Require(styles.Coarse is null, nameof(StyleSources.Coarse), "cannot be combined with {Masks}: the coarse structure would be laid over every region, masked or not");
            Require(options.StyleLoss == StyleLoss.Gram, nameof(StyleTransferOptions.StyleLoss), "sliced-wasserstein cannot be combined with {Masks}: a region's distribution is not compared yet; use {StyleLoss} gram");
        }

        Require(styles.Coarse is not null || options.CoarseFrom is null, nameof(StyleTransferOptions.CoarseFrom), "needs {Coarse}");
        CheckedAgainst.AddOrUpdate(styles, options);
    }



    internal static Device TorchDevice(ComputeDevice device)
    {
        if (device.Kind == DeviceKind.Cpu)
        {
            return CPU;
        }

        Require(cuda.is_available(), nameof(StyleTransferOptions.Device), $"{device}: TorchSharp finds no CUDA GPU (this build uses the CPU libtorch; see the README for a CUDA build)");
        Require(device.Index < cuda.device_count(), nameof(StyleTransferOptions.Device), $"{device}: there is no such GPU ({cuda.device_count()} found, numbered from 0)");
        return new Device(DeviceType.CUDA, device.Index);
    }

    internal static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new StyleTransferException(message);
        }
    }

    /// <summary>Throws a problem with <paramref name="setting"/> (a property's name) unless <paramref name="condition"/> holds.</summary>
    internal static void Require(bool condition, string setting, string detail)
    {
        if (!condition)
        {
            throw StyleTransferException.About(setting, detail);
        }
    }
}
