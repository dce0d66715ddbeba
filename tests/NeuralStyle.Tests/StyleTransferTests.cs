using NeuralStyle.Images;
using NeuralStyle.Synthesis;

namespace NeuralStyle.Tests;

public sealed class StyleTransferTests
{
    private static readonly RgbImage Photo = ImageFile.Load(SharedData.Image("tubingen.jpg"));
    private static readonly RgbImage Painting = ImageFile.Load(SharedData.Image("starry_night.jpg"));

    [Theory]
    [InlineData(512, 1, new[] { 512 })]
    [InlineData(512, 3, new[] { 128, 256, 512 })]
    [InlineData(500, 2, new[] { 250, 500 })]
    [InlineData(200, 4, new[] { 100, 200 })]
    [InlineData(40, 3, new[] { 40 })]
    public void GivenASizeAndScales_WhenTheScalesAreLaidOut_ThenEachHalvesTheNextAndNoneIsUnder64PxButTheLast(int size, int scales, int[] expected)
    {
        Assert.Equal(expected, StyleTransfer.ScaleSizes(size, scales));
    }

    [Fact]
    public void GivenTwoScales_WhenRun_ThenProgressCountsOnAcrossThemAndThePictureHasTheFinalSize()
    {
        var records = new List<StepProgress>();
        var options = new StyleTransferOptions { Network = "resnet18", Size = 128, Scales = 2, Iterations = 3, Seed = 1 };

        var result = StyleTransfer.Run(Photo, Painting, options, new SynchronousProgress<StepProgress>(records.Add));

        Assert.Equal([1, 2, 3, 4, 5, 6], records.Select(r => r.Iteration));
        Assert.All(records, r => Assert.Equal(6, r.Iterations));
        Assert.Equal(records.Select(r => r.Elapsed).Order(), records.Select(r => r.Elapsed));

        // 64 × 48 then 128 × 96 pixels: the first scale is a fifth of the work.
        double[] expected = [0.2 / 3, 0.4 / 3, 0.2, 0.2 + (0.8 / 3), 0.2 + (1.6 / 3), 1];
        Assert.All(expected.Zip(records), e => Assert.Equal(e.First, e.Second.WorkDone, 1e-12));
        Assert.Equal((128, 96), (result.Image.Width, result.Image.Height));
        Assert.Equal((6, 6, false), (result.IterationsRun, result.Iterations, result.Cancelled));
    }

    [Fact]
    public void GivenLbfgsAtASizeWhoseNetworkFitsButNotItsHistory_WhenRun_ThenTheRefusalNamesAHistoryThatFits()
    {
        var available = MemoryEstimate.AvailableBytes()!.Value;
        // ResNet-18 costs about 1.4 KB per pixel of 4:3 picture, L-BFGS's 100 pairs 2.4 KB more: size the
        // picture so that the network takes about half of what is available.
        var size = (int)Math.Sqrt(available / 2 / 1400 / 0.75);
        var options = new StyleTransferOptions { Network = "resnet18", Optimizer = OptimizerKind.Lbfgs, Size = size, Iterations = 1 };

        var error = Assert.Throws<StyleTransferException>(() => StyleTransfer.Run(Photo, Painting, options));

        Assert.Matches(@", or --lbfgs-history \d+ at this size$", error.Message);
    }

    [Fact]
    public void GivenASizeThatCannotFit_WhenRun_ThenItIsRefusedBeforeAnyIterationWithTheSizeThatWould()
    {
        var reported = 0;
        var options = new StyleTransferOptions { Network = "resnet18", Size = 200_000, Iterations = 1 };

        var error = Assert.Throws<StyleTransferException>(() => StyleTransfer.Run(Photo, Painting, options, new SynchronousProgress<StepProgress>(_ => reported++)));

        Assert.Equal(0, reported);
        Assert.Matches(@"^--size 200000 \(200000x150000\) needs about \d+\.\d GiB \(network .*\) but \d+\.\d GiB is available; the largest that fits is about --size \d+$", error.Message);
    }
}
