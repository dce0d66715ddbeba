using NeuralStyle.Networks;
using NeuralStyle.Networks.Onnx;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Networks;

public sealed class ResNet18Tests
{
    private static readonly ResNet18 Network = BuiltInResNet18.Load();

    [Fact]
    public void GivenTheShippedModel_WhenItsLayersAreListed_ThenTheyAreNamedByStageAndBlock()
    {
        // CNTK's "ResNet-18" has three blocks in its last stage.
        Assert.Equal(["conv1", "maxpool", "layer1.0", "layer1.1", "layer2.0", "layer2.1", "layer3.0", "layer3.1", "layer4.0", "layer4.1", "layer4.2"], Network.Layers);
        Assert.Equal("layer2.1", Network.Canonical("layer2"));
        Assert.Equal("layer4.2", Network.Canonical(" layer4 "));
        Assert.Equal("layer3.0", Network.Canonical("layer3.0"));
        Assert.Null(Network.Canonical("layer5"));
        Assert.Null(Network.Canonical("conv4_2"));
    }

    [Theory]
    [InlineData(96, 128, 3, 4)]
    [InlineData(80, 128, 3, 4)]
    [InlineData(75, 101, 3, 4)]
    public void GivenAnySize_WhenActivationsAreAsked_ThenEachStageHalvesTheSizeRoundingUp(int height, int width, int lastHeight, int lastWidth)
    {
        using var scope = NewDisposeScope();
        var image = rand(1, 3, height, width) * 255;

        var a = Network.Activations(image, ["conv1", "layer1.1", "layer2.1", "layer3.1", "layer4.2"]);

        Assert.Equal([1L, 64, (height + 1) / 2, (width + 1) / 2], a["conv1"].shape);
        Assert.Equal(64, a["layer1.1"].shape[1]);
        Assert.Equal(128, a["layer2.1"].shape[1]);
        Assert.Equal([1L, 512, lastHeight, lastWidth], a["layer4.2"].shape);
        Assert.True(a["layer4.2"].min().ToDouble() >= 0);
    }

    [Fact]
    public void GivenTheStem_WhenComputed_ThenItEqualsTheFilesConvolutionBatchNormAndRelu()
    {
        using var scope = NewDisposeScope();
        var graph = OnnxGraph.Read(BuiltInResNet18.ModelPath);
        var mean = BuiltInResNet18.ChannelMeans(OnnxGraph.Read(BuiltInResNet18.PreprocessPath), "preprocess");
        Tensor Init(string name) => tensor(graph.Initializers[name].Values).reshape(graph.Initializers[name].Shape);
        var (conv, bn) = (graph.Nodes[0], graph.Nodes[1]);
        var image = rand(1, 3, 32, 48) * 255;

        var input = image.flip(1) - tensor(mean, float32).reshape(1, 3, 1, 1);
        var convolved = nn.functional.conv2d(nn.functional.pad(input, [3, 2, 3, 2]), Init(conv.Inputs[1]), strides: [2, 2]);
        var normalised = nn.functional.batch_norm(convolved, Init(bn.Inputs[3]), Init(bn.Inputs[4]), Init(bn.Inputs[1]), Init(bn.Inputs[2]), training: false, eps: 1e-5);
        var expected = nn.functional.relu(normalised);
        var actual = Network.Activations(image, ["conv1"])["conv1"];

        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-3), $"max difference {(actual - expected).abs().max().ToDouble()}");
    }

    [Fact]
    public void GivenTheNetwork_WhenCreated_ThenItsFoldedWeightsNeedNoGradients()
    {
        Assert.NotEmpty(Network.parameters());
        Assert.All(Network.parameters(), p => Assert.False(p.requires_grad));
    }
}
