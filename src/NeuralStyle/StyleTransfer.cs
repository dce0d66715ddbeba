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
public sealed record StyleTransferResult(RgbImage Image, int IterationsRun, int Iterations, bool Cancelled, NetworkKind Network);

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
        Require(options.GradientSmoothing is null || options.GradientSmoothing is >= 0 and <= 1, $"--gradient-smoothing must be in [0, 1] (got {options.GradientSmoothing})");
        Require(options.PaletteWeight is null || (options.PaletteWeight >= 0 && double.IsFinite(options.PaletteWeight.Value)), $"--palette-weight must be a finite number ≥ 0 (got {options.PaletteWeight})");
        Require(options.NoiseStdDev >= 0 && double.IsFinite(options.NoiseStdDev), $"the noise's standard deviation must be a finite number ≥ 0 (got {options.NoiseStdDev})");
        Require(options.LearningRate is null || (options.LearningRate > 0 && double.IsFinite(options.LearningRate.Value)), $"--learning-rate must be a finite number > 0 (got {options.LearningRate})");
        Require(options.LbfgsHistory >= 1, $"--lbfgs-history must be at least 1 (got {options.LbfgsHistory})");
        Require(options.LearningRateEnd is null or (>= 0 and <= 1), $"--learning-rate-end must be in [0, 1] (got {options.LearningRateEnd})");
        Require(options.Jitter is null or >= 0, $"--jitter must be ≥ 0 (got {options.Jitter})");
        Require(options.AverageDecay is null or (>= 0 and < 1), $"--average must be in [0, 1) (got {options.AverageDecay})");
        Require(options.SaveEvery >= 0, $"--save-every must be ≥ 0 (got {options.SaveEvery})");
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

    /// <summary>
    /// Runs the whole job: loads the network, scales both images, optimises and returns the picture.
    /// Reports each iteration to <paramref name="progress"/> and, every <see cref="StyleTransferOptions.SaveEvery"/>
    /// iterations but the last, the image so far to <paramref name="snapshot"/>. Cancellation ends the run
    /// early with the image so far, enlarged to the final size when it came at a coarse scale.
    /// </summary>
    /// <exception cref="StyleTransferException">Bad options, a missing or bad weights file, layers the network lacks, or a size that does not fit in memory.</exception>
    public static StyleTransferResult Run(
        RgbImage content,
        RgbImage style,
        StyleTransferOptions options,
        IProgress<StepProgress>? progress = null,
        Action<int, RgbImage>? snapshot = null,
        CancellationToken cancellation = default)
    {
        Validate(options);
        var device = TorchDevice(options.Device);
        var defaults = NetworkDefaults.For(ChooseNetwork(options));
        using var network = LoadNetwork(defaults.Network, options, device);
        var objective = ObjectiveSettingsFor(options, defaults, network);
        var synthesis = SynthesisSettingsFor(options, defaults);
        var schedule = new ScaleSchedule(content, options.Size, options.Scales ?? defaults.Scales, synthesis.Iterations);
        var photo = content;
        (content, style) = ColorsToSynthesise(content, style, options, defaults);
        Func<RgbImage, RgbImage> restoreColors = options.PreserveColors is ColorPreservation.Luminance or ColorPreservation.Post
            ? picture => Yiq.Join(picture, photo)
            : picture => picture;
        var shown = snapshot is null ? null : new Action<int, RgbImage>((iteration, picture) => snapshot(iteration, restoreColors(picture)));

        if (device.type == DeviceType.CPU)
        {
            RequireMemory(defaults.Network, network, objective, synthesis, schedule.Sizes[^1], options);
        }

        using var scope = NewDisposeScope();
        Tensor? image = null;
        var (done, elapsed) = (0, TimeSpan.Zero);
        for (var scale = 0; scale < schedule.Sizes.Count; scale++)
        {
            var (width, height) = schedule.Sizes[scale];
            var contentTensor = Scaled(content, width, height, device);
            var styleSize = style.SizeWithLongestSide(Math.Max(width, height));
            var styleTensor = Scaled(style, styleSize.Width, styleSize.Height, device);
            var initial = image is null ? InitialImage(options.Init ?? defaults.Init, options, contentTensor, style, device) : Enlarge(image, height, width);
            using var gatys = new GatysObjective(network, contentTensor, styleTensor, objective);
            var (scaleIndex, elapsedBefore) = (scale, elapsed);
            var scaleProgress = new SynchronousProgress<StepProgress>(p =>
            {
                var whole = schedule.RunWide(scaleIndex, p, elapsedBefore);
                (done, elapsed) = (whole.Iteration, whole.Elapsed);
                progress?.Report(whole);
            });
            var result = Synthesizer.Run(gatys, initial, synthesis, scaleProgress, Snapshots(schedule, scale, options.SaveEvery, shown), cancellation);
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
        return new StyleTransferResult(restoreColors(ImageTensor.ToImage(final)), done, schedule.TotalIterations, done < schedule.TotalIterations, defaults.Network);
    }

    // The photo and the painting as the synthesis sees them: with the photo's colours kept (Gatys et al.
    // 2016), or else, where the network's defaults say so, the photo in the painting's colours.
    private static (RgbImage Content, RgbImage Style) ColorsToSynthesise(RgbImage content, RgbImage style, StyleTransferOptions options, NetworkDefaults defaults) =>
        options.PreserveColors switch
        {
            ColorPreservation.Luminance => (Yiq.Grey(content), Yiq.GreyMatching(style, content)),
            ColorPreservation.Histogram => (content, ColorTransfer.Matching(style, content)),
            ColorPreservation.Post => (content, style),
            _ when (options.PaintingColors ?? defaults.PaintingColors) && options.StyleStrength > 0 =>
                (ColorTransfer.Matching(content, style, Math.Min(1, options.StyleStrength)), style),
            _ => (content, style),
        };

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

    private static void RequireMemory(NetworkKind kind, IFeatureNetwork network, ObjectiveSettings objective, SynthesisSettings synthesis, (int Width, int Height) size, StyleTransferOptions options)
    {
        if (MemoryEstimate.AvailableBytes() is not { } available)
        {
            return;
        }

        var cost = NetworkCost.Count(network, [.. objective.Layers], size.Height, size.Width);
        var estimate = MemoryEstimate.For(kind, cost, size.Height, size.Width, synthesis, options.Precision == Precision.BFloat16);
        if (estimate.Refusal(options.Size, size.Width, size.Height, synthesis.Optimizer, available) is { } refusal)
        {
            throw new StyleTransferException(refusal);
        }
    }

    private static Tensor Scaled(RgbImage image, int width, int height, Device device) =>
        ImageTensor.ToTensor(ImageFile.Resize(image, width, height), float32, device);

    private static Tensor Enlarge(Tensor image, long height, long width) =>
        nn.functional.interpolate(image, [height, width], mode: InterpolationMode.Bicubic, align_corners: false).clamp(0, 255);

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
            (options.PaletteWeight ?? defaults.PaletteWeight) * options.StyleStrength);
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
                    return (randn([1, 3, height, width], generator: generator) * options.NoiseStdDev + 127.5).to(device);
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
