using NeuralStyle.Cli;
using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Objective;
using NeuralStyle.Optimization;
using static TorchSharp.torch;

namespace NeuralStyle.Tests;

// Several paintings, masks, a coarse painting and the painting's scale, run through StyleTransfer.
public sealed class StyleSourcesTests
{
    // The built-in network at 64 px with its own defaults (recolouring and palette on), a few Adam steps from the photo.
    private static readonly StyleTransferOptions Small = new() { Network = NetworkKind.ResNet18, Size = 64, Iterations = 4, Jitter = 0, Seed = 1 };

    private static RgbImage Scream { get; } = ImageFile.Load(SharedData.Image("the_scream.jpg"));

    private static RgbImage PhotoAt64 { get; } = ImageFile.Resize(TestImages.Photo, 64, 48);

    [Fact]
    public void GivenBlendSharesOneAndZero_WhenRun_ThenThePictureIsTheSingleStylesByteForByte()
    {
        var single = StyleTransfer.Run(TestImages.Photo, TestImages.Painting, Small).Image;

        var blended = StyleTransfer.Run(TestImages.Photo, new StyleSources([TestImages.Painting, Scream]), Small with { StyleBlend = [1, 0] }).Image;
        var otherWay = StyleTransfer.Run(TestImages.Photo, new StyleSources([TestImages.Painting, Scream]), Small with { StyleBlend = [0, 1] }).Image;

        Assert.Equal(single.Pixels, blended.Pixels);
        Assert.True(TestImages.MeanAbsoluteDifference(single, otherWay) > 5, "the shares made no difference");
    }

    // Halves of the same painting add up to it exactly, so this checks the blending arithmetic itself:
    // shares that were not normalised, or a blend of the colours that was not a mixture, would show.
    [Fact]
    public void GivenTheSamePaintingTwiceInEqualShares_WhenRun_ThenThePictureIsTheSingleStylesAndTwoPaintingsGiveAnother()
    {
        var single = StyleTransfer.Run(TestImages.Photo, TestImages.Painting, Small).Image;

        var twice = StyleTransfer.Run(TestImages.Photo, new StyleSources([TestImages.Painting, TestImages.Painting]), Small with { StyleBlend = [3, 3] }).Image;
        var two = StyleTransfer.Run(TestImages.Photo, new StyleSources([TestImages.Painting, Scream]), Small).Image;

        Assert.InRange(TestImages.MeanAbsoluteDifference(single, twice), 0, 0.01);
        Assert.True(TestImages.MeanAbsoluteDifference(single, two) > 5, "a second painting made no difference");
    }

    [Fact]
    public void GivenTwoPaintingsWithShares_WhenTheObjectiveIsBuilt_ThenEachStyleTargetIsTheSharesBlendOfTheirGramMatrices()
    {
        using var scope = NewDisposeScope();
        using var network = BuiltInResNet18.Load();
        var settings = new ObjectiveSettings(["layer2.1"], [("conv1", 0.5), ("layer1.1", 0.5)], 1, 1, 0);
        var (photo, first, second) = (TestImages.Tensor(TestImages.Photo, 64, 48), TestImages.Tensor(TestImages.Painting, 64, 40), TestImages.Tensor(Scream, 52, 64));

        using var blended = new GatysObjective(network, photo, [new StyleImage(first, 3), new StyleImage(second, 1)], settings);
        using var one = new GatysObjective(network, photo, first, settings);
        using var other = new GatysObjective(network, photo, second, settings);

        foreach (var layer in new[] { "conv1", "layer1.1" })
        {
            var expected = (one.StyleTargets[layer] * 0.75) + (other.StyleTargets[layer] * 0.25);
            Assert.InRange(Tolerance.RelativeError(blended.StyleTargets[layer], expected), 0, 1e-6);
        }
    }

    [Fact]
    public void GivenMasksBlackForEveryPainting_WhenRunFromThePhoto_ThenThePictureIsThePhoto()
    {
        var black = new RgbImage(64, 48, new byte[64 * 48 * 3]);
        var styles = new StyleSources([TestImages.Painting, Scream]) { Masks = [black, black] };

        var result = StyleTransfer.Run(TestImages.Photo, styles, Small with { Iterations = 10 }).Image;

        Assert.Equal(PhotoAt64.Pixels, result.Pixels);
    }

    // The left half white for the first painting, the right black for both: the left is repainted,
    // the right keeps the photo though the responses of the left reach across the border. From noise,
    // so that the right is the photo because it is put there, not because it was the start.
    [Theory]
    [InlineData("content")]
    [InlineData("noise")]
    public void GivenMasksThatLeaveHalfThePictureToNoPainting_WhenRun_ThenThatHalfIsThePhotoAndTheOtherIsRepainted(string init)
    {
        var (left, black) = (Mask(160, 120, (x, _) => x < 80), Mask(160, 120, (_, _) => false));
        var styles = new StyleSources([TestImages.Painting, Scream]) { Masks = [left, black] };

        var result = StyleTransfer.Run(TestImages.Photo, styles, Small with { Iterations = 10, Init = InitialImage.Parse(init) }).Image;

        // The mask's border, resized from 160 to 64 px, is soft over a few columns.
        var (changed, kept) = (ColumnsDifference(result, PhotoAt64, 0, 30), ColumnsDifference(result, PhotoAt64, 35, 64));
        Assert.True(changed > 10, $"the masked half moved by {changed:0.0} levels only");
        Assert.Equal(0, kept);
    }

