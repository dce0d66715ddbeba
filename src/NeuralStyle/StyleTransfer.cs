using System.Globalization;
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
public sealed record StyleTransferResult(RgbImage Image, int IterationsRun, int Iterations, bool Cancelled, string Network);

/// <summary>
/// Repaints a photograph in the style of a painting (Gatys, Ecker &amp; Bethge, 2015): the whole
/// pipeline from decoded images to the result, driven by <see cref="StyleTransferOptions"/>.
/// </summary>
public static class StyleTransfer
{
    /// <summary>Checks options that need no file: sizes, counts, weights, network, device.</summary>
    /// <exception cref="StyleTransferException">An option is impossible; the message names it.</exception>
    public static void Validate(StyleTransferOptions options)
    {
        Require(options.Size >= 16, $"--size must be at least 16 (got {options.Size})");
        Require(options.Iterations is null or >= 1, $"--iterations must be at least 1 (got {options.Iterations})");
        Require(options.Scales is null or >= 1, $"--scales must be at least 1 (got {options.Scales})");
        Require(options.ContentWeight is null || (options.ContentWeight >= 0 && double.IsFinite(options.ContentWeight.Value)), $"--content-weight must be a finite number ≥ 0 (got {options.ContentWeight})");
        Require(options.StyleWeight is null || (options.StyleWeight >= 0 && double.IsFinite(options.StyleWeight.Value)), $"--style-weight must be a finite number ≥ 0 (got {options.StyleWeight})");
        Require(options.TvWeight >= 0 && double.IsFinite(options.TvWeight), $"--tv-weight must be a finite number ≥ 0 (got {options.TvWeight})");
        Require(options.LearningRate is null || (options.LearningRate > 0 && double.IsFinite(options.LearningRate.Value)), $"--learning-rate must be > 0 (got {options.LearningRate})");
        Require(options.LbfgsHistory >= 1, $"--lbfgs-history must be at least 1 (got {options.LbfgsHistory})");
        Require(options.LearningRateEnd is null or (>= 0 and <= 1), $"--learning-rate-end must be in [0, 1] (got {options.LearningRateEnd})");
        Require(options.Jitter is null or >= 0, $"--jitter must be ≥ 0 (got {options.Jitter})");
        Require(options.AverageDecay is null or (>= 0 and < 1), $"--average must be in [0, 1) (got {options.AverageDecay})");
        Require(options.SaveEvery >= 0, $"--save-every must be ≥ 0 (got {options.SaveEvery})");
        Require(options.Network is "auto" or "vgg19" or "resnet18", $"--network {options.Network} is not available (available: auto, vgg19, resnet18)");
        Require(options.Network != "resnet18" || options.WeightsPath is null, "--weights is for --network vgg19; the built-in resnet18 needs none");
        Require(options.ContentLayers is null || options.ContentLayers.Count > 0, "--content-layers needs at least one layer");
        Require(options.StyleLayers is null || options.StyleLayers.Count > 0, "--style-layers needs at least one layer");
        if (options.StyleLayerWeights is { } weights)
        {
            var count = options.StyleLayers?.Count ?? NetworkDefaults.For(ChooseNetwork(options)).StyleLayers.Count;
            Require(weights.Count == count, $"--style-layer-weights has {weights.Count} values for {count} style layers");
            Require(weights.All(w => w >= 0 && double.IsFinite(w)), "--style-layer-weights must be finite numbers ≥ 0");
        }

        Require(options.Init is null or "noise" or "content" or "style" || File.Exists(options.Init), $"--init must be noise, content, style or an image file ({options.Init}: no such file)");
        ResolveDevice(options.Device);
    }

    /// <summary>The network <c>auto</c> stands for: VGG-19 when weights are given or found in the PyTorch cache, else the built-in ResNet-18.</summary>
    public static string ChooseNetwork(StyleTransferOptions options) => options.Network != "auto"
        ? options.Network
        : options.WeightsPath is not null || WeightsLocator.Cached() is not null ? "vgg19" : "resnet18";

