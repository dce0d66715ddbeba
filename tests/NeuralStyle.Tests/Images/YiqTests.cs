using NeuralStyle.Images;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Images;

public sealed class YiqTests
{
    private static readonly RgbImage Photo = ImageFile.Resize(TestImages.Photo, 64, 48);
    private static readonly RgbImage Painting = ImageFile.Resize(TestImages.Painting, 64, 40);

    [Fact]
    public void GivenAPicture_WhenItsLuminanceIsJoinedWithItsOwnChrominance_ThenItComesBack()
    {
        Assert.InRange(TestImages.MeanAbsoluteDifference(Yiq.Join(Photo, Photo), Photo), 0, 0.5);
    }

    [Fact]
    public void GivenTwoPictures_WhenJoined_ThenTheResultHasTheFirstsLuminanceAndTheSecondsChrominance()
    {
        using var scope = NewDisposeScope();
        var grey = Yiq.Grey(ImageFile.Resize(TestImages.Painting, 64, 48));

        var joined = Yiq.Join(grey, Photo);

        var (got, luminance, chrominance) = (Yiq.Of(joined), Yiq.Of(grey), Yiq.Of(Photo));
        Assert.InRange((got[.., 0] - luminance[.., 0]).abs().mean().ToDouble(), 0, 1.5);
        Assert.InRange((got[.., 1..] - chrominance[.., 1..]).abs().mean().ToDouble(), 0, 1.5);
    }

    [Fact]
    public void GivenAPaintingAndAPhoto_WhenTheGreyPaintingIsMatched_ThenItsLuminanceHasThePhotosMeanAndDeviationAndNoChrominance()
    {
        using var scope = NewDisposeScope();

        var matched = Yiq.Of(Yiq.GreyMatching(Painting, Photo));

        var target = Yiq.Of(Photo)[.., 0];
        Assert.Equal(target.mean().ToDouble(), matched[.., 0].mean().ToDouble(), 1.0);
        Assert.Equal(target.std().ToDouble(), matched[.., 0].std().ToDouble(), 1.0);
        Assert.InRange(matched[.., 1..].abs().max().ToDouble(), 0, 0.01);
    }
}
