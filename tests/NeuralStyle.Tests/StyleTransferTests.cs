using NeuralStyle.Cli;
using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;
using NeuralStyle.Objective;
using NeuralStyle.Optimization;
using NeuralStyle.Planning;
using static TorchSharp.torch;

namespace NeuralStyle.Tests;

public sealed class StyleTransferTests
{
    // The built-in network at 64 px without its recolouring of the photo, so that each test sees the option it is about.
    private static readonly StyleTransferOptions Small = new() { Network = NetworkKind.ResNet18, Size = 64, Iterations = 1, Jitter = 0, Seed = 1, PaintingColors = false };

    private static StyleTransferResult Run(StyleTransferOptions options, List<StepProgress>? records = null) =>
        StyleTransfer.Run(TestImages.Photo, TestImages.Painting, options, records is null ? null : new SynchronousProgress<StepProgress>(records.Add));

    [Theory]
    [InlineData(512, 1, new[] { 512 })]
    [InlineData(512, 3, new[] { 128, 256, 512 })]
    [InlineData(500, 2, new[] { 250, 500 })]
    [InlineData(200, 4, new[] { 100, 200 })]
    [InlineData(40, 3, new[] { 40 })]
    public void GivenASizeAndScales_WhenTheScalesAreLaidOut_ThenEachHalvesTheNextAndNoneIsUnder64PxButTheLast(int size, int scales, int[] expected)
    {
        Assert.Equal(expected, ScaleSchedule.LongestSides(size, scales));
    }

    [Fact]
    public void GivenTheBuiltInNetworksDefaults_WhenTwoScalesAreRun_ThenTheCoarseScaleWeighsContentByTheShareAndTheLastByTheWholeAlpha()
    {
        var coarse = new List<StepProgress>();
        var alone = new List<StepProgress>();

        Run(Small with { Size = 128, Scales = 2, Init = InitialImage.Noise }, coarse);
        Run(Small with { Size = 64, Scales = 1, Init = InitialImage.Noise }, alone);

        // The same first evaluation of the same 64 px picture, weighed at the coarse scale and as a run's last.
        Assert.Equal(NetworkDefaults.ResNet18.CoarseContentShare, coarse[0].ContentLoss / alone[0].ContentLoss, 1e-6);
        Assert.True(NetworkDefaults.ResNet18.CoarseContentShare < 1);
    }

    [Fact]
    public void GivenTwoScales_WhenRun_ThenProgressCountsOnAcrossThemAndThePictureHasTheFinalSize()
    {
        var records = new List<StepProgress>();

        var result = Run(Small with { Size = 128, Scales = 2, Iterations = 3 }, records);

        Assert.Equal([1, 2, 3, 4, 5, 6], records.Select(r => r.Iteration));
        Assert.All(records, r => Assert.Equal(6, r.Iterations));

        // 64 × 48 then 128 × 96 pixels: the first scale is a fifth of the work.
        double[] expected = [0.2 / 3, 0.4 / 3, 0.2, 0.2 + (0.8 / 3), 0.2 + (1.6 / 3), 1];
        Assert.All(expected.Zip(records), e => Assert.Equal(e.First, e.Second.WorkDone, 1e-12));
        Assert.Equal((128, 96), (result.Image.Width, result.Image.Height));
        Assert.Equal((6, 6, false, NetworkKind.ResNet18), (result.IterationsRun, result.Iterations, result.Cancelled, result.Network));
    }

    [Fact]
    public void GivenATileOnlyTheFinalScaleExceeds_WhenRun_ThenOnlyThatScaleIsTiledAndTakesTheTiledIterations()
    {
        var records = new List<StepProgress>();

        var result = Run(Small with { Size = 256, Scales = 2, Iterations = 2, Tile = 128, TiledIterations = 1 }, records);

        Assert.Equal(
            [new(0, 2, 128, 96, 0, 1, 2, TimeSpan.Zero), new(0, 2, 128, 96, 0, 2, 2, TimeSpan.Zero), new ScaleStage(1, 2, 256, 192, 128, 1, 1, TimeSpan.Zero)],
            records.Select(r => r.Stage! with { Elapsed = TimeSpan.Zero }));
        Assert.Equal([1, 2, 3], records.Select(r => r.Iteration));

        // 128 × 96 pixels twice, then 256 × 192 once: the first scale is a third of the work.
        Assert.Equal(1.0 / 3, records[1].WorkDone, 1e-12);
        Assert.Equal((3, 3, 128), (result.IterationsRun, result.Iterations, result.Tile));
    }

