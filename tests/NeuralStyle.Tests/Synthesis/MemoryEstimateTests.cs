using NeuralStyle.Networks;
using NeuralStyle.Synthesis;

namespace NeuralStyle.Tests.Synthesis;

public sealed class MemoryEstimateTests
{
    private static readonly NetworkCost Cost = new(0, 76e6);

    [Fact]
    public void GivenLbfgs_WhenEstimated_ThenItsHistoryOfTwoVectorsPerPairIsCounted()
    {
        var lbfgs = MemoryEstimate.For("vgg19", Cost, 512, 512, new SynthesisSettings(OptimizerKind.Lbfgs, 1, 10, LbfgsHistory: 100), bfloat16: false);
        var adam = MemoryEstimate.For("vgg19", Cost, 512, 512, new SynthesisSettings(OptimizerKind.Adam, 1, 10), bfloat16: false);

        Assert.Equal(adam.NetworkBytes, lbfgs.NetworkBytes);
        Assert.InRange(lbfgs.OptimizerBytes - adam.OptimizerBytes, 200 * 3 * 512 * 512 * 4.0, 205 * 3 * 512 * 512 * 4.0);
    }

    [Fact]
    public void GivenBfloat16_WhenEstimated_ThenTheNetworkNeedsLessAndTheOptimiserTheSame()
    {
        var settings = new SynthesisSettings(OptimizerKind.Lbfgs, 1, 10);
        var full = MemoryEstimate.For("vgg19", Cost, 512, 512, settings, bfloat16: false);
        var half = MemoryEstimate.For("vgg19", Cost, 512, 512, settings, bfloat16: true);

        Assert.InRange(half.NetworkBytes, 0.5 * full.NetworkBytes, 0.95 * full.NetworkBytes);
        Assert.Equal(full.OptimizerBytes, half.OptimizerBytes);
    }

    [Fact]
    public void GivenTheBuiltInNetwork_WhenEstimated_ThenEachOfItsConvolutionOutputsCostsMoreThanVgg19s()
    {
        var settings = new SynthesisSettings(OptimizerKind.Adam, 1, 10);

        var vgg = MemoryEstimate.For("vgg19", Cost, 512, 512, settings, bfloat16: false);
        var resnet = MemoryEstimate.For("resnet18", Cost, 512, 512, settings, bfloat16: false);

        Assert.True(resnet.NetworkBytes > 1.5 * vgg.NetworkBytes);
    }

    [Fact]
    public void GivenAnEstimate_WhenTheLargestHistoryIsAsked_ThenThatHistoryFitsAndOneMorePairDoesNot()
    {
        var estimate = MemoryEstimate.For("vgg19", Cost, 2048, 2048, new SynthesisSettings(OptimizerKind.Lbfgs, 1, 10, LbfgsHistory: 100), bfloat16: false);
        const double Available = 8.0 * (1L << 30);

        var history = estimate.LargestLbfgsHistory(Available);

        MemoryEstimate With(int pairs) => MemoryEstimate.For("vgg19", Cost, 2048, 2048, new SynthesisSettings(OptimizerKind.Lbfgs, 1, 10, LbfgsHistory: pairs), bfloat16: false);
        Assert.InRange(history, 1, 99);
        Assert.True(With(history).TotalBytes <= Available);
        Assert.True(With(history + 1).TotalBytes > Available);
    }

    [Fact]
    public void GivenAnEstimate_WhenTheLargestSizeIsAsked_ThenThatSizeFitsAndOneTenthLargerDoesNot()
    {
        var settings = new SynthesisSettings(OptimizerKind.Lbfgs, 1, 10);
        var estimate = MemoryEstimate.For("vgg19", Cost, 512, 512, settings, bfloat16: false);
        const double Available = 8.0 * (1L << 30);

        var largest = estimate.LargestSize(512, Available);

        MemoryEstimate At(int size) => MemoryEstimate.For("vgg19", Cost with { ConvolutionOutputs = Cost.ConvolutionOutputs * size * size / (512.0 * 512) }, size, size, settings, bfloat16: false);
        Assert.True(At(largest).TotalBytes <= Available);
        Assert.True(At(largest * 11 / 10).TotalBytes > Available);
    }
}
