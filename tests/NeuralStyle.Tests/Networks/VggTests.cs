using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Networks;

public sealed class VggTests
{
    private static readonly VggWeights Partial = VggWeights.Load(SharedData.PartialCaffeWeights);

    [Fact]
    public void GivenNamedLayers_WhenActivationsAreAsked_ThenEachHasItsChannelsAndResolutionAndIsRectified()
    {
        using var scope = NewDisposeScope();
        using var network = new Vgg(Partial, Pooling.Max);
        var image = rand(1, 3, 64, 96) * 255;

        var activations = network.Activations(image, ["conv1_1", "conv2_1", "pool2", "conv3_2"]);

        Assert.Equal([1L, 64, 64, 96], activations["conv1_1"].shape);
        Assert.Equal([1L, 128, 32, 48], activations["conv2_1"].shape);
        Assert.Equal([1L, 128, 16, 24], activations["pool2"].shape);
        Assert.Equal([1L, 256, 16, 24], activations["conv3_2"].shape);
        Assert.True(activations["conv3_2"].min().ToDouble() >= 0);
        Assert.True(activations["conv3_2"].max().ToDouble() > 0);
    }

    [Fact]
    public void GivenPartialWeights_WhenLayersAreChecked_ThenOnlyThoseWithinTheWeightsAreAvailable()
    {
        using var network = new Vgg(Partial, Pooling.Max);

        Assert.True(network.Has("conv3_4"));
        Assert.True(network.Has("pool3"));
        Assert.False(network.Has("conv4_1"));
        Assert.Equal("conv3_4", network.DeepestConvolution);
        Assert.Null(network.Unavailable("pool3"));
        Assert.EndsWith("holds VGG-19 only up to conv3_4, so layer conv4_1 cannot be computed; choose shallower --content-layers/--style-layers", NeuralStyle.Cli.CommandLineWords.Of(new StyleTransferException(network.Unavailable("conv4_1")!)), StringComparison.Ordinal);
    }

    [Fact]
    public void GivenTheNetwork_WhenCreated_ThenItsWeightsNeedNoGradientsAndItsStateDictIsNamedByLayer()
    {
        using var network = new Vgg(Partial, Pooling.Avg);

        Assert.All(network.parameters(), p => Assert.False(p.requires_grad));
        Assert.Contains("conv3_4.weight", network.state_dict().Keys);
    }

    [Fact]
    public void GivenMaxAndAveragePooling_WhenTheSameImageIsSeen_ThenLayersBeforeTheFirstPoolAgreeAndLaterOnesDiffer()
    {
        using var scope = NewDisposeScope();
        using var max = new Vgg(Partial, Pooling.Max);
        using var avg = new Vgg(Partial, Pooling.Avg);
        var image = rand(1, 3, 32, 32) * 255;

        var a = max.Activations(image, ["conv1_2", "conv2_1"]);
        var b = avg.Activations(image, ["conv1_2", "conv2_1"]);

        Assert.Equal(0, (a["conv1_2"] - b["conv1_2"]).abs().max().ToDouble());
        Assert.False(a["conv2_1"].allclose(b["conv2_1"]));
    }

    // The ReLU of a layer nobody asks for runs after the max pool that follows it; the layer itself,
    // when asked for, must still come back rectified, and the pool must not change either way.
    [Theory]
    [InlineData(Pooling.Max)]
    [InlineData(Pooling.Avg)]
    public void GivenALayerBeforeAPool_WhenItIsAskedForOrNot_ThenItIsRectifiedAndThePoolIsTheSame(Pooling pooling)
    {
        using var scope = NewDisposeScope();
        using var network = new Vgg(Partial, pooling);
        var image = rand([1, 3, 32, 48], generator: new Generator(4)) * 255;

        var withLayer = network.Activations(image, ["conv1_2", "pool1", "conv2_1"]);
        var withoutLayer = network.Activations(image, ["pool1", "conv2_1"]);

        var expectedPool = pooling == Pooling.Max ? nn.functional.max_pool2d(withLayer["conv1_2"], 2, 2) : nn.functional.avg_pool2d(withLayer["conv1_2"], 2, 2);
        Assert.True(withLayer["conv1_2"].min().ToDouble() >= 0);
        Assert.True(withLayer["conv1_2"].lt(0.001).any().ToBoolean(), "some responses are cut to zero");
        Assert.Equal(0, (withLayer["pool1"] - expectedPool).abs().max().ToDouble());
        Assert.Equal(0, (withoutLayer["pool1"] - expectedPool).abs().max().ToDouble());
        Assert.Equal(0, (withoutLayer["conv2_1"] - withLayer["conv2_1"]).abs().max().ToDouble());
    }

    [Fact]
    public void GivenABfloat16Network_WhenAFloat32ImageIsSeen_ThenTheActivationsComeBackBfloat16AndCloseToTheFloat32Networks()
    {
        using var scope = NewDisposeScope();
        using var full = new Vgg(Partial, Pooling.Max);
        using var half = new Vgg(Partial, Pooling.Max);
        half.to(bfloat16);
        var image = rand([1, 3, 32, 48], generator: new Generator(3)) * 255;

        var expected = full.Activations(image, ["conv3_1"])["conv3_1"];
        var actual = half.Activations(image, ["conv3_1"])["conv3_1"];

        // In the type the network computes in: the losses widen what they sum themselves.
        Assert.Equal(bfloat16, actual.dtype);
        var error = Tolerance.RelativeError(actual.to(float32), expected);
        Assert.InRange(error, 1e-5, 3e-2); // bfloat16 keeps 8 significant bits: rounding shows, but only as rounding
    }
}