    [Fact]
    public void GivenSnapshotsAcrossScales_WhenRun_ThenTheyAreNumberedByTheRunsIterationAtEachScalesSizeAndTheLastIsTheResult()
    {
        var snapshots = new List<(int Iteration, int Width, int Height)>();
        var options = Small with { Size = 128, Scales = 2, Iterations = 4, SaveEvery = 2 };

        StyleTransfer.Run(TestImages.Photo, TestImages.Painting, options, snapshot: (i, image) => snapshots.Add((i, image.Width, image.Height)));

        Assert.Equal([(2, 64, 48), (4, 64, 48), (6, 128, 96)], snapshots);
    }

    [Fact]
    public void GivenCancellationAtACoarseScale_WhenRun_ThenThePictureSoFarComesAtTheFinalSize()
    {
        using var stop = new CancellationTokenSource();
        var progress = new SynchronousProgress<StepProgress>(p =>
        {
            if (p.Iteration == 2)
            {
                stop.Cancel();
            }
        });

        var result = StyleTransfer.Run(TestImages.Photo, TestImages.Painting, Small with { Size = 128, Scales = 2, Iterations = 5 }, progress, cancellation: stop.Token);

        Assert.Equal((2, 10, true), (result.IterationsRun, result.Iterations, result.Cancelled));
        Assert.Equal((128, 96), (result.Image.Width, result.Image.Height));
    }

    // One Adam step at a learning rate of 1e-6 moves no pixel by a level: the result is where it started.
    [Fact]
    public void GivenEachInitialImage_WhenOneTinyStepIsTaken_ThenTheResultIsThatImageAtThePhotosSize()
    {
        using var folder = new TempFolder();
        var start = new RgbImage(30, 20, [.. Enumerable.Range(0, 30 * 20 * 3).Select(i => (byte)(i * 7 % 256))]);
        ImageFile.SaveAtomically(start, folder.File("start.png"));
        var tiny = Small with { Optimizer = OptimizerKind.Adam, LearningRate = 1e-6 };

        foreach (var (init, expected) in new[] { (InitialImage.Content, TestImages.Photo), (InitialImage.Style, TestImages.Painting), (InitialImage.FromFile(folder.File("start.png")), start) })
        {
            var result = Run(tiny with { Init = init }).Image;

            Assert.Equal((64, 48), (result.Width, result.Height));
            Assert.InRange(TestImages.MeanAbsoluteDifference(result, ImageFile.Resize(expected, 64, 48)), 0, 0.6);
        }
    }

    // Gatys et al. 2016: luminance and post keep the photo's chrominance, measured on the result, while
    // its luminance has moved; histogram is the plain run with the painting given the photo's colours.
    [Theory]
    [InlineData(ColorPreservation.Luminance)]
    [InlineData(ColorPreservation.Post)]
    public void GivenColourPreservationByLuminance_WhenRun_ThenTheResultHasThePhotosChrominanceAndANewLuminance(ColorPreservation preservation)
    {
        using var scope = NewDisposeScope();
        var photo = ImageFile.Resize(TestImages.Photo, 64, 48);

        var result = Run(Small with { Iterations = 20, PaintingColors = null, PreserveColors = preservation }).Image;

        var (got, expected) = (Yiq.Of(result), Yiq.Of(photo));
        Assert.InRange((got[.., 1..] - expected[.., 1..]).abs().mean().ToDouble(), 0, 1.5);
        Assert.True((got[.., 0] - expected[.., 0]).abs().mean().ToDouble() > 5, "the luminance did not change");
    }

    [Fact]
    public void GivenColourPreservationByHistogram_WhenRun_ThenItIsTheRunWithThePaintingInThePhotosColours()
    {
        var options = Small with { Iterations = 5, PaintingColors = null };

        var preserved = StyleTransfer.Run(TestImages.Photo, TestImages.Painting, options with { PreserveColors = ColorPreservation.Histogram }).Image;
        var byHand = StyleTransfer.Run(TestImages.Photo, ColorTransfer.Matching(TestImages.Painting, TestImages.Photo), options with { PaintingColors = false }).Image;
        var plain = StyleTransfer.Run(TestImages.Photo, TestImages.Painting, options with { PaintingColors = false }).Image;

        Assert.InRange(TestImages.MeanAbsoluteDifference(preserved, byHand), 0, 0.5);
        Assert.True(TestImages.MeanAbsoluteDifference(preserved, plain) > 1, "the painting's colours made no difference");
    }

