using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;
using NeuralStyle.Synthesis;
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
        Require(options.Size >= 16, $"--size must be at least 16 (got {options.Size})");
        Require(options.Iterations is null or >= 1, $"--iterations must be at least 1 (got {options.Iterations})");
        Require(options.Scales is null or >= 1, $"--scales must be at least 1 (got {options.Scales})");
        Require(options.ContentWeight is null || (options.ContentWeight >= 0 && double.IsFinite(options.ContentWeight.Value)), $"--content-weight must be a finite number ≥ 0 (got {options.ContentWeight})");
        Require(options.StyleWeight is null || (options.StyleWeight >= 0 && double.IsFinite(options.StyleWeight.Value)), $"--style-weight must be a finite number ≥ 0 (got {options.StyleWeight})");
        Require(options.TvWeight >= 0 && double.IsFinite(options.TvWeight), $"--tv-weight must be a finite number ≥ 0 (got {options.TvWeight})");
        Require(options.StyleStrength >= 0 && double.IsFinite(options.StyleStrength), $"--style-strength must be a finite number ≥ 0 (got {options.StyleStrength})");
        Require(options.StyleScale > 0 && options.StyleScale <= 64, $"--style-scale must be a number above 0 and at most 64 (got {options.StyleScale})");
        Require(options.GradientSmoothing is null || options.GradientSmoothing is >= 0 and <= 1, $"--gradient-smoothing must be in [0, 1] (got {options.GradientSmoothing})");
        Require(options.PaletteWeight is null || (options.PaletteWeight >= 0 && double.IsFinite(options.PaletteWeight.Value)), $"--palette-weight must be a finite number ≥ 0 (got {options.PaletteWeight})");
        Require(options.NoiseStdDev >= 0 && double.IsFinite(options.NoiseStdDev), $"the noise's standard deviation must be a finite number ≥ 0 (got {options.NoiseStdDev})");
        Require(options.LearningRate is null || (options.LearningRate > 0 && double.IsFinite(options.LearningRate.Value)), $"--learning-rate must be a finite number > 0 (got {options.LearningRate})");
        Require(options.LbfgsHistory >= 1, $"--lbfgs-history must be at least 1 (got {options.LbfgsHistory})");
        Require(options.LearningRateEnd is null or (>= 0 and <= 1), $"--learning-rate-end must be in [0, 1] (got {options.LearningRateEnd})");
        Require(options.Jitter is null or >= 0, $"--jitter must be ≥ 0 (got {options.Jitter})");
        Require(options.AverageDecay is null or (>= 0 and < 1), $"--average must be in [0, 1) (got {options.AverageDecay})");
        Require(options.SaveEvery >= 0, $"--save-every must be ≥ 0 (got {options.SaveEvery})");
        Require(options.Tile is 0 or >= 64, $"--tile must be 0 (whole) or at least 64 (got {options.Tile})");
        Require(options.TiledIterations is null or >= 1, $"--tiled-iterations must be at least 1 (got {options.TiledIterations})");
        Require(options.Network != NetworkKind.ResNet18 || options.WeightsPath is null, "--weights is for --network vgg19; the built-in resnet18 needs none");
        Require(options.ContentLayers is null || options.ContentLayers.Count > 0, "--content-layers needs at least one layer");
        Require(options.StyleLayers is null || options.StyleLayers.Count > 0, "--style-layers needs at least one layer");
        if (options.StyleLayerWeights is { } weights)
        {
            var count = options.StyleLayers?.Count ?? NetworkDefaults.For(ChooseNetwork(options)).StyleLayers.Count;
            Require(weights.Count == count, $"--style-layer-weights has {weights.Count} values for {count} style layers");
            Require(weights.All(w => w >= 0 && double.IsFinite(w)), "--style-layer-weights must be finite numbers ≥ 0");
        }

        Require(options.Init?.Path is null || File.Exists(options.Init.Path), $"--init {options.Init}: no such image file (or use noise, content or style)");
        TorchDevice(options.Device);
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
    /// Runs the whole job: loads the network, scales the images, optimises and returns the picture.
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
        Validate(options);
        Validate(styles, options);
        options = options with { Precision = PrecisionChoice.Resolve(options.Precision, options.Device) };
        var device = TorchDevice(options.Device);
        var defaults = NetworkDefaults.For(ChooseNetwork(options));
        using var network = LoadNetwork(defaults.Network, options, device);
        var objective = ObjectiveSettingsFor(options, defaults, network);
        var coarseLayers = styles.Coarse is null ? null : CoarseLayers(options, objective, network);
        var synthesis = SynthesisSettingsFor(options, defaults);
        var sizes = ScaleSchedule.SizesFor(content, options.Size, options.Scales ?? defaults.Scales);
        var photo = content;
        var (paintings, coarse) = (Shares(styles, options), styles.Coarse);
        (content, paintings, coarse) = ColorsToSynthesise(content, paintings, coarse, options, defaults);
        var keepsPhotoChrominance = options.PreserveColors is ColorPreservation.Luminance or ColorPreservation.Post;
        Func<RgbImage, RgbImage> restoreColors = keepsPhotoChrominance ? picture => Yiq.Join(picture, photo) : picture => picture;
        var shown = snapshot is null ? null : new Action<int, RgbImage>((iteration, picture) => snapshot(iteration, restoreColors(picture)));

        // Each scale whole where it fits, else in the largest tiles that do (on a GPU, as asked).
        RgbImage[] read = [.. paintings.Select(p => p.Image), .. coarse is null ? [] : new[] { coarse }];
        var tiles = device.type == DeviceType.CPU
            ? sizes.Select(size => RequireMemory(defaults.Network, network, objective, synthesis, size, read, paintings.Count(p => p.Mask is not null), options)).ToArray()
            : [.. sizes.Select(_ => options.Tile)];
        var schedule = new ScaleSchedule(sizes, tiles, synthesis.Iterations, options.TiledIterations ?? synthesis.Iterations);

        using var scope = NewDisposeScope();
        Tensor? image = null;
        var (done, elapsed) = (0, TimeSpan.Zero);
        for (var scale = 0; scale < schedule.Sizes.Count; scale++)
        {
            var (width, height) = schedule.Sizes[scale];
            if (schedule.IsTiled(scale))
            {
                // Before the targets: the whole scale before this one left its peak in the heap.
                GlibcHeap.ReleaseFreedMemory();
            }

            var contentTensor = Scaled(content, width, height, device);
            var styleSide = PaintingSide(options, width, height);
            var fineLayers = coarseLayers is null ? null : objective.StyleLayers.Select(s => s.Layer).Except(coarseLayers).ToArray();
            List<StyleImage> styleImages =
            [
                .. paintings.Select(p => new StyleImage(
                    ScaledToSide(p.Image, styleSide, device), p.Weight, p.Mask is null ? null : MaskTensor(p.Mask, width, height, device), fineLayers, GramScale: GramScale(p.Image, width, height, styleSide))),
                .. coarse is null ? [] : new[] { new StyleImage(ScaledToSide(coarse, styleSide, device), 1, null, coarseLayers, Colors: false, GramScale(coarse, width, height, styleSide)) },
            ];
            var initial = image is null ? InitialImage(options.Init ?? defaults.Init, options, contentTensor, paintings[0].Image, device) : Enlarge(image, height, width);
            using var gatys = new GatysObjective(network, contentTensor, styleImages, objective with { Tile = schedule.Tiles[scale] });
            if (gatys.Movable is { } movable)
            {
                // Where no painting's mask reaches, the picture is the photo from the start.
                initial = where(movable.to(ScalarType.Bool), initial, contentTensor);
            }

            var (scaleIndex, elapsedBefore) = (scale, elapsed);
            var scaleProgress = new SynchronousProgress<StepProgress>(p =>
            {
                var whole = schedule.RunWide(scaleIndex, p, elapsedBefore);
                (done, elapsed) = (whole.Iteration, whole.Elapsed);
                progress?.Report(whole);
            });
            var result = Synthesizer.Run(gatys, initial, synthesis with { Iterations = schedule.Iterations[scale] }, scaleProgress, Snapshots(schedule, scale, options.SaveEvery, shown), cancellation);
            image?.Dispose();
            image = result.Image;
            if (result.Cancelled)
            {
                break;
            }
        }

        var (finalWidth, finalHeight) = schedule.Sizes[^1];
        using var last = image!;
        var final = last.shape[2] == finalHeight && last.shape[3] == finalWidth ? last : Enlarge(last, finalHeight, finalWidth);
        var rows = ImageTensor.ToPixelRows(final);
        if (keepsPhotoChrominance)
        {
            rows = Yiq.Join(rows, finalWidth, finalHeight, photo);
        }

        return new StyleTransferResult(ImageTensor.FromPixelRows(rows, finalWidth, finalHeight), done, schedule.TotalIterations, done < schedule.TotalIterations, defaults.Network)
        {
            Image16 = ImageTensor.FromPixelRows16(rows, finalWidth, finalHeight),
            Tile = schedule.Tiles[^1],
            Precision = options.Precision,
        };
    }

    /// <summary>The longest side the paintings are read at for a picture of <paramref name="width"/> × <paramref name="height"/>: <see cref="StyleTransferOptions.StyleScale"/> times the picture's, at least 16 px.</summary>
    public static int PaintingSide(StyleTransferOptions options, int width, int height) =>
        Math.Max(16, (int)Math.Round(options.StyleScale * Math.Max(width, height)));

    /// <summary>Checks that the paintings and the options about them agree: blend shares, masks, a coarse painting.</summary>
    /// <exception cref="StyleTransferException">They do not; the message says how.</exception>
    public static void Validate(StyleSources styles, StyleTransferOptions options)
    {
        var count = styles.Paintings.Count;
        Require(count >= 1, "at least one painting is needed");
        if (options.StyleBlend is { } blend)
        {
            Require(blend.Count == count, $"--style-blend has {blend.Count} values for {count} painting{(count == 1 ? "" : "s")}");
            Require(blend.All(w => w >= 0 && double.IsFinite(w)) && blend.Sum() > 0, "--style-blend must be finite numbers ≥ 0, not all 0");
        }

        if (styles.Masks is { } masks)
        {
            Require(masks.Count == count, $"--style-mask was given {masks.Count} time{(masks.Count == 1 ? "" : "s")} for {count} painting{(count == 1 ? "" : "s")}; give one mask per painting, in their order");
            Require(styles.Coarse is null, "--coarse-style cannot be combined with --style-mask: the coarse structure would be laid over every region, masked or not");
        }

        Require(styles.Coarse is not null || options.CoarseFrom is null, "--coarse-from needs --coarse-style");
    }

    // The paintings with their shares, normalised to sum 1 (a painting given 0 left out), and their
    // masks; with masks, each share times the number of paintings, so that equal shares pull each region
    // as hard as one painting pulls a whole picture.
    private static List<(RgbImage Image, double Weight, RgbImage? Mask)> Shares(StyleSources styles, StyleTransferOptions options)
    {
        var blend = options.StyleBlend ?? styles.Paintings.Select(_ => 1.0).ToArray();
        var total = blend.Sum();
        var factor = styles.Masks is null ? 1.0 : styles.Paintings.Count;
        return styles.Paintings
            .Select((painting, i) => (painting, blend[i] / total * factor, styles.Masks?[i]))
            .Where(p => p.Item2 > 0)
            .ToList();
    }

    // The style layers the coarse painting supplies: from --coarse-from on (default: the middle one on).
    private static string[] CoarseLayers(StyleTransferOptions options, ObjectiveSettings objective, IFeatureNetwork network)
    {
        var layers = objective.StyleLayers.Select(s => s.Layer).ToList();
        var first = options.CoarseFrom is null ? layers.Count / 2 : layers.IndexOf(network.Canonical(options.CoarseFrom) ?? options.CoarseFrom);
        Require(first >= 0, $"--coarse-from {options.CoarseFrom}: not one of the style layers ({string.Join(", ", layers)})");
        Require(first > 0, $"--coarse-from {options.CoarseFrom}: the first style layer would leave nothing to the painting; give the coarse image as the painting instead");
        return [.. layers.Skip(first)];
    }

    // The photo and the paintings as the synthesis sees them: with the photo's colours kept (Gatys et al.
    // 2016), or else, where the network's defaults say so, the photo in the paintings' colours (each
    // painting's in its own region when there are masks).
    private static (RgbImage Content, List<(RgbImage Image, double Weight, RgbImage? Mask)> Paintings, RgbImage? Coarse) ColorsToSynthesise(
        RgbImage content, List<(RgbImage Image, double Weight, RgbImage? Mask)> paintings, RgbImage? coarse, StyleTransferOptions options, NetworkDefaults defaults)
    {
        List<(RgbImage, double, RgbImage?)> Each(Func<RgbImage, RgbImage> change) => [.. paintings.Select(p => (change(p.Image), p.Weight, p.Mask))];
        switch (options.PreserveColors)
        {
            case ColorPreservation.Luminance:
                return (Yiq.Grey(content), Each(p => Yiq.GreyMatching(p, content)), coarse is null ? null : Yiq.GreyMatching(coarse, content));
            case ColorPreservation.Histogram:
                return (content, Each(p => ColorTransfer.Matching(p, content)), coarse is null ? null : ColorTransfer.Matching(coarse, content));
            case ColorPreservation.None when (options.PaintingColors ?? defaults.PaintingColors) && options.StyleStrength > 0:
                var amount = Math.Min(1, options.StyleStrength);
                var recoloured = paintings.Any(p => p.Mask is not null)
                    ? ColorTransfer.MatchingRegions(content, [.. paintings.Select(p => (p.Image, ImageFile.Resize(p.Mask!, content.Width, content.Height)))], amount)
                    : ColorTransfer.Matching(content, [.. paintings.Select(p => (p.Image, p.Weight))], amount);
                return (recoloured, paintings, coarse);
            default:
                return (content, paintings, coarse);
        }
    }

    // Snapshots are numbered by the run's iteration; the last is the result itself.
    private static Action<int, Tensor>? Snapshots(ScaleSchedule schedule, int scale, int every, Action<int, RgbImage>? snapshot) =>
        snapshot is null || every == 0
            ? null
            : (iteration, picture) =>
            {
                var whole = schedule.RunIteration(scale, iteration);
                if (whole % every == 0 && whole < schedule.TotalIterations)
                {
                    snapshot(whole, ImageTensor.ToImage(picture));
                }
            };

    private static SynthesisSettings SynthesisSettingsFor(StyleTransferOptions options, NetworkDefaults defaults)
    {
        var optimizer = options.Optimizer ?? defaults.Optimizer;
        return new SynthesisSettings(
            optimizer,
            options.LearningRate ?? defaults.LearningRate(optimizer, options.Init ?? defaults.Init),
            options.Iterations ?? defaults.Iterations,
            options.Jitter ?? defaults.Jitter,
            options.Seed,
            options.AverageDecay ?? defaults.AverageDecay,
            options.LbfgsHistory,
            options.LearningRateEnd ?? defaults.LearningRateEnd,
            options.GradientSmoothing ?? defaults.GradientSmoothing);
    }

    // The tile the run evaluates with: the one asked for; else none when the whole picture fits; else,
    // when it does not, the largest tile that fits.
    private static int RequireMemory(NetworkKind kind, IFeatureNetwork network, ObjectiveSettings objective, SynthesisSettings synthesis, (int Width, int Height) size, IReadOnlyList<RgbImage> paintings, int maskedPaintings, StyleTransferOptions options)
    {
        if (MemoryEstimate.AvailableBytes() is not { } available)
        {
            return options.Tile;
        }

        var bfloat16 = options.Precision == Precision.BFloat16;
        var side = PaintingSide(options, size.Width, size.Height);
        var largest = paintings.Select(p => p.SizeWithLongestSide(side)).MaxBy(s => (long)s.Width * s.Height);
        string? Refusal(int tile, double budget)
        {
            // Tiled, the network holds one tile with its margins at a time; the optimiser, the whole picture.
            var reach = tile == 0 ? int.MaxValue : tile + (2 * network.TileMargin([.. objective.Layers])) + network.TileAlignment;
            var cost = NetworkCost.Count(network, [.. objective.Layers], Math.Min(size.Height, reach), Math.Min(size.Width, reach));
            var whole = MemoryEstimate.For(kind, cost, size.Height, size.Width, synthesis, bfloat16, maskedPaintings);
            var estimate = tile == 0 ? whole : whole with { NetworkBytes = whole.NetworkBytes + (2 * whole.ImageBytes) };

            // The paintings' targets are computed before each scale's synthesis, one painting at a time,
            // from the painting itself, whole: its bytes, its RGBA copy while resized and its float32 tensor.
            var styleCost = NetworkCost.Count(network, [.. objective.StyleLayers.Select(s => s.Layer)], Math.Min(largest.Height, reach), Math.Min(largest.Width, reach));
            var targets = MemoryEstimate.ForTargets(kind, styleCost, bfloat16);
            targets = targets with { NetworkBytes = targets.NetworkBytes + (19.0 * largest.Width * largest.Height) };
            return estimate.Refusal(options.Size, size.Width, size.Height, synthesis.Optimizer, budget)
                ?? targets.Refusal(options.StyleScale, largest.Width, largest.Height, budget);
        }

        if (options.Tile > 0)
        {
            return Refusal(options.Tile, available) is { } refusal ? throw new StyleTransferException(refusal) : options.Tile;
        }

        if (Refusal(0, available) is null)
        {
            return 0;
        }

        // A tile chosen here leaves a fifth of the memory free: the estimate's factors were measured on
        // whole pictures, and VGG-19 at 3000 × 2001 in tiles of 2384 px, estimated at 22.9 of 23.2 GiB,
        // was killed at 22.7 GiB resident. When no tile fits, the optimiser's state is what does not:
        // the refusal for the smallest tile names the L-BFGS history, or Adam, that would.
        var budget = 0.8 * available;
        return MemoryEstimate.LargestTile(t => Refusal(t, budget) is null, Math.Max(size.Width, size.Height), network.TileAlignment) is { } chosen ? chosen
            : throw new StyleTransferException($"{Refusal(MemoryEstimate.SmallestTile, budget)} (in tiles of {MemoryEstimate.SmallestTile} px)");
    }

    private static Tensor Scaled(RgbImage image, int width, int height, Device device) =>
        ImageTensor.ToTensor(ImageFile.Resize(image, width, height), float32, device);

    private static Tensor ScaledToSide(RgbImage image, int longestSide, Device device)
    {
        var (width, height) = image.SizeWithLongestSide(longestSide);
        return Scaled(image, width, height, device);
    }

    // The painting's pixels as the paper reads it (its longest side the picture's) over its pixels as read.
    private static double GramScale(RgbImage painting, int width, int height, int side)
    {
        var (paperWidth, paperHeight) = painting.SizeWithLongestSide(Math.Max(width, height));
        var (readWidth, readHeight) = painting.SizeWithLongestSide(side);
        return (double)paperWidth * paperHeight / ((double)readWidth * readHeight);
    }

    // A grey-level mask as weights 0–1 [1, 1, H, W] at the picture's size.
    private static Tensor MaskTensor(RgbImage mask, int width, int height, Device device) =>
        Scaled(mask, width, height, device).mean([1], keepdim: true).OverInPlace(255);

    private static Tensor Enlarge(Tensor image, long height, long width) =>
        nn.functional.interpolate(image, [height, width], mode: InterpolationMode.Bicubic, align_corners: false).Clamped(0, 255);

    private static IFeatureNetwork LoadNetwork(NetworkKind kind, StyleTransferOptions options, Device device)
    {
        IFeatureNetwork network = kind == NetworkKind.ResNet18
            ? BuiltInResNet18.Load()
            : new Vgg19(Vgg19Weights.Load(WeightsLocator.Resolve(options.WeightsPath)), options.Pooling);
        ((nn.Module)network).to(device);
        if (options.Precision == Precision.BFloat16)
        {
            ((nn.Module)network).to(bfloat16);
        }

        return network;
    }

    private static ObjectiveSettings ObjectiveSettingsFor(StyleTransferOptions options, NetworkDefaults defaults, IFeatureNetwork network)
    {
        string Checked(string layer)
        {
            var canonical = network.Canonical(layer)
                ?? throw new StyleTransferException($"{defaults.Network.Name()} has no layer '{layer}' (layers: {string.Join(", ", network.Layers)})");
            return network.Unavailable(canonical) is { } reason ? throw new StyleTransferException(reason) : canonical;
        }

        var contentLayers = (options.ContentLayers ?? defaults.ContentLayers).Select(Checked).Distinct().ToArray();
        var styleNames = options.StyleLayers ?? defaults.StyleLayers;
        var styleWeights = options.StyleLayerWeights ?? styleNames.Select(_ => 1.0 / styleNames.Count).ToArray();
        var styleLayers = styleNames.Select((l, i) => (Checked(l), styleWeights[i])).ToArray();
        return new ObjectiveSettings(
            contentLayers,
            styleLayers,
            options.ContentWeight ?? defaults.ContentWeight,
            (options.StyleWeight ?? defaults.StyleWeight) * options.StyleStrength,
            options.TvWeight,
            defaults.MeanContentLoss,
            options.SoftmaxSmoothing,
            (options.PaletteWeight ?? defaults.PaletteWeight) * options.StyleStrength,
            options.Tile);
    }

    private static Tensor InitialImage(InitialImage init, StyleTransferOptions options, Tensor content, RgbImage style, Device device)
    {
        var (height, width) = ((int)content.shape[2], (int)content.shape[3]);
        switch (init.Kind)
        {
            case InitKind.Content:
                return content.clone();
            case InitKind.Style:
                return Scaled(style, width, height, device);
            case InitKind.Noise:
                using (var generator = new Generator((ulong)(options.Seed ?? Random.Shared.Next())))
                {
                    return randn([1, 3, height, width], generator: generator).Times(options.NoiseStdDev).Plus(127.5).to(device);
                }

            default:
                return Scaled(ImageFile.Load(init.Path!, Math.Max(width, height)), width, height, device);
        }
    }

    private static Device TorchDevice(ComputeDevice device)
    {
        if (device.Kind == DeviceKind.Cpu)
        {
            return CPU;
        }

        Require(cuda.is_available(), $"--device {device}: TorchSharp finds no CUDA GPU (this build uses the CPU libtorch; see the README for a CUDA build)");
        Require(device.Index < cuda.device_count(), $"--device {device}: there is no such GPU ({cuda.device_count()} found, numbered from 0)");
        return new Device(DeviceType.CUDA, device.Index);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new StyleTransferException(message);
        }
    }
}