    [Fact]
    public void GivenTheSamePaintingAsTheCoarseStyle_WhenRun_ThenThePictureIsTheSingleStylesAndAnotherCoarseStyleChangesIt()
    {
        var options = Small with { Iterations = 20 };
        var single = StyleTransfer.Run(TestImages.Photo, TestImages.Painting, options).Image;

        var same = StyleTransfer.Run(TestImages.Photo, new StyleSources([TestImages.Painting]) { Coarse = TestImages.Painting }, options).Image;
        var other = StyleTransfer.Run(TestImages.Photo, new StyleSources([TestImages.Painting]) { Coarse = Scream }, options).Image;

        Assert.Equal(single.Pixels, same.Pixels);
        Assert.True(TestImages.MeanAbsoluteDifference(single, other) > 1, "the coarse painting made no difference");
    }

    [Fact]
    public void GivenAStyleScale_WhenRun_ThenThePictureDiffersFromScaleOnesAndAScaleTooLargeIsRefusedNamingThePaintingsSize()
    {
        var single = StyleTransfer.Run(TestImages.Photo, TestImages.Painting, Small with { Iterations = 20 }).Image;
        var smaller = StyleTransfer.Run(TestImages.Photo, TestImages.Painting, Small with { Iterations = 20, StyleScale = 0.5 }).Image;

        var error = Assert.Throws<StyleTransferException>(() => StyleTransfer.Run(TestImages.Photo, TestImages.Painting, Small with { Size = 2048, StyleScale = 64 }));

        Assert.True(TestImages.MeanAbsoluteDifference(single, smaller) > 1, "the painting's scale made no difference");
        Assert.Matches(@"^--style-scale 64 reads the painting at 131072x81920, which needs about \d+\.\d GiB .* the largest that fits is about --style-scale \d+(\.\d+)? \(in tiles of 256 px\)$", CommandLineWords.Of(error));
    }

    public static TheoryData<StyleSources, StyleTransferOptions, string> Mismatches => new()
    {
        { new([TestImages.Painting, TestImages.Painting]), Small with { StyleBlend = [1] }, "--style-blend has 1 values for 2 paintings" },
        { new([TestImages.Painting]), Small with { StyleBlend = [0] }, "--style-blend must be finite numbers ≥ 0, not all 0" },
        { new([TestImages.Painting, TestImages.Painting]) { Masks = [PhotoAt64] }, Small, "--style-mask was given 1 time for 2 paintings; give one mask per painting, in their order" },
        { new([TestImages.Painting]) { Masks = [PhotoAt64], Coarse = Scream }, Small, "--coarse-style cannot be combined with --style-mask: the coarse structure would be laid over every region, masked or not" },
        { new([TestImages.Painting]), Small with { CoarseFrom = "layer3" }, "--coarse-from needs --coarse-style" },
        { new([TestImages.Painting]) { Coarse = Scream }, Small with { CoarseFrom = "conv1" }, "--coarse-from conv1: the first style layer would leave nothing to the painting; give the coarse image as the painting instead" },
        { new([TestImages.Painting]) { Coarse = Scream }, Small with { CoarseFrom = "layer9" }, "--coarse-from layer9: not one of the style layers (conv1, layer1.1, layer2.1)" },
        { new([TestImages.Painting]), Small with { StyleScale = 0 }, "--style-scale must be a number above 0 and at most 64 (got 0)" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void GivenPaintingsAndOptionsThatDoNotAgree_WhenRun_ThenOneMessageSaysHowBeforeAnyIteration(StyleSources styles, StyleTransferOptions options, string expected)
    {
        var reported = 0;

        var error = Assert.Throws<StyleTransferException>(() => StyleTransfer.Run(TestImages.Photo, styles, options, new SynchronousProgress<StepProgress>(_ => reported++)));

        Assert.Equal(expected, CommandLineWords.Of(error));
        Assert.Equal(0, reported);
    }

    [Fact]
    public void GivenARun_WhenItEnds_ThenThe16BitPictureRoundsToThe8BitOneAndKeepsWhatTheRoundingDrops()
    {
        var result = StyleTransfer.Run(TestImages.Photo, TestImages.Painting, Small);

        Assert.Equal(result.Image.Pixels, result.Image16.Pixels.Select(v => (byte)Math.Round(v / 257.0)).ToArray());
        Assert.True(result.Image16.Pixels.Count(v => v % 257 != 0) > result.Image16.Pixels.Length / 2, "the 16-bit values are 8-bit ones widened");
    }

    private static RgbImage Mask(int width, int height, Func<int, int, bool> white) =>
        new(width, height, [.. Enumerable.Range(0, width * height).SelectMany(p => Enumerable.Repeat(white(p % width, p / width) ? (byte)255 : (byte)0, 3))]);

    // Mean absolute difference over the columns from first up to (not including) end.
    private static double ColumnsDifference(RgbImage a, RgbImage b, int first, int end)
    {
        var (sum, count) = (0.0, 0);
        for (var p = 0; p < a.Width * a.Height; p++)
        {
            if (p % a.Width >= first && p % a.Width < end)
            {
                sum += Enumerable.Range(0, 3).Sum(c => Math.Abs(a.Pixels[(p * 3) + c] - b.Pixels[(p * 3) + c]));
                count += 3;
            }
        }

        return sum / count;
    }
}