    [Fact]
    public void GivenNoStyleStrength_WhenRun_ThenThePictureIsThePhoto()
    {
        var result = Run(new StyleTransferOptions { Network = NetworkKind.ResNet18, Size = 64, Iterations = 10, Seed = 1, StyleStrength = 0 }).Image;

        Assert.InRange(TestImages.MeanAbsoluteDifference(result, ImageFile.Resize(TestImages.Photo, 64, 48)), 0, 0.6);
    }

    // The built-in network starts from the photo in the painting's colours, and that is also its content target.
    [Fact]
    public void GivenPaintingColors_WhenOneTinyStepIsTaken_ThenThePictureIsThePhotoRecolouredToThePaintingsStatistics()
    {
        var tiny = Small with { Optimizer = OptimizerKind.Adam, LearningRate = 1e-6 };

        var recoloured = Run(tiny with { PaintingColors = true }).Image;
        var plain = Run(tiny with { PaintingColors = false }).Image;

        var expected = ImageFile.Resize(ColorTransfer.Matching(TestImages.Photo, TestImages.Painting), 64, 48);
        Assert.InRange(TestImages.MeanAbsoluteDifference(recoloured, expected), 0, 1);
        Assert.InRange(TestImages.MeanAbsoluteDifference(plain, ImageFile.Resize(TestImages.Photo, 64, 48)), 0, 0.6);
    }

    // From the photo (0) toward the painting: its palette and its VGG style distance (measured with the
    // real filters, which the built-in network never sees) both come closer at each step up. Above 1 the
    // palette moves little more on either network (README, "The painting's palette"), so the steps stop there.
    [Theory]
    [InlineData(NetworkKind.ResNet18)]
    [InlineData(NetworkKind.Vgg19)]
    public void GivenARisingStyleStrength_WhenRun_ThenThePictureComesCloserToThePaintingInPaletteAndInVggStyle(NetworkKind network)
    {
        var photo = ImageFile.Resize(TestImages.Photo, 128, 96);
        var painting = ImageFile.Resize(TestImages.Painting, 128, 80);
        var options = network == NetworkKind.ResNet18
            ? new StyleTransferOptions { Network = network, Size = 128, Iterations = 40, Seed = 1 }
            : new StyleTransferOptions
            {
                Network = network, WeightsPath = SharedData.PartialCaffeWeights, ContentLayers = ["conv3_2"], StyleLayers = ["conv1_1", "conv2_1", "conv3_1"],
                Init = InitialImage.Content, Size = 128, Scales = 1, Iterations = 30, Seed = 1,
            };
        using var reference = new Vgg(VggWeights.Load(SharedData.PartialCaffeWeights), Pooling.Max);

        var measures = new[] { 0, 0.1, 1 }.Select(strength =>
        {
            using var scope = NewDisposeScope();
            var result = Run(options with { StyleStrength = strength }).Image;
            var (style, _) = NeuralStyle.Quality.VggDistances.Measure(
                reference, ImageTensor.ToTensor(result, float32, CPU), ImageTensor.ToTensor(photo, float32, CPU), ImageTensor.ToTensor(painting, float32, CPU));
            return (Palette: NeuralStyle.Quality.PaletteDistance.Ratio(result, photo, painting), Style: style);
        }).ToList();

        Assert.Equal(1, measures[0].Palette, 0.02);
        for (var i = 1; i < measures.Count; i++)
        {
            Assert.True(measures[i].Palette < measures[i - 1].Palette && measures[i].Style < measures[i - 1].Style, string.Join(", ", measures));
        }
    }

    [Fact]
    public void GivenNoiseWithASeed_WhenRunTwice_ThenThePicturesAreIdenticalAndAnotherSeedGivesAnother()
    {
        var options = new StyleTransferOptions { Network = NetworkKind.ResNet18, Size = 64, Iterations = 3, Init = InitialImage.Noise, Seed = 7 };

        var first = Run(options).Image;
        var second = Run(options).Image;
        var other = Run(options with { Seed = 8 }).Image;

        Assert.Equal(first.Pixels, second.Pixels);
        Assert.InRange(TestImages.MeanAbsoluteDifference(first, other), 10, 255);
    }

