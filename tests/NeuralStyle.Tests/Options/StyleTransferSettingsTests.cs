using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Optimization;

namespace NeuralStyle.Tests.Options;

public sealed class StyleTransferSettingsTests
{
    [Fact]
    public void GivenOptionsWithEveryKindOfSetting_WhenWrittenAndRead_ThenTheyAreEqualInEverySetting()
    {
        var options = new StyleTransferOptions
        {
            Size = 300, Iterations = 7, Network = NetworkKind.ResNet18, Optimizer = OptimizerKind.Lbfgs, Precision = Precision.BFloat16,
            PreserveColors = ColorPreservation.Histogram, Init = InitialImage.FromFile("/tmp/start.png"), Device = ComputeDevice.Parse("cuda:1"),
            StyleBlend = [0.25, 0.75], StyleLayers = ["conv1", "layer2"], Seed = 42, StyleScale = 0.5, PaintingColors = false,
        };

        var read = StyleTransferSettings.FromJson(StyleTransferSettings.ToJson(options));

        Assert.Equal(StyleTransferSettings.ToJson(options), StyleTransferSettings.ToJson(read));
        Assert.Equal((300, 7, NetworkKind.ResNet18, Precision.BFloat16, "/tmp/start.png", "cuda:1", 42), (read.Size, read.Iterations, read.Network, read.Precision, read.Init!.Path, read.Device.ToString(), read.Seed));
        Assert.Equal([0.25, 0.75], read.StyleBlend!);
    }

    [Fact]
    public void GivenSettingsWrittenByHand_WhenRead_ThenNamesAreTheCommandLinesAndWhatIsLeftOutKeepsItsDefault()
    {
        var read = StyleTransferSettings.FromJson("""{ "network": "vgg19", "precision": "bfloat16", "preserveColors": "luminance", "init": "content" }""");

        Assert.Equal((NetworkKind.Vgg19, Precision.BFloat16, ColorPreservation.Luminance, InitKind.Content), (read.Network, read.Precision, read.PreserveColors, read.Init!.Kind));
        Assert.Equal(new StyleTransferOptions().Size, read.Size);
    }

    [Theory]
    [InlineData("""{ "size": "big" }""")]
    [InlineData("""{ "netwrok": "vgg19" }""")]
    [InlineData("""{ "network": "alexnet" }""")]
    [InlineData("[1, 2]")]
    [InlineData("not json")]
    public void GivenSettingsThatAreNotOptions_WhenRead_ThenOneMessageSaysSo(string json)
    {
        var error = Assert.Throws<StyleTransferException>(() => StyleTransferSettings.FromJson(json));

        Assert.StartsWith("settings: ", error.Message, StringComparison.Ordinal);
    }
}
