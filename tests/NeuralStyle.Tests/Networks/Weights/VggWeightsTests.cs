using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;

namespace NeuralStyle.Tests.Networks.Weights;

public sealed class VggWeightsTests
{
    [Fact]
    public void GivenCaffeKeys_WhenLoaded_ThenTheInputIsCaffeBgrAndTheLayersRunToConv3_4()
    {
        var weights = VggWeights.Load(SharedData.PartialCaffeWeights);

        Assert.Equal(InputConvention.CaffeBgr, weights.Convention);
        Assert.Equal("conv3_4", weights.DeepestConvolution);
        Assert.Equal(8, weights.Layers.Count);
    }

    [Theory]
    [InlineData("vgg19-partial-zip.pth")]
    [InlineData("vgg19-partial-legacy.pth")]
    public void GivenTorchvisionKeys_WhenLoaded_ThenFeatureIndicesMapToLayerNamesAndTheInputIsRgb(string file)
    {
        var path = SharedData.Pth(file);

        var weights = VggWeights.Load(path);

        Assert.Equal(InputConvention.TorchvisionRgb, weights.Convention);
        Assert.Equal(["conv1_1", "conv1_2", "conv2_1"], weights.Layers.Keys);
        Assert.Equal(TorchCheckpointFile.Read(path)["features.5.weight"].Values, weights.Layers["conv2_1"].Weight.Values);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GivenVgg16sConvolutionsInEitherKeyLayout_WhenLoaded_ThenTheFileIsKnownAsVgg16AndReadToConv5_3(bool torchvisionKeys)
    {
        using var folder = new TempFolder();
        var caffe = SafetensorsWriter.CaffeLayers("conv5_3", VggLayout.Vgg16);
        var tensors = torchvisionKeys
            ? caffe.ToDictionary(t => $"features.{VggLayout.Vgg16.TorchvisionFeatureIndex[t.Key[..t.Key.IndexOf('.', StringComparison.Ordinal)]]}{t.Key[t.Key.IndexOf('.', StringComparison.Ordinal)..]}", t => t.Value)
            : caffe;
        SafetensorsWriter.Write(folder.File("vgg16.safetensors"), tensors);

        var weights = VggWeights.Load(folder.File("vgg16.safetensors"));

        Assert.Same(VggLayout.Vgg16, weights.Layout);
        Assert.Equal("conv5_3", weights.DeepestConvolution);
        Assert.Equal(13, weights.Layers.Count);
        Assert.Equal(caffe["conv4_1.weight"].Values, weights.Layers["conv4_1"].Weight.Values);
        Assert.Equal(torchvisionKeys ? InputConvention.TorchvisionRgb : InputConvention.CaffeBgr, weights.Convention);
    }

    [Fact]
    public void GivenVgg19sConvolutions_WhenLoaded_ThenTheFileIsKnownAsVgg19()
    {
        Assert.Same(VggLayout.Vgg19, VggWeights.Load(SharedData.TestWeights).Layout);
    }

    [Fact]
    public void GivenAMissingFile_WhenLoaded_ThenTheErrorSaysSo()
    {
        var error = Assert.Throws<StyleTransferException>(() => VggWeights.Load("/nonexistent/vgg19.pth"));

        Assert.Equal("/nonexistent/vgg19.pth: no such weights file", error.Message);
    }

    [Fact]
    public void GivenAnImageInsteadOfWeights_WhenLoaded_ThenItIsNotTakenForAWeightFile()
    {
        var error = Assert.Throws<StyleTransferException>(() => VggWeights.Load(TestImages.PhotoPath));

        Assert.Contains("not a weight file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAWrongShape_WhenLoaded_ThenTheErrorNamesTheKeyAndBothShapes()
    {
        using var folder = new TempFolder();
        var layers = SafetensorsWriter.CaffeLayers("conv2_1");
        layers["conv1_2.weight"] = ([64, 64, 5, 5], new float[64 * 64 * 25]);
        SafetensorsWriter.Write(folder.File("w.safetensors"), layers);

        var error = Assert.Throws<StyleTransferException>(() => VggWeights.Load(folder.File("w.safetensors")));

        Assert.Contains("conv1_2.weight (conv1_2) has shape [64, 64, 5, 5], VGG-19 needs [64, 64, 3, 3]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenANonFiniteValue_WhenLoaded_ThenTheErrorNamesTheLayer()
    {
        using var folder = new TempFolder();
        var layers = SafetensorsWriter.CaffeLayers("conv2_1");
        layers["conv2_1.bias"].Values[5] = float.NaN;
        SafetensorsWriter.Write(folder.File("w.safetensors"), layers);

        var error = Assert.Throws<StyleTransferException>(() => VggWeights.Load(folder.File("w.safetensors")));

        Assert.Contains("conv2_1.bias (conv2_1) holds non-finite values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAGapInTheLayers_WhenLoaded_ThenTheErrorNamesTheMissingLayer()
    {
        using var folder = new TempFolder();
        var layers = SafetensorsWriter.CaffeLayers("conv2_2");
        layers.Remove("conv1_2.weight");
        SafetensorsWriter.Write(folder.File("w.safetensors"), layers);

        var error = Assert.Throws<StyleTransferException>(() => VggWeights.Load(folder.File("w.safetensors")));

        Assert.Contains("lacks conv1_2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenUnrelatedKeys_WhenLoaded_ThenTheErrorSaysNoVggWasFound()
    {
        using var folder = new TempFolder();
        SafetensorsWriter.Write(folder.File("w.safetensors"), new Dictionary<string, (long[], float[])> { ["fc.weight"] = ([1], [1]) });

        var error = Assert.Throws<StyleTransferException>(() => VggWeights.Load(folder.File("w.safetensors")));

        Assert.Contains("no VGG-19 or VGG-16 weights found", error.Message, StringComparison.Ordinal);
    }
}