    // bfloat16 keeps 8 significant bits: the first evaluation's losses move by rounding, and only by that.
    [Fact]
    public void GivenBfloat16_WhenRun_ThenTheLossesDifferFromFloat32sByRoundingOnly()
    {
        var full = new List<StepProgress>();
        var half = new List<StepProgress>();

        Run(Small with { Precision = Precision.Float32 }, full);
        Run(Small with { Precision = Precision.BFloat16 }, half);

        var difference = Tolerance.RelativeError(half[0].StyleLoss, full[0].StyleLoss);
        Assert.InRange(difference, 1e-5, 3e-2);
    }

    [Fact]
    public void GivenTheTvWeightOrSmoothing_WhenRun_ThenTheFirstEvaluationCountsThem()
    {
        var plain = new List<StepProgress>();
        var tv = new List<StepProgress>();
        var smoothed = new List<StepProgress>();

        Run(Small, plain);
        Run(Small with { TvWeight = 2 }, tv);
        Run(Small with { SoftmaxSmoothing = true }, smoothed);

        // From the photo: the first image evaluated is the photo at 64 × 48.
        using var scope = NewDisposeScope();
        var photoTv = Losses.TotalVariation(TestImages.Tensor(TestImages.Photo, 64, 48).to(float64)).ToDouble();
        Assert.Equal(0, plain[0].TvLoss);
        Assert.Equal(2 * photoTv, tv[0].TvLoss, photoTv * 1e-5);
        Assert.Equal(plain[0].StyleLoss, tv[0].StyleLoss, plain[0].StyleLoss * 1e-6);
        Assert.InRange(Tolerance.RelativeError(smoothed[0].StyleLoss, plain[0].StyleLoss), 1e-3, double.PositiveInfinity);
    }

    [Fact]
    public void GivenAveraging_WhenAdamRunsFromThePhoto_ThenTheResultStaysNearThePhotoWhileTheLastIterateMoves()
    {
        var moving = Small with { Iterations = 20, LearningRate = 8 };

        var last = Run(moving).Image;
        var averaged = Run(moving with { AverageDecay = 0.999 }).Image;

        var photo = ImageFile.Resize(TestImages.Photo, 64, 48);
        var lastMoved = TestImages.MeanAbsoluteDifference(last, photo);
        Assert.True(lastMoved > 10, $"last iterate moved {lastMoved}");
        Assert.InRange(TestImages.MeanAbsoluteDifference(averaged, photo), 0, lastMoved * 0.1);
    }

    [Fact]
    public void GivenATileSmallerThanThePicture_WhenRun_ThenThePictureIsTheWholeEvaluationsToRoundingWithoutSeams()
    {
        // float32: tiles agree with the whole picture to float32's rounding; bfloat16's is 2⁻⁹.
        var options = Small with { Size = 160, Iterations = 3, Jitter = 4, PaintingColors = null, Precision = Precision.Float32 };

        var whole = Run(options).Image;
        var tiled = Run(options with { Tile = 64 }).Image;

        Assert.InRange(TestImages.MeanAbsoluteDifference(whole, tiled), 0, 0.05);
        Assert.True(TestImages.MeanAbsoluteDifference(whole, ImageFile.Resize(TestImages.Photo, 160, 120)) > 2, "the run did not change the photo");

        // Along the tile borders (every 64 px) the tiled picture steps as the whole one does, to a tenth
        // of a level; the measure sees a seam of 3 levels laid along one of them.
        Assert.InRange(TestImages.SeamStep(tiled, whole, 64), double.NegativeInfinity, 0.1);
        var seamed = new RgbImage(tiled.Width, tiled.Height, [.. tiled.Pixels.Select((v, i) => (byte)Math.Min(255, v + (i / 3 % tiled.Width >= 64 ? 3 : 0)))]);
        Assert.InRange(TestImages.SeamStep(seamed, whole, 64), 2.5, 3.5);
    }

    [Fact]
    public void GivenASizeThatCannotFit_WhenRun_ThenItIsRefusedBeforeAnyIterationWithTheSizeThatWould()
    {
        var reported = 0;
        var options = new StyleTransferOptions { Network = NetworkKind.ResNet18, Size = 200_000, Iterations = 1 };

        var error = Assert.Throws<StyleTransferException>(() => StyleTransfer.Run(TestImages.Photo, TestImages.Painting, options, new SynchronousProgress<StepProgress>(_ => reported++)));

        Assert.Equal(0, reported);
        Assert.Matches(@"^--size 200000 \(200000x150000\) needs about \d+\.\d GiB \(network .*\) but \d+\.\d GiB is available; the largest that fits is about --size \d+ \(in tiles of 256 px\)$", CommandLineWords.Of(error));
    }
}
