using NeuralStyle.Networks;

namespace NeuralStyle.Tests.Networks;

public sealed class Vgg19LayoutTests
{
    [Fact]
    public void GivenVgg19_WhenItsLayersAreListed_ThenThereAre16ConvolutionsAnd5PoolsInForwardOrder()
    {
        Assert.Equal(21, Vgg19Layout.Layers.Count);
        Assert.Equal(16, Vgg19Layout.Convolutions.Count);
        Assert.Equal(["conv1_1", "conv1_2", "pool1", "conv2_1"], Vgg19Layout.Layers.Take(4));
        Assert.Equal("conv4_2", Vgg19Layout.Layers[Vgg19Layout.Layers.ToList().IndexOf("conv4_1") + 1]);
        Assert.Equal(("conv5_1", 512, 512), Vgg19Layout.Convolutions[12]);
        Assert.Equal(("conv3_1", 128, 256), Vgg19Layout.Convolutions[4]);
    }

    [Theory]
    [InlineData("conv1_1", 0)]
    [InlineData("conv1_2", 2)]
    [InlineData("conv2_1", 5)]
    [InlineData("conv3_1", 10)]
    [InlineData("conv4_1", 19)]
    [InlineData("conv4_2", 21)]
    [InlineData("conv5_1", 28)]
    [InlineData("conv5_4", 34)]
    public void GivenTorchvisionsFeatureModule_WhenAConvolutionIsLookedUp_ThenItHasTorchvisionsIndex(string layer, int index) =>
        Assert.Equal(index, Vgg19Layout.TorchvisionFeatureIndex[layer]);

    [Theory]
    [InlineData("relu4_2", "conv4_2")]
    [InlineData("conv4_2", "conv4_2")]
    [InlineData(" ReLU1_1 ", "conv1_1")]
    [InlineData("pool3", "pool3")]
    [InlineData("conv6_1", null)]
    [InlineData("conv1_3", null)]
    [InlineData("fc7", null)]
    public void GivenALayerName_WhenCanonicalised_ThenReluAndConvNamesMeetAndUnknownNamesAreRejected(string name, string? canonical) =>
        Assert.Equal(canonical, Vgg19Layout.Canonical(name));
}
