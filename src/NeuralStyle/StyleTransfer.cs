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
/// <param name="Cancelled">True when cancellation stopped the run early; <paramref name="Image"/> is then the image so far.</param>
public sealed record StyleTransferResult(RgbImage Image, int IterationsRun, bool Cancelled);

/// <summary>
/// Repaints a photograph in the style of a painting (Gatys, Ecker &amp; Bethge, 2015): the whole
/// pipeline from decoded images to the result, driven by <see cref="StyleTransferOptions"/>.
/// </summary>
public static class StyleTransfer
{
    /// <summary>Checks options that need no file: sizes, counts, layer names, weights, device.</summary>
    /// <exception cref="StyleTransferException">An option is impossible; the message names it.</exception>
    public static void Validate(StyleTransferOptions options)
    {
        Require(options.Size >= 16, $"--size must be at least 16 (got {options.Size})");
        Require(options.Iterations >= 1, $"--iterations must be at least 1 (got {options.Iterations})");
        Require(options.ContentWeight >= 0 && double.IsFinite(options.ContentWeight), $"--content-weight must be a finite number ≥ 0 (got {options.ContentWeight})");
        Require(options.StyleWeight >= 0 && double.IsFinite(options.StyleWeight), $"--style-weight must be a finite number ≥ 0 (got {options.StyleWeight})");
        Require(options.TvWeight >= 0 && double.IsFinite(options.TvWeight), $"--tv-weight must be a finite number ≥ 0 (got {options.TvWeight})");
        Require(options.EffectiveLearningRate > 0 && double.IsFinite(options.EffectiveLearningRate), $"--learning-rate must be > 0 (got {options.LearningRate})");
        Require(options.SaveEvery >= 0, $"--save-every must be ≥ 0 (got {options.SaveEvery})");
        Require(options.Network == "vgg19", $"--network {options.Network} is not available (available: vgg19)");
        Require(options.ContentLayers.Count > 0, "--content-layers needs at least one layer");
        Require(options.StyleLayers.Count > 0, "--style-layers needs at least one layer");
        foreach (var layer in options.ContentLayers.Concat(options.StyleLayers))
        {
            Require(Vgg19Layout.Canonical(layer) is not null, $"VGG-19 has no layer '{layer}' (layers: conv1_1 … conv5_4 or relu1_1 … relu5_4, pool1 … pool5)");
        }

        if (options.StyleLayerWeights is { } weights)
        {
            Require(weights.Count == options.StyleLayers.Count, $"--style-layer-weights has {weights.Count} values for {options.StyleLayers.Count} style layers");
            Require(weights.All(w => w >= 0 && double.IsFinite(w)), "--style-layer-weights must be finite numbers ≥ 0");
        }

        Require(options.Init is "noise" or "content" or "style" || File.Exists(options.Init), $"--init must be noise, content, style or an image file ({options.Init}: no such file)");
        ResolveDevice(options.Device);
    }

    /// <summary>
    /// Runs the whole job: loads the network, scales both images, optimises and returns the picture.
    /// Reports each iteration to <paramref name="progress"/> and, every <see cref="StyleTransferOptions.SaveEvery"/>
    /// iterations, the image so far to <paramref name="snapshot"/>. Cancellation ends the run early with the image so far.
    /// </summary>
    /// <exception cref="StyleTransferException">Bad options, a missing or bad weights file, or layers the weights do not reach.</exception>
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
        var weights = Vgg19Weights.Load(WeightsLocator.Resolve(options.WeightsPath));
        using var network = new Vgg19(weights, options.Pooling);
        network.to(device);
        var contentLayers = options.ContentLayers.Select(l => Vgg19Layout.Canonical(l)!).Distinct().ToArray();
        var styleWeights = options.StyleLayerWeights ?? options.StyleLayers.Select(_ => 1.0 / options.StyleLayers.Count).ToArray();
        var styleLayers = options.StyleLayers.Select((l, i) => (Vgg19Layout.Canonical(l)!, styleWeights[i])).ToArray();
        foreach (var layer in contentLayers.Concat(styleLayers.Select(s => s.Item1)))
        {
            Require(network.Has(layer), $"{weights.Path}: holds VGG-19 only up to {weights.DeepestConvolution}, so layer {layer} cannot be computed; choose shallower --content-layers/--style-layers");
        }

        var (width, height) = content.SizeWithLongestSide(options.Size);
        var styleSize = style.SizeWithLongestSide(options.Size);
        using var scope = NewDisposeScope();
        var contentTensor = ImageTensor.ToTensor(ImageFile.Resize(content, width, height), float32, device);
        var styleTensor = ImageTensor.ToTensor(ImageFile.Resize(style, styleSize.Width, styleSize.Height), float32, device);
        var initial = InitialImage(options, contentTensor, style, width, height, device);
        using var objective = new GatysObjective(network, contentTensor, styleTensor, contentLayers, styleLayers, options.ContentWeight, options.StyleWeight, options.TvWeight);
        var snapshots = snapshot is not null && options.SaveEvery > 0
            ? (options.SaveEvery, (Action<int, Tensor>)((i, image) => snapshot(i, ImageTensor.ToImage(image))))
            : ((int, Action<int, Tensor>)?)null;
        var result = Synthesizer.Run(objective, initial, options.Optimizer, options.EffectiveLearningRate, options.Iterations, progress, snapshots, cancellation);
        using var final = result.Image;
        return new StyleTransferResult(ImageTensor.ToImage(final), result.IterationsRun, result.Cancelled);
    }

    private static Tensor InitialImage(StyleTransferOptions options, Tensor content, RgbImage style, int width, int height, Device device)
    {
        switch (options.Init)
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
                return ImageTensor.ToTensor(ImageFile.Resize(ImageFile.Load(options.Init), width, height), float32, device);
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
