using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;

namespace NeuralStyle.Tests.Networks.Weights;

public sealed class CaffeModelFileTests
{
    private static readonly Dictionary<string, (long[] Shape, float[] Values)> Convolutions = SafetensorsWriter.CaffeLayers("conv3_1");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GivenACaffeVgg19InEitherForm_WhenLoaded_ThenEachConvolutionIsReadByNameWithItsValuesAndTheInputIsCaffeBgr(bool oldForm)
    {
        using var folder = new TempFolder();
        var path = folder.File("VGG_ILSVRC_19_layers.caffemodel");
        CaffeModelWriter.Write(path, "VGG_ILSVRC_19_layers", CaffeModelWriter.Vgg19(Convolutions), oldForm);

        var weights = VggWeights.Load(path);

        Assert.Equal(InputConvention.CaffeBgr, weights.Convention);
        Assert.Equal("conv3_1", weights.DeepestConvolution);
        Assert.All(weights.Layers, layer =>
        {
            Assert.Equal(Convolutions[$"{layer.Key}.weight"].Shape, layer.Value.Weight.Shape);
            Assert.Equal(Convolutions[$"{layer.Key}.weight"].Values, layer.Value.Weight.Values);
            Assert.Equal(Convolutions[$"{layer.Key}.bias"].Values, layer.Value.Bias.Values);
        });
    }

    [Fact]
    public void GivenACaffeModelCutShort_WhenLoaded_ThenTheErrorSaysItCannotBeRead()
    {
        using var folder = new TempFolder();
        var whole = folder.File("whole.caffemodel");
        CaffeModelWriter.Write(whole, "VGG_ILSVRC_19_layers", CaffeModelWriter.Vgg19(Convolutions), oldForm: true);
        var cut = folder.TruncatedCopy(whole, "cut.caffemodel", 0.6);

        var error = Assert.Throws<StyleTransferException>(() => VggWeights.Load(cut));

        Assert.StartsWith($"{cut}: not a Caffe model that can be read (", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenACaffeModelOfAnotherNetwork_WhenLoaded_ThenTheErrorNamesItAndItsFirstLayers()
    {
        using var folder = new TempFolder();
        var path = folder.File("bvlc_alexnet.caffemodel");
        CaffeModelWriter.Write(path, "AlexNet", [new("data", "Data"), new("conv1", "Convolution", ([4, 3, 11, 11], new float[4 * 3 * 121]), ([4], new float[4])), new("relu1", "ReLU"), new("norm1", "LRN"), new("pool1", "Pooling")], oldForm: true);

        var error = Assert.Throws<StyleTransferException>(() => VggWeights.Load(path));

        Assert.Equal($"{path}: a Caffe model of AlexNet (5 layers: data, conv1, relu1, norm1, pool1), not a VGG: it has no conv1_1", error.Message);
    }

    [Fact]
    public void GivenAFileNamedAsACaffeModelThatIsNot_WhenLoaded_ThenTheErrorSaysItCannotBeRead()
    {
        using var folder = new TempFolder();
        var path = folder.File("notes.caffemodel");
        File.WriteAllText(path, "these are notes, not a network");

        var error = Assert.Throws<StyleTransferException>(() => VggWeights.Load(path));

        Assert.StartsWith($"{path}: not a Caffe model that can be read (", error.Message, StringComparison.Ordinal);
    }
}
