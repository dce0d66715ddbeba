using NeuralStyle.FastPainters;
using NeuralStyle.Images;
using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.FastPainters;

public sealed class KnownMotionTests
{
    private static Tensor Crops() => ImageTensor.ToTensor(ImageFile.Resize(TestImages.Photo, 64, 64), float32, CPU).repeat(3, 1, 1, 1);

    [Fact]
    public void GivenAMotion_WhenItsInsideIsRead_ThenTheCentreIsInsideAndSomeBorderIsNot()
    {
        using var motion = KnownMotion.Draw(new Random(3), 3, 64, 64);

        var inside = motion.Inside.data<float>().ToArray();

        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(1f, inside[(i * 64 * 64) + (32 * 64) + 32]));
        Assert.All(Enumerable.Range(0, 3), i => Assert.Contains(0f, inside.Skip(i * 64 * 64).Take(64 * 64)));
    }

    [Fact]
    public void GivenAPainterThatMovesWithThePicture_WhenItsTemporalLossIsTaken_ThenItIsAFractionOfOneThatPaintsAFixedPattern()
    {
        using var scope = NewDisposeScope();
        using var motion = KnownMotion.Draw(new Random(5), 3, 64, 64);
        var crops = Crops();
        // A blur follows the picture wherever it moves; stripes tied to the frame stay where they are.
        Tensor Blur(Tensor x) => nn.functional.avg_pool2d(nn.functional.pad(x, [1, 1, 1, 1], PaddingModes.Replicate), 3, stride: 1);
        var stripes = ScalarArithmetic.Range(0, 64, 1, float32).remainder(4).Above(1).to(float32).Times(80).reshape(1, 1, 1, 64);
        Tensor Striped(Tensor x) => x.Plus(stripes);

        var steady = motion.Loss(Blur(motion.Second(crops)), motion.Carried(Blur(motion.First(crops)))).item<float>();
        var flickering = motion.Loss(Striped(motion.Second(crops)), motion.Carried(Striped(motion.First(crops)))).item<float>();

        Assert.True(steady < 0.05 * flickering, $"blur {steady}, stripes {flickering}");
    }

    [Fact]
    public void GivenFeaturesThatMoveWithThePicture_WhenTheirTemporalLossIsTaken_ThenItIsAFractionOfFeaturesTiedToTheFrame()
    {
        using var scope = NewDisposeScope();
        using var motion = KnownMotion.Draw(new Random(5), 3, 64, 64);
        var crops = Crops();
        // Features at quarter resolution: the picture's blurred cells follow it, a fixed grid of cells does not.
        Tensor Cells(Tensor x) => nn.functional.avg_pool2d(nn.functional.avg_pool2d(nn.functional.pad(x, [2, 2, 2, 2], PaddingModes.Replicate), 5, stride: 1), 4);
        var fixedCells = ScalarArithmetic.Range(0, 16, 1, float32).remainder(2).to(float32).Times(80).reshape(1, 1, 1, 16);

        var steady = motion.FeatureLoss(Cells(motion.Second(crops)), Cells(motion.First(crops))).item<float>();
        var tied = motion.FeatureLoss(Cells(motion.Second(crops)).Plus(fixedCells), Cells(motion.First(crops)).Plus(fixedCells)).item<float>();

        Assert.True(steady < 0.1 * tied, $"moving cells {steady}, fixed cells {tied}");
    }

    [Fact]
    public void GivenTheTwoFrames_WhenAPainterThatChangesNothingIsCarriedFromTheFirstToTheSecond_ThenItMatchesWhereverTheSecondShowsWhatTheFirstDid()
    {
        using var scope = NewDisposeScope();
        using var motion = KnownMotion.Draw(new Random(7), 3, 64, 64);
        var photo = ImageTensor.ToTensor(ImageFile.Resize(TestImages.Photo, 64, 64), float32, CPU);
        var crops = cat([photo, ImageTensor.ToTensor(ImageFile.Resize(TestImages.Painting, 64, 64), float32, CPU), photo.flip(3)], 0);

        var (first, second) = (motion.First(crops), motion.Second(crops));
        var matched = motion.Loss(second, motion.Carried(first)).item<float>();
        // Carried without its objects: the background moved over where the objects went.
        var objectsIgnored = motion.Loss(second, motion.Move(first)).item<float>();

        // Where they agree, the frames differ by the second's noise alone: at most 3 grey levels in each channel.
        Assert.True(matched < 3 * Math.Pow(3.0 / 255, 2), $"the unchanged frames differ by {matched} where they should agree");
        Assert.True(objectsIgnored > 10 * matched, $"ignoring the objects costs {objectsIgnored}, following them {matched}");
        Assert.True(first.sub(crops).abs().sum().item<float>() > 0, "the first frames hold their objects");
    }

    [Fact]
    public void GivenAnObjectThatMoves_WhenTheSecondFrameUncoversWhatItHid_ThenThatIsOutsideAndTheObjectInside()
    {
        using var motion = KnownMotion.Draw(new Random(11), 8, 64, 64);

        // Well inside the crop, where the background's motion reaches from within it: positions left out there are uncovered ones.
        var inside = motion.Inside[.., .., 12..52, 12..52];
        var leftOut = inside.eq(0).sum(new long[] { 1, 2, 3 }).data<long>().ToArray();

        Assert.True(leftOut.Count(n => n > 0) >= 6, $"uncovered positions left out per crop: {string.Join(", ", leftOut)}");
        Assert.All(leftOut, n => Assert.True(n < 40 * 40 / 4, $"{n} of 1600 positions left out"));
    }

    [Fact]
    public void GivenTheSecondFrames_WhenSetBesideTheFirstCarriedToThem_ThenEachDiffersByItsOwnNoiseOfAFewGreyLevels()
    {
        using var scope = NewDisposeScope();
        using var motion = KnownMotion.Draw(new Random(13), 8, 64, 64);
        var crops = Crops().repeat(3, 1, 1, 1)[..8];

        var difference = motion.Second(crops).sub(motion.Carried(motion.First(crops))).mul(motion.Inside.eq(1));
        var deviations = difference.Squared().sum([1, 2, 3]).div(motion.Inside.eq(1).sum([1, 2, 3]).Times(3)).sqrt().data<float>().ToArray();

        Assert.All(deviations, d => Assert.InRange(d, 0, 3.2));
        Assert.True(deviations.Max() - deviations.Min() > 0.5, $"each crop's own noise: {string.Join(", ", deviations)}");
    }
}
