using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Objective;
using NeuralStyle.Optimization;

namespace NeuralStyle.Cli;

/// <summary>The style-transfer options of the command line, mapped onto <see cref="StyleTransferOptions"/> (whose defaults they show).</summary>
internal sealed class StyleOptionsBinder
{
    private static readonly StyleTransferOptions Defaults = new();

    private readonly Option<int> size = new("--size") { Description = "Longest side of the result in pixels (the style image is scaled to match).", DefaultValueFactory = _ => Defaults.Size };
    private readonly Option<int?> iterations = new("--iterations") { Description = $"Optimiser iterations at each scale, one evaluation each [default: {PerNetwork(d => d.Iterations)}]." };
    private readonly Option<int?> scales = new("--scales") { Description = $"Scales, coarse to fine, each twice the size of the one before; the last is --size [default: {PerNetwork(d => d.Scales)}]." };
    private readonly Option<double?> contentWeight = new("--content-weight") { Description = $"α, weight of the content loss at the last scale [default: {PerNetwork(d => d.ContentWeight)}]; the scales before it take this share of α: {PerNetwork(d => Math.Round(d.CoarseContentShare, 2))}; with Adam, resnet18's rises where the picture strays from the photo by more than {NetworkDefaults.ResNet18.ContentHold!.Tolerance.ToString(CultureInfo.InvariantCulture)} of the photo's content energy (docs/networks.md)." };
    private readonly Option<double?> styleWeight = new("--style-weight") { Description = $"β, weight of the style loss [default: {PerNetwork(d => d.StyleWeight)}]." };
    private readonly Option<double> styleStrength = new("--style-strength") { Description = "How strongly the painting is imposed: 0 keeps the photo, 1 is the default, more moves further toward the painting (multiplies the style and palette terms; below 1 also recolours the photo that fraction).", DefaultValueFactory = _ => Defaults.StyleStrength };
    private readonly Option<string?> styleBlend = new("--style-blend") { Description = "Comma-separated share of each painting, in their order, normalised to sum 1 (0 leaves one out) [default: equal shares]." };
    private readonly Option<double> styleScale = new("--style-scale") { Description = "The painting's longest side as a multiple of the picture's when its style is read: below 1 smaller strokes, above 1 larger.", DefaultValueFactory = _ => Defaults.StyleScale };
    private readonly Option<string?> coarseFrom = new("--coarse-from") { Description = "With --coarse-style: the first style layer it supplies; the paintings supply the ones before [default: the middle style layer on]." };
    private readonly Option<bool?> paintingColors = new("--painting-colors") { Description = $"Give the photo the painting's colour mean and covariance before synthesis: true or false [default: {PerNetwork(d => d.PaintingColors.ToString().ToLowerInvariant())}]." };
    private readonly Option<string> preserveColors = new("--preserve-colors") { Description = "Keep the photo's colours (Gatys et al. 2016): none, luminance (synthesis on YIQ luminance, the photo's chrominance after), histogram (the painting given the photo's colour mean and covariance first) or post (the result's luminance with the photo's chrominance).", DefaultValueFactory = _ => "none" };
    private readonly Option<double?> paletteWeight = new("--palette-weight") { Description = $"Weight of the palette term, which pulls the picture's colours to the painting's [default: {PerNetwork(d => d.PaletteWeight)}]." };
    private readonly Option<double?> reducedStyleWeight = new("--reduced-style-weight") { Description = $"Weight of the style terms taken again on the picture and the painting reduced {NetworkDefaults.ResNet18.ReducedStyle.Factor} times, as a share of each style layer's weight: the painting's large forms (0: none) [default: {PerNetwork(d => d.ReducedStyle.Share)}]." };
    private readonly Option<string> styleLoss = new("--style-loss") { Description = "What the style terms compare: gram (the paper's Gram matrices) or sliced-wasserstein (the responses' whole distribution along random directions, Heitz et al. 2021; docs/sliced-wasserstein.md).", DefaultValueFactory = _ => "gram" };
    private readonly Option<double> tvWeight = new("--tv-weight") { Description = "Weight of total-variation smoothing (0: none, as in the paper).", DefaultValueFactory = _ => Defaults.TvWeight };
    private readonly Option<string?> init = new("--init") { Description = $"Start from noise, content, style, or an image file [default: {PerNetwork(d => d.Init)}]." };
    private readonly Option<string?> optimizer = new("--optimizer") { Description = $"lbfgs or adam [default: {PerNetwork(d => d.Optimizer.ToString().ToLowerInvariant())}]." };
    private readonly Option<double?> learningRate = new("--learning-rate") { Description = "Learning rate [default: 1 for lbfgs; for adam, in pixel units, 4 from content, 10 otherwise]." };
    private readonly Option<int> lbfgsHistory = new("--lbfgs-history") { Description = "Curvature pairs L-BFGS keeps; each costs two image-sized vectors.", DefaultValueFactory = _ => Defaults.LbfgsHistory };
    private readonly Option<double?> learningRateEnd = new("--learning-rate-end") { Description = $"Fraction of the learning rate Adam's falls to by the last iteration, along a half cosine (1: constant) [default: {PerNetwork(d => d.LearningRateEnd)}]." };
    private readonly Option<int?> jitter = new("--jitter") { Description = $"Roll the image by up to N random pixels at each evaluation [default: {PerNetwork(d => d.Jitter)}]." };
    private readonly Option<double?> average = new("--average") { Description = $"Return a moving average of the iterates with this decay, 0 for the last iterate [default: {PerNetwork(d => d.AverageDecay)}]." };
    private readonly Option<double?> gradientSmoothing = new("--gradient-smoothing") { Description = $"How much of the image's gradient is replaced by its 3 × 3 binomial filtering before each step, against a strided network's grid: 0 (none) to 1 [default: {PerNetwork(d => d.GradientSmoothing)}]." };
    private readonly Option<bool> smoothing = new("--softmax-smoothing") { Description = "Smooth each channel's activations with a softmax over positions before the losses (Wang et al. 2021)." };
    private readonly Option<string> pooling = new("--pooling") { Description = "max or avg (VGG-19).", DefaultValueFactory = _ => Defaults.Pooling.ToString().ToLowerInvariant() };
    private readonly Option<string> network = new("--network") { Description = "auto (vgg19 when its weights are given or in the PyTorch cache, else the built-in resnet18), vgg19, vgg16 or resnet18.", DefaultValueFactory = _ => Defaults.Network.Name() };
    private readonly Option<string?> weights = new("--weights") { Description = "VGG-19 weights (.pth, .safetensors, .caffemodel or .onnx) [default: vgg19-dcbb9e9d.pth in the PyTorch cache]." };
    private readonly Option<string?> contentLayers = new("--content-layers") { Description = $"Comma-separated content layers [default: {PerNetwork(d => string.Join(',', d.ContentLayers))}]." };
    private readonly Option<string?> styleLayers = new("--style-layers") { Description = $"Comma-separated style layers [default: {PerNetwork(d => string.Join(',', d.StyleLayers))}]." };
    private readonly Option<string?> styleLayerWeights = new("--style-layer-weights") { Description = $"Comma-separated weight per style layer [default: {PerNetwork(d => string.Join(',', d.StyleLayerWeights))}; with --style-layers, 1/number of layers each]." };
    private readonly Option<int?> seed = new("--seed") { Description = "Seed of the initial noise and the shifts; the same seed gives the same picture on the same machine and device [default: drawn, and named in the last line]." };
    private readonly Option<int> tile = new("--tile") { Description = "Evaluate tile by tile, each answering for about N pixels a side (plus margins for the receptive field), when the picture is larger: the same losses and gradient in less memory; 0: whole.", DefaultValueFactory = _ => Defaults.Tile };
    private readonly Option<int?> tiledIterations = new("--tiled-iterations") { Description = "Iterations at each scale evaluated in tiles (a print size: most iterations at the scales that fit whole, a few here) [default: --iterations]." };
    private readonly Option<double?> maxMemory = new("--max-memory") { Description = "The most memory the job may take, in GiB: a scale that does not fit whole is tiled, and a job that does not fit even in tiles is refused [default: what is free]." };
    private readonly Option<string> precision = new("--precision") { Description = "auto (bfloat16 where the device computes it natively: AVX-512 BF16 or AMX, CUDA compute capability 8.0 and up; else float32), float32, or bfloat16 for the network (loss values and pixels stay float32).", DefaultValueFactory = _ => "auto" };
    private readonly Option<ComputeDevice> device = new("--device") { Description = "cpu, cuda (the first GPU) or cuda:N.", DefaultValueFactory = _ => Defaults.Device, CustomParser = ParseDevice };

