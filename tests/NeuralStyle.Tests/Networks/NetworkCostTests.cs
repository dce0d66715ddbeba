using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;

namespace NeuralStyle.Tests.Networks;

public sealed class NetworkCostTests
{
    [Fact]
    public void GivenVgg19AtImageNetSize_WhenItsConvolutionsAreCounted_ThenTheyAreTwiceTheMultiplyAddsOfEachLayer()
    {
        using var network = new Vgg(VggWeights.Load(SharedData.TestWeights), Pooling.Max);

        var cost = NetworkCost.Count(network, ["conv5_1"], 224, 224);

        // Σ over conv1_1 … conv5_1 of C_in · C_out · 9 · H · W = 18 121.2 M multiply-adds (the
        // published 19.5 G of all 16 convolutions less conv5_2 … conv5_4, 3 × 462.4 M).
        Assert.Equal(2 * 18_121.16e6, cost.ForwardFlops, 2 * 0.01e6);
    }

    [Fact]
    public void GivenVgg16AtImageNetSize_WhenAllItsConvolutionsAreCounted_ThenTheyAreThePublishedMultiplyAddsLessTheClassifiers()
    {
        using var folder = new TempFolder();
        SafetensorsWriter.Write(folder.File("vgg16.safetensors"), SafetensorsWriter.CaffeLayers("conv5_3", VggLayout.Vgg16));
        using var network = new Vgg(VggWeights.Load(folder.File("vgg16.safetensors")), Pooling.Max);

        var cost = NetworkCost.Count(network, ["conv5_3"], 224, 224);

        // Σ over conv1_1 … conv5_3 of C_in · C_out · 9 · H · W = 15 346.6 M multiply-adds: the published
        // 15.5 G of VGG-16 less its classifier's 123.6 M.
        Assert.Equal(2 * 15_346.63e6, cost.ForwardFlops, 2 * 0.01e6);
    }

    [Fact]
    public void GivenASizeAboveTheCountingSide_WhenCounted_ThenTheCountsScaleWithTheAreaAndStopAtTheDeepestLayer()
    {
        using var network = new Vgg(VggWeights.Load(SharedData.TestWeights), Pooling.Max);

        var small = NetworkCost.Count(network, ["conv5_1"], 256, 128);
        var large = NetworkCost.Count(network, ["conv5_1"], 2048, 1024);
        var shallow = NetworkCost.Count(network, ["conv1_1"], 256, 128);

        Assert.Equal(64 * small.ForwardFlops, large.ForwardFlops, 1e-9 * large.ForwardFlops);
        Assert.Equal(64 * small.ConvolutionOutputs, large.ConvolutionOutputs, 1e-9 * large.ConvolutionOutputs);
        Assert.Equal(64.0 * 256 * 128, shallow.ConvolutionOutputs);
    }

    [Fact]
    public void GivenTheBuiltInNetwork_WhenCounted_ThenEveryConvolutionIsSeenAndCountingAgainGivesTheSame()
    {
        using var network = BuiltInResNet18.Load();

        var deepest = network.Canonical("layer4")!;

        var first = NetworkCost.Count(network, [deepest], 224, 224);
        var second = NetworkCost.Count(network, [deepest], 224, 224);

        // CNTK's ResNet-18 (with its 3-block last stage) is about 2.1 G multiply-adds at 224 px.
        Assert.InRange(first.ForwardFlops, 2 * 1.8e9, 2 * 2.6e9);
        Assert.Equal(first, second);
    }
}
