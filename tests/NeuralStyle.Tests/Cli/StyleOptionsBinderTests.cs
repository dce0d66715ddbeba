using System.CommandLine;
using NeuralStyle.Cli;
using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Objective;
using NeuralStyle.Optimization;

namespace NeuralStyle.Tests.Cli;

public sealed class StyleOptionsBinderTests
{
    private static StyleTransferOptions Bind(params string[] args) => BindOver(null, args);

    private static StyleTransferOptions BindOver(StyleTransferOptions? settings, params string[] args)
    {
        var binder = new StyleOptionsBinder();
        var command = new RootCommand();
        foreach (var option in binder.Options)
        {
            command.Options.Add(option);
        }

        var parsed = command.Parse(args);
        Assert.Empty(parsed.Errors);
        return binder.Bind(parsed, settings);
    }

    [Fact]
    public void GivenNoOptions_WhenBound_ThenEveryOptionIsTheLibrarysDefault()
    {
        Assert.Equal(new StyleTransferOptions(), Bind());
    }

    [Fact]
    public void GivenEveryOption_WhenBound_ThenEachReachesItsSetting()
    {
        var options = Bind(
            "--size", "300", "--iterations", "7", "--scales", "2", "--content-weight", "3", "--style-weight", "40", "--style-strength", "2.5",
            "--style-blend", "1,3", "--style-scale", "0.5", "--coarse-from", "conv3_1", "--painting-colors", "false", "--preserve-colors", "histogram", "--palette-weight", "0.75", "--reduced-style-weight", "0.25", "--style-loss", "sliced-wasserstein", "--tv-weight", "0.5",
            "--init", "style", "--optimizer", "adam", "--learning-rate", "2.5", "--learning-rate-end", "0.2", "--lbfgs-history", "9",
            "--jitter", "4", "--gradient-smoothing", "0.25", "--average", "0.9", "--softmax-smoothing", "--pooling", "avg", "--network", "vgg19", "--weights", "w.pth",
            "--content-layers", "conv3_2, conv4_2", "--style-layers", "conv1_1,conv2_1", "--style-layer-weights", "0.25,0.75",
            "--seed", "11", "--tile", "256", "--precision", "bfloat16", "--device", "cuda:1");

        var expected = new StyleTransferOptions
        {
            Size = 300,
            Iterations = 7,
            Scales = 2,
            ContentWeight = 3,
            StyleWeight = 40,
            StyleStrength = 2.5,
            StyleScale = 0.5,
            CoarseFrom = "conv3_1",
            PaintingColors = false,
            PreserveColors = ColorPreservation.Histogram,
            PaletteWeight = 0.75,
            ReducedStyleWeight = 0.25,
            StyleLoss = StyleLoss.SlicedWasserstein,
            TvWeight = 0.5,
            Init = InitialImage.Style,
            Optimizer = OptimizerKind.Adam,
            LearningRate = 2.5,
            LearningRateEnd = 0.2,
            LbfgsHistory = 9,
            Jitter = 4,
            GradientSmoothing = 0.25,
            AverageDecay = 0.9,
            SoftmaxSmoothing = true,
            Pooling = Pooling.Avg,
            Network = NetworkKind.Vgg19,
            WeightsPath = "w.pth",
            Seed = 11,
            Tile = 256,
            Precision = Precision.BFloat16,
            Device = new ComputeDevice(DeviceKind.Cuda, 1),
        };
        Assert.Equal(expected, options with { ContentLayers = null, StyleLayers = null, StyleLayerWeights = null, StyleBlend = null });
        Assert.Equal([1.0, 3.0], options.StyleBlend!);
        Assert.Equal(["conv3_2", "conv4_2"], options.ContentLayers!);
        Assert.Equal(["conv1_1", "conv2_1"], options.StyleLayers!);
        Assert.Equal([0.25, 0.75], options.StyleLayerWeights!);
    }

    [Fact]
    public void GivenASettingsFileAndSomeOptions_WhenBound_ThenTheOptionsGivenWinAndTheFileSuppliesTheRest()
    {
        var settings = new StyleTransferOptions { Size = 300, Network = NetworkKind.ResNet18, Seed = 9, PreserveColors = ColorPreservation.Post, StyleBlend = [1, 2] };

        var options = BindOver(settings, "--size", "128", "--preserve-colors", "none");

        Assert.Equal(settings with { Size = 128, PreserveColors = ColorPreservation.None }, options);
    }

    [Theory]
    [InlineData("noise", InitKind.Noise, null)]
    [InlineData("content", InitKind.Content, null)]
    [InlineData("style", InitKind.Style, null)]
    [InlineData("start.png", InitKind.File, "start.png")]
    public void GivenAnInit_WhenBound_ThenItIsThatStartOrAFile(string value, InitKind kind, string? path)
    {
        var init = Bind("--init", value).Init!;

        Assert.Equal((kind, path), (init.Kind, init.Path));
    }

    [Theory]
    [InlineData("cpu", DeviceKind.Cpu, 0)]
    [InlineData("cuda", DeviceKind.Cuda, 0)]
    [InlineData("cuda:3", DeviceKind.Cuda, 3)]
    public void GivenADevice_WhenBound_ThenItIsThatProcessor(string value, DeviceKind kind, int index)
    {
        Assert.Equal(new ComputeDevice(kind, index), Bind("--device", value).Device);
    }
}