    public StyleOptionsBinder()
    {
        optimizer.AcceptOnlyFromAmong("lbfgs", "adam");
        pooling.AcceptOnlyFromAmong("max", "avg");
        preserveColors.AcceptOnlyFromAmong("none", "luminance", "histogram", "post");
        network.AcceptOnlyFromAmong("auto", "vgg19", "vgg16", "resnet18");
        precision.AcceptOnlyFromAmong("auto", "float32", "bfloat16");
        styleLoss.AcceptOnlyFromAmong("gram", "sliced-wasserstein");
    }

    public IEnumerable<Option> Options =>
    [
        size, iterations, scales, contentWeight, styleWeight, styleStrength, styleBlend, styleScale, coarseFrom, paintingColors, preserveColors, paletteWeight, reducedStyleWeight, styleLoss, tvWeight, init, optimizer, learningRate, learningRateEnd, lbfgsHistory, jitter, gradientSmoothing, average, smoothing,
        pooling, network, weights, contentLayers, styleLayers, styleLayerWeights, seed, tile, tiledIterations, maxMemory, precision, device,
    ];

    /// <summary>
    /// The options: those given on the command line, and for the rest <paramref name="settings"/>
    /// (a settings file's) or else the defaults.
    /// </summary>
    /// <exception cref="StyleTransferException">A list option holds something that is not a number, or --max-memory is not finite.</exception>
    public StyleTransferOptions Bind(ParseResult result, StyleTransferOptions? settings = null)
    {
        var b = settings ?? Defaults;
        T Pick<T>(Option<T> option, T fallback) => Given(option) ? result.GetValue(option)! : fallback;
        TOut Map<T, TOut>(Option<T> option, TOut fallback, Func<T, TOut> map) => Given(option) ? map(result.GetValue(option)!) : fallback;
        bool Given(Option option) => result.GetResult(option) is { Implicit: false };
        return b with
        {
            Size = Pick(size, b.Size),
            Iterations = Pick(iterations, b.Iterations),
            Scales = Pick(scales, b.Scales),
            ContentWeight = Pick(contentWeight, b.ContentWeight),
            StyleWeight = Pick(styleWeight, b.StyleWeight),
            StyleStrength = Pick(styleStrength, b.StyleStrength),
            StyleBlend = Map(styleBlend, b.StyleBlend, v => v is null ? null : ParseNumbers("--style-blend", v)),
            StyleScale = Pick(styleScale, b.StyleScale),
            CoarseFrom = Pick(coarseFrom, b.CoarseFrom),
            PaintingColors = Pick(paintingColors, b.PaintingColors),
            PreserveColors = Map(preserveColors, b.PreserveColors, v => Enum.Parse<ColorPreservation>(v, ignoreCase: true)),
            PaletteWeight = Pick(paletteWeight, b.PaletteWeight),
            ReducedStyleWeight = Pick(reducedStyleWeight, b.ReducedStyleWeight),
            StyleLoss = Map(styleLoss, b.StyleLoss, v => v == "sliced-wasserstein" ? StyleLoss.SlicedWasserstein : StyleLoss.Gram),
            TvWeight = Pick(tvWeight, b.TvWeight),
            Init = Map(init, b.Init, v => v is null ? null : InitialImage.Parse(v)),
            Optimizer = Map(optimizer, b.Optimizer, v => v is null ? null : Enum.Parse<OptimizerKind>(v, ignoreCase: true)),
            LearningRate = Pick(learningRate, b.LearningRate),
            LearningRateEnd = Pick(learningRateEnd, b.LearningRateEnd),
            LbfgsHistory = Pick(lbfgsHistory, b.LbfgsHistory),
            Jitter = Pick(jitter, b.Jitter),
            GradientSmoothing = Pick(gradientSmoothing, b.GradientSmoothing),
            AverageDecay = Pick(average, b.AverageDecay),
            SoftmaxSmoothing = Pick(smoothing, b.SoftmaxSmoothing),
            Pooling = Map(pooling, b.Pooling, v => Enum.Parse<Pooling>(v, ignoreCase: true)),
            Network = Map(network, b.Network, v => Enum.Parse<NetworkKind>(v, ignoreCase: true)),
            WeightsPath = Pick(weights, b.WeightsPath),
            ContentLayers = Map(contentLayers, b.ContentLayers, v => v is null ? null : SplitList(v)),
            StyleLayers = Map(styleLayers, b.StyleLayers, v => v is null ? null : SplitList(v)),
            StyleLayerWeights = Map(styleLayerWeights, b.StyleLayerWeights, v => v is null ? null : ParseNumbers("--style-layer-weights", v)),
            Seed = Pick(seed, b.Seed),
            Tile = Pick(tile, b.Tile),
            TiledIterations = Pick(tiledIterations, b.TiledIterations),
            MaxMemory = Map(maxMemory, b.MaxMemory, v => v is not { } gib ? null
                : double.IsFinite(gib) ? (long?)Math.Clamp(gib * (1L << 30), 0, long.MaxValue)
                : throw new StyleTransferException($"--max-memory must be a number of GiB (got {gib})")),
            Precision = Map(precision, b.Precision, v => Enum.Parse<Precision>(v, ignoreCase: true)),
            Device = Pick(device, b.Device),
        };
    }

    private static string PerNetwork<T>(Func<NetworkDefaults, T> setting) =>
        string.Create(CultureInfo.InvariantCulture, $"vgg19 {setting(NetworkDefaults.Vgg19)}, resnet18 {setting(NetworkDefaults.ResNet18)}");

    private static ComputeDevice ParseDevice(ArgumentResult result)
    {
        try
        {
            return result.Tokens.Count == 0 ? Defaults.Device : ComputeDevice.Parse(result.Tokens[0].Value);
        }
        catch (FormatException e)
        {
            result.AddError($"--device: {e.Message}");
            return Defaults.Device;
        }
    }

    private static string[] SplitList(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static double[] ParseNumbers(string option, string value) => SplitList(value).Select(v =>
        double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight)
            ? weight
            : throw new StyleTransferException($"{option}: '{v}' is not a number")).ToArray();
}
