using NeuralStyle.Networks;
using NeuralStyle.Networks.Onnx;

namespace NeuralStyle.Tests.Networks.Onnx;

public sealed class OnnxGraphTests
{
    private static readonly string Model = BuiltInResNet18.ModelPath;
    private static readonly string Preprocess = BuiltInResNet18.PreprocessPath;

    [Fact]
    public void GivenTheShippedResNet18_WhenRead_ThenEveryNodeAndEveryTensorIsThereWithItsShape()
    {
        var graph = OnnxGraph.Read(Model);

        Assert.Equal(74, graph.Nodes.Count);
        Assert.Equal(110, graph.Initializers.Count);
        Assert.All(graph.Initializers.Values, t => Assert.Equal(t.Shape.Aggregate(1L, (a, b) => a * b), t.Values.LongLength));
        Assert.All(graph.Initializers.Values, t => Assert.All(t.Values, v => Assert.True(float.IsFinite(v))));
        Assert.All(graph.Nodes.SelectMany(n => n.Inputs.Skip(1)), input => Assert.True(graph.Initializers.ContainsKey(input) || graph.Nodes.Any(n => n.Outputs.Contains(input)), input));
        var stem = graph.Nodes[0];
        Assert.Equal("Conv", stem.OpType);
        Assert.Equal([64L, 3, 7, 7], graph.Initializers[stem.Inputs[1]].Shape);
        Assert.Equal([3L, 3, 2, 2], stem.Ints("pads", []));
        Assert.Equal([2L, 2], stem.Ints("strides", []));
        Assert.Equal(22, graph.Nodes.Count(n => n.OpType == "Conv"));
        Assert.Equal(22, graph.Nodes.Count(n => n.OpType == "BatchNormalization"));
        Assert.Equal(1e-5f, graph.Nodes[1].Attributes["epsilon"].Floats[0], 1e-9f);
    }

    [Fact]
    public void GivenThePreprocessingGraph_WhenItsMeanImageIsAveraged_ThenTheBgrChannelMeansAreImageNets()
    {
        var means = BuiltInResNet18.ChannelMeans(OnnxGraph.Read(Preprocess), Preprocess);

        Assert.Equal(103.06, means[0], 0.01);
        Assert.Equal(115.90, means[1], 0.01);
        Assert.Equal(123.15, means[2], 0.01);
    }

    [Fact]
    public void GivenATruncatedModel_WhenRead_ThenTheErrorNamesTheFile()
    {
        using var folder = new TempFolder();
        var path = folder.TruncatedCopy(Model, "cut.onnx");

        var error = Assert.Throws<StyleTransferException>(() => OnnxGraph.Read(path));

        Assert.StartsWith(path + ": not a readable ONNX model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenFilesThatAreNotOnnx_WhenRead_ThenTheyAreRejectedClearly()
    {
        Assert.Contains("not a readable ONNX model", Assert.Throws<StyleTransferException>(() => OnnxGraph.Read(TestImages.PhotoPath)).Message, StringComparison.Ordinal);
        Assert.Contains("not a readable ONNX model", Assert.Throws<StyleTransferException>(() => OnnxGraph.Read(SharedData.Reference("gatys-reference.json"))).Message, StringComparison.Ordinal);
        Assert.Equal("/nonexistent.onnx: no such ONNX file", Assert.Throws<StyleTransferException>(() => OnnxGraph.Read("/nonexistent.onnx")).Message);
    }
}
