using NeuralStyle.Optimization;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Optimization;

public sealed class BinomialTests
{
    private static Tensor Stripes(int period)
    {
        var columns = (arange(32) % period < period / 2).to(float64) * 2 - 1;
        return columns.reshape(1, 1, 1, 32).expand(1, 3, 16, 32).contiguous();
    }

    [Fact]
    public void GivenAConstantPicture_WhenSmoothed_ThenItIsUnchangedEdgesIncluded()
    {
        using var scope = NewDisposeScope();
        var flat = full([1, 3, 8, 10], 7.5, dtype: float64);

        Assert.Equal(0, (Binomial.Smooth(flat) - flat).abs().max().ToDouble(), 1e-12);
    }

    // [1 2 1] / 4 along a row answers a period of p pixels with (1 + cos(2π / p)) / 2: 0 at 2, ½ at 4.
    [Theory]
    [InlineData(2, 0.0)]
    [InlineData(4, 0.5)]
    public void GivenStripes_WhenSmoothed_ThenTheirAmplitudeIsTheFiltersAnswerAtThatPeriod(int period, double answer)
    {
        using var scope = NewDisposeScope();
        var stripes = Stripes(period);

        var smoothed = Binomial.Smooth(stripes)[.., .., 2..^2, 2..^2];

        Assert.Equal(answer, smoothed.abs().max().ToDouble(), 1e-9);
        Assert.Equal(stripes.shape, Binomial.Smooth(stripes).shape);
    }
}