    /// <summary>
    /// Runs the whole job: loads the network, scales both images, optimises and returns the picture.
    /// Reports each iteration to <paramref name="progress"/> and, every <see cref="StyleTransferOptions.SaveEvery"/>
    /// iterations, the image so far to <paramref name="snapshot"/>. Cancellation ends the run early with the image so far.
    /// </summary>
    /// <exception cref="StyleTransferException">Bad options, a missing or bad weights file, or layers the network lacks.</exception>
    public static StyleTransferResult Run(
        RgbImage content,
        RgbImage style,
        StyleTransferOptions options,
        IProgress<StepProgress>? progress = null,
        Action<int, RgbImage>? snapshot = null,
        CancellationToken cancellation = default)
    {
        Validate(options);
        var device = ResolveDevice(options.Device);
        var defaults = NetworkDefaults.For(ChooseNetwork(options));
        using var network = LoadNetwork(defaults.Network, options);
        ((nn.Module)network).to(device);
        if (options.Precision == Precision.BFloat16)
        {
            ((nn.Module)network).to(bfloat16);
        }

        var settings = ObjectiveSettingsFor(options, defaults, network);
        var optimizer = options.Optimizer ?? defaults.Optimizer;
        var init = options.Init ?? defaults.Init;
        var synthesis = new SynthesisSettings(
            optimizer,
            options.LearningRate ?? defaults.LearningRate(optimizer, init),
            options.Iterations ?? defaults.Iterations,
            options.Jitter ?? defaults.Jitter,
            options.Seed,
            options.AverageDecay ?? defaults.AverageDecay,
            options.LbfgsHistory,
            LearningRateEnd: options.LearningRateEnd ?? defaults.LearningRateEnd);
        var sizes = ScaleSizes(options.Size, options.Scales ?? defaults.Scales);
        if (device.type == DeviceType.CPU)
        {
            RequireMemory(defaults.Network, network, settings, content.SizeWithLongestSide(options.Size), synthesis, options);
        }

        var total = synthesis.Iterations * sizes.Count;
        var areas = sizes.Select(size => content.SizeWithLongestSide(size)).Select(s => (double)s.Width * s.Height).ToArray();
        using var scope = NewDisposeScope();
        Tensor? image = null;
        var (done, elapsed, cancelled) = (0, TimeSpan.Zero, false);
        for (var scale = 0; scale < sizes.Count; scale++)
        {
            var size = sizes[scale];
            var (workBefore, share) = (areas[..scale].Sum() / areas.Sum(), areas[scale] / areas.Sum());
            var (width, height) = content.SizeWithLongestSide(size);
            var styleSize = style.SizeWithLongestSide(size);
            var contentTensor = ImageTensor.ToTensor(ImageFile.Resize(content, width, height), float32, device);
            var styleTensor = ImageTensor.ToTensor(ImageFile.Resize(style, styleSize.Width, styleSize.Height), float32, device);
            var initial = image is null ? InitialImage(init, options, contentTensor, style, width, height, device) : Enlarge(image, height, width);
            using var objective = new GatysObjective(network, contentTensor, styleTensor, settings);
            var before = (done, elapsed);
            var scaleProgress = new SynchronousProgress<StepProgress>(p =>
            {
                (done, elapsed) = (before.done + p.Iteration, before.elapsed + p.Elapsed);
                progress?.Report(p with { Iteration = done, Iterations = total, Elapsed = elapsed, WorkDone = workBefore + (p.WorkDone * share) });
            });
            var snapshots = snapshot is not null && options.SaveEvery > 0
                ? (options.SaveEvery, (Action<int, Tensor>)((i, picture) => snapshot(before.done + i, ImageTensor.ToImage(picture))))
                : ((int, Action<int, Tensor>)?)null;
            var result = Synthesizer.Run(objective, initial, synthesis, scaleProgress, snapshots, cancellation);
            image?.Dispose();
            image = result.Image;
            if (result.Cancelled)
            {
                cancelled = true;
                break;
            }
        }

        // Cancelled at a coarse scale, the picture so far is still delivered at the size asked for.
        var (finalWidth, finalHeight) = content.SizeWithLongestSide(options.Size);
        using var last = image!;
        var final = last.shape[2] == finalHeight && last.shape[3] == finalWidth ? last : Enlarge(last, finalHeight, finalWidth);
        return new StyleTransferResult(ImageTensor.ToImage(final), done, total, cancelled, defaults.Network);
    }

