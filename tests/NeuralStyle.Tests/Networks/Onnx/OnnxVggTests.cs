using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;

namespace NeuralStyle.Tests.Networks.Onnx;

// The ONNX model zoo's VGG-19 files, as its two exporters name them, written field by field.
public sealed class OnnxVggTests
{
    private static readonly Dictionary<string, (long[] Shape, float[] Values)> Convolutions = SafetensorsWriter.CaffeLayers("conv5_4");

    [Fact]
    public void GivenTheCaffe2Export_WhenLoaded_ThenEachConvolutionIsNamedByItsPlaceAndTheInputIsCaffeBgr()
    {
        using var folder = new TempFolder();
        var path = Written(folder, "vgg19-caffe2-9.onnx", (layer, _, part) => $"{layer}_{part[0]}_0");

        var weights = VggWeights.Load(path);

        Assert.Equal(InputConvention.CaffeBgr, weights.Convention);
        Assert.Equal("conv5_4", weights.DeepestConvolution);
        Assert.Equal(Convolutions["conv4_3.weight"].Values, weights.Layers["conv4_3"].Weight.Values);
        Assert.Equal(Convolutions["conv4_3.bias"].Values, weights.Layers["conv4_3"].Bias.Values);
    }

    [Fact]
    public void GivenTheMxnetExport_WhenLoaded_ThenTheInputIsRgbNormalisedAsTorchvisionsAndTheLayersKeepTheirOrder()
    {
        using var folder = new TempFolder();
        var path = Written(folder, "vgg19-7.onnx", (_, index, part) => $"vgg0_conv{index}_{part}");

        var weights = VggWeights.Load(path);

        Assert.Equal(InputConvention.TorchvisionRgb, weights.Convention);
        Assert.Equal(Convolutions["conv3_4.weight"].Values, weights.Layers["conv3_4"].Weight.Values);
    }

    [Fact]
    public void GivenVgg19WithBatchNormalisation_WhenLoaded_ThenOneLineSaysItIsNotRead()
    {
        using var folder = new TempFolder();
        var path = Written(folder, "vgg19-bn-7.onnx", (_, index, part) => $"vgg0_conv{index}_{part}", batchNorm: true);

        var error = Assert.Throws<StyleTransferException>(() => VggWeights.Load(path));

        Assert.Equal($"{path}: an ONNX VGG with batch normalisation (vgg19-bn), which is not read: its filters differ from the paper's network", error.Message);
    }

    [Fact]
    public void GivenTheModelZoosVgg16_WhenLoaded_ThenItsThirteenConvolutionsAreReadAsVgg16()
    {
        using var folder = new TempFolder();
        var thirteen = SafetensorsWriter.CaffeLayers("conv5_3", VggLayout.Vgg16);
        var (nodes, initializers) = OnnxWriter.Vgg19(thirteen, (_, index, part) => $"vgg0_conv{index}_{part}");
        var path = folder.File("vgg16-7.onnx");
        OnnxWriter.Write(path, nodes, initializers);

        var weights = VggWeights.Load(path);

        Assert.Same(VggLayout.Vgg16, weights.Layout);
        Assert.Equal("conv5_3", weights.DeepestConvolution);
        Assert.Equal(thirteen["conv4_3.weight"].Values, weights.Layers["conv4_3"].Weight.Values);
    }

    [Fact]
    public void GivenAGraphOfAnotherNetwork_WhenLoaded_ThenTheLineSaysHowManyConvolutionsOfWhichShapesItHas()
    {
        using var folder = new TempFolder();
        var path = Written(folder, "squeezenet.onnx", (_, index, part) => $"c{index}_{part}", convolutions: SafetensorsWriter.CaffeLayers("conv2_1"));

        var error = Assert.Throws<StyleTransferException>(() => VggWeights.Load(path));

        Assert.Equal($"{path}: an ONNX graph with 3 convolutions ([64, 3, 3, 3], [64, 64, 3, 3], [128, 64, 3, 3]), not a VGG-19's 16 or a VGG-16's 13 from [64, 3, 3, 3] on, each with its weight and bias", error.Message);
    }

    /// <summary>The convolutions as an ONNX VGG-19 at <paramref name="name"/>, with the ONNX writer's names.</summary>
    internal static string Written(TempFolder folder, string name, Func<string, int, string, string> initializerName, bool batchNorm = false, IReadOnlyDictionary<string, (long[] Shape, float[] Values)>? convolutions = null)
    {
        var (nodes, initializers) = OnnxWriter.Vgg19(convolutions ?? Convolutions, initializerName, batchNorm);
        var path = folder.File(name);
        OnnxWriter.Write(path, nodes, initializers);
        return path;
    }
}
