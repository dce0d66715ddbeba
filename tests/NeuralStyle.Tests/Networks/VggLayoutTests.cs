using NeuralStyle.Networks;

namespace NeuralStyle.Tests.Networks;

public sealed class VggLayoutTests
{
    [Fact]
    public void GivenVgg19_WhenItsLayersAreListed_ThenThereAre16ConvolutionsAnd5PoolsInForwardOrder()
    {
        Assert.Equal(21, VggLayout.Vgg19.Layers.Count);
        Assert.Equal(16, VggLayout.Vgg19.Convolutions.Count);
        Assert.Equal(["conv1_1", "conv1_2", "pool1", "conv2_1"], VggLayout.Vgg19.Layers.Take(4));
        Assert.Equal("conv4_2", VggLayout.Vgg19.Layers[VggLayout.Vgg19.Layers.ToList().IndexOf("conv4_1") + 1]);
        Assert.Equal(("conv5_1", 512, 512), VggLayout.Vgg19.Convolutions[12]);
        Assert.Equal(("conv3_1", 128, 256), VggLayout.Vgg19.Convolutions[4]);
    }

    [Fact]
    public void GivenVgg16_WhenItsLayersAreListed_ThenThereAre13ConvolutionsWithBlocksThreeToFiveOneShorterThanVgg19s()
    {
        Assert.Equal(18, VggLayout.Vgg16.Layers.Count);
        Assert.Equal(13, VggLayout.Vgg16.Convolutions.Count);
        Assert.Equal(["conv3_3", "pool3", "conv4_1"], VggLayout.Vgg16.Layers.Skip(8).Take(3));
        Assert.Equal(("conv4_1", 256, 512), VggLayout.Vgg16.Convolutions[7]);
        Assert.Equal((17, 24, 28), (VggLayout.Vgg16.TorchvisionFeatureIndex["conv4_1"], VggLayout.Vgg16.TorchvisionFeatureIndex["conv5_1"], VggLayout.Vgg16.TorchvisionFeatureIndex["conv5_3"]));
        Assert.Null(VggLayout.Vgg16.Canonical("conv5_4"));
        Assert.Equal("conv5_3", VggLayout.Vgg16.Canonical("relu5_3"));
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
        Assert.Equal(index, VggLayout.Vgg19.TorchvisionFeatureIndex[layer]);

    [Theory]
    [InlineData("relu4_2", "conv4_2")]
    [InlineData("conv4_2", "conv4_2")]
    [InlineData(" ReLU1_1 ", "conv1_1")]
    [InlineData("pool3", "pool3")]
    [InlineData("conv6_1", null)]
    [InlineData("conv1_3", null)]
    [InlineData("fc7", null)]
    public void GivenALayerName_WhenCanonicalised_ThenReluAndConvNamesMeetAndUnknownNamesAreRejected(string name, string? canonical) =>
        Assert.Equal(canonical, VggLayout.Vgg19.Canonical(name));
}
