using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using NeuralStyle.Networks;

namespace NeuralStyle.Cli;

/// <summary>The command line: maps arguments onto <see cref="StyleTransferOptions"/>, whose defaults it shows.</summary>
internal static class StyleCommand
{
    public static RootCommand Create()
    {
        var defaults = new StyleTransferOptions();
        var content = new Argument<string>("content") { Description = "The photograph whose content to keep." };
        var style = new Argument<string>("style") { Description = "The painting whose style to take." };
        var output = new Option<string>("--output", "-o") { Description = "Result image (.png, .jpg or .jpeg), written only when complete.", Required = true };
        var size = new Option<int>("--size") { Description = "Longest side of the result in pixels (the style image is scaled to match).", DefaultValueFactory = _ => defaults.Size };
        var iterations = new Option<int>("--iterations") { Description = "Optimiser iterations (one evaluation each).", DefaultValueFactory = _ => defaults.Iterations };
        var contentWeight = new Option<double>("--content-weight") { Description = "α, weight of the content loss.", DefaultValueFactory = _ => defaults.ContentWeight };
        var styleWeight = new Option<double>("--style-weight") { Description = "β, weight of the style loss.", DefaultValueFactory = _ => defaults.StyleWeight };
        var tvWeight = new Option<double>("--tv-weight") { Description = "Weight of total-variation smoothing (0: none, as in the paper).", DefaultValueFactory = _ => defaults.TvWeight };
        var init = new Option<string>("--init") { Description = "Start from noise, content, style, or an image file.", DefaultValueFactory = _ => defaults.Init };
        var optimizer = new Option<string>("--optimizer") { Description = "lbfgs or adam.", DefaultValueFactory = _ => defaults.Optimizer.ToString().ToLowerInvariant() };
        optimizer.AcceptOnlyFromAmong("lbfgs", "adam");
        var learningRate = new Option<double?>("--learning-rate") { Description = "Learning rate (default: 1 for lbfgs, 10 for adam)." };
        var pooling = new Option<string>("--pooling") { Description = "max or avg.", DefaultValueFactory = _ => defaults.Pooling.ToString().ToLowerInvariant() };
        pooling.AcceptOnlyFromAmong("max", "avg");
        var network = new Option<string>("--network") { Description = "The network.", DefaultValueFactory = _ => defaults.Network };
        network.AcceptOnlyFromAmong("vgg19");
        var weights = new Option<string?>("--weights") { Description = "VGG-19 weights (.pth or .safetensors); default: vgg19-dcbb9e9d.pth in the PyTorch cache." };
        var contentLayers = new Option<string>("--content-layers") { Description = "Comma-separated content layers.", DefaultValueFactory = _ => string.Join(',', defaults.ContentLayers) };
        var styleLayers = new Option<string>("--style-layers") { Description = "Comma-separated style layers.", DefaultValueFactory = _ => string.Join(',', defaults.StyleLayers) };
        var styleLayerWeights = new Option<string?>("--style-layer-weights") { Description = "Comma-separated weight per style layer (default: 1/number of layers each)." };
        var seed = new Option<int?>("--seed") { Description = "Seed of the initial noise (default: random)." };
        var saveEvery = new Option<int>("--save-every") { Description = "Also save the image every N iterations, as OUT_N.ext (0: never).", DefaultValueFactory = _ => defaults.SaveEvery };
        var device = new Option<string>("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => defaults.Device };

        var command = new RootCommand("Repaints a photograph in the style of a painting (Gatys, Ecker & Bethge, 2015).")
        {
            content, style, output, size, iterations, contentWeight, styleWeight, tvWeight, init, optimizer, learningRate,
            pooling, network, weights, contentLayers, styleLayers, styleLayerWeights, seed, saveEvery, device,
        };
        command.SetAction(result =>
        {
            try
            {
                var options = defaults with
                {
                    Size = result.GetValue(size),
                    Iterations = result.GetValue(iterations),
                    ContentWeight = result.GetValue(contentWeight),
                    StyleWeight = result.GetValue(styleWeight),
                    TvWeight = result.GetValue(tvWeight),
                    Init = result.GetValue(init)!,
                    Optimizer = Enum.Parse<OptimizerKind>(result.GetValue(optimizer)!, ignoreCase: true),
                    LearningRate = result.GetValue(learningRate),
                    Pooling = Enum.Parse<Pooling>(result.GetValue(pooling)!, ignoreCase: true),
                    Network = result.GetValue(network)!,
                    WeightsPath = result.GetValue(weights),
                    ContentLayers = SplitList(result.GetValue(contentLayers)!),
                    StyleLayers = SplitList(result.GetValue(styleLayers)!),
                    StyleLayerWeights = result.GetValue(styleLayerWeights) is { } w ? ParseWeights(w) : null,
                    Seed = result.GetValue(seed),
                    SaveEvery = result.GetValue(saveEvery),
                    Device = result.GetValue(device)!,
                };
                return StyleJob.Run(result.GetValue(content)!, result.GetValue(style)!, result.GetValue(output)!, options);
            }
            catch (StyleTransferException e)
            {
                Console.Error.WriteLine($"neural-style: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static string[] SplitList(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static double[] ParseWeights(string value) => SplitList(value).Select(v =>
        double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight)
            ? weight
            : throw new StyleTransferException($"--style-layer-weights: '{v}' is not a number")).ToArray();
}
