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

        var weights = Vgg19Weights.Load(path);

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

        var weights = Vgg19Weights.Load(path);

        Assert.Equal(InputConvention.TorchvisionRgb, weights.Convention);
        Assert.Equal(Convolutions["conv3_4.weight"].Values, weights.Layers["conv3_4"].Weight.Values);
    }

    [Fact]
    public void GivenVgg19WithBatchNormalisation_WhenLoaded_ThenOneLineSaysItIsNotRead()
    {
        using var folder = new TempFolder();
        var path = Written(folder, "vgg19-bn-7.onnx", (_, index, part) => $"vgg0_conv{index}_{part}", batchNorm: true);

        var error = Assert.Throws<StyleTransferException>(() => Vgg19Weights.Load(path));

        Assert.Equal($"{path}: an ONNX VGG with batch normalisation (vgg19-bn), which is not read: its filters differ from the paper's network", error.Message);
    }

    [Fact]
    public void GivenAGraphWithThirteenConvolutions_WhenLoaded_ThenTheLineNamesVgg16()
    {
        using var folder = new TempFolder();
        var thirteen = Convolutions.Where(t => !t.Key.StartsWith("conv3_4", StringComparison.Ordinal) && !t.Key.StartsWith("conv4_4", StringComparison.Ordinal) && !t.Key.StartsWith("conv5_4", StringComparison.Ordinal)).ToDictionary();
        var (nodes, initializers) = OnnxWriter.Vgg19(thirteen, (_, index, part) => $"vgg0_conv{index}_{part}");
        var path = folder.File("vgg16-7.onnx");
        OnnxWriter.Write(path, nodes, initializers);

        var error = Assert.Throws<StyleTransferException>(() => Vgg19Weights.Load(path));

        Assert.StartsWith($"{path}: an ONNX graph with 13 convolutions ([64, 3, 3, 3], [64, 64, 3, 3], ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("not VGG-19's 16 from [64, 3, 3, 3] on (13 is VGG-16, which is not read yet)", error.Message, StringComparison.Ordinal);
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