    private static void RequireMemory(string name, IFeatureNetwork network, ObjectiveSettings settings, (int Width, int Height) size, SynthesisSettings synthesis, StyleTransferOptions options)
    {
        if (MemoryEstimate.AvailableBytes() is not { } available)
        {
            return;
        }

        var estimate = MemoryEstimate.For(name, NetworkCost.Count(network, [.. settings.Layers], size.Height, size.Width), size.Height, size.Width, synthesis, options.Precision == Precision.BFloat16);
        Require(
            estimate.TotalBytes <= available,
            string.Create(CultureInfo.InvariantCulture, $"--size {options.Size} ({size.Width}x{size.Height}) needs {estimate} but {available / (1L << 30):0.0} GiB is available; the largest that fits is about --size {estimate.LargestSize(options.Size, available)}{Alternative(estimate, synthesis, available)}"));
    }

    private static string Alternative(MemoryEstimate estimate, SynthesisSettings synthesis, double available) =>
        synthesis.Optimizer == OptimizerKind.Lbfgs && estimate.LargestLbfgsHistory(available) is > 0 and var history
            ? $", or --lbfgs-history {history} at this size"
            : string.Empty;

    /// <summary>The longest side at each scale, coarse to fine: halving from <paramref name="size"/>, none under 64 px.</summary>
    public static IReadOnlyList<int> ScaleSizes(int size, int scales) =>
        [.. Enumerable.Range(0, scales).Select(k => (int)Math.Round(size / Math.Pow(2, scales - 1 - k))).Where(s => s >= 64 || s == size)];

    private static Tensor Enlarge(Tensor image, long height, long width) =>
        nn.functional.interpolate(image, [height, width], mode: InterpolationMode.Bicubic, align_corners: false).clamp(0, 255);

    private static IFeatureNetwork LoadNetwork(string name, StyleTransferOptions options)
    {
        if (name == "resnet18")
        {
            return BuiltInResNet18.Load();
        }

        return new Vgg19(Vgg19Weights.Load(WeightsLocator.Resolve(options.WeightsPath)), options.Pooling);
    }

    private static ObjectiveSettings ObjectiveSettingsFor(StyleTransferOptions options, NetworkDefaults defaults, IFeatureNetwork network)
    {
        string Checked(string layer)
        {
            var canonical = network.Canonical(layer)
                ?? throw new StyleTransferException($"{defaults.Network} has no layer '{layer}' (layers: {string.Join(", ", network.Layers)})");
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
            options.StyleWeight ?? defaults.StyleWeight,
            options.TvWeight,
            defaults.MeanContentLoss,
            options.SoftmaxSmoothing);
    }

    private static Tensor InitialImage(string init, StyleTransferOptions options, Tensor content, RgbImage style, int width, int height, Device device)
    {
        switch (init)
        {
            case "content":
                return content.clone();
            case "style":
                return ImageTensor.ToTensor(ImageFile.Resize(style, width, height), float32, device);
            case "noise":
                using (var generator = new Generator((ulong)(options.Seed ?? Random.Shared.Next())))
                {
                    return (randn([1, 3, height, width], generator: generator) * options.NoiseStdDev + 127.5).to(device);
                }

            default:
                return ImageTensor.ToTensor(ImageFile.Resize(ImageFile.Load(init), width, height), float32, device);
        }
    }

    private static Device ResolveDevice(string name)
    {
        if (name == "cpu")
        {
            return CPU;
        }

        Require(name.StartsWith("cuda", StringComparison.Ordinal), $"--device must be cpu or cuda (got {name})");
        Require(cuda.is_available(), "--device cuda: TorchSharp finds no CUDA GPU (this build uses the CPU libtorch; see the README for a CUDA build)");
        return new Device(name);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new StyleTransferException(message);
        }
    }
}
