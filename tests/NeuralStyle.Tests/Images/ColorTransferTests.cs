using NeuralStyle.Images;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Images;

public sealed class ColorTransferTests
{
    private static (Tensor Mean, Tensor Covariance) Moments(RgbImage image)
    {
        var pixels = ImageTensor.ToPixelRows(image);
        var mean = pixels.mean([0], keepdim: true);
        var centred = pixels - mean;
        return (mean, centred.t().mm(centred) / pixels.shape[0]);
    }

    // Pictures whose colours stay clear of 0 and 255 after the map, so that clipping does not bend the moments.
    [Fact]
    public void GivenAPhotoAndAPainting_WhenThePhotoIsRecoloured_ThenItHasThePaintingsMeanAndCovarianceAndItsOwnLayout()
    {
        using var scope = NewDisposeScope();
        var photo = ImageFile.Resize(TestImages.Photo, 128, 96);
        var painting = new RgbImage(64, 40, [.. ImageFile.Resize(TestImages.Painting, 64, 40).Pixels.Select(p => (byte)(70 + (p / 3)))]);

        var recoloured = ColorTransfer.Matching(photo, painting);

        var (mean, covariance) = Moments(recoloured);
        var (targetMean, targetCovariance) = Moments(painting);
        Assert.InRange((mean - targetMean).abs().max().ToDouble(), 0, 0.5);
        Assert.InRange(Tolerance.RelativeError(covariance, targetCovariance), 0, 0.02);
        Assert.Equal((128, 96), (recoloured.Width, recoloured.Height));
        var brightness = (Tensor t) => t.reshape(-1, 3).to(float64).sum(1);
        var correlation = corrcoef(stack([brightness(tensor(photo.Pixels)), brightness(tensor(recoloured.Pixels))]))[0, 1].ToDouble();
        Assert.True(correlation > 0.8, $"the recoloured photo's brightness follows the photo's: correlation {correlation}");
    }

    [Fact]
    public void GivenAClipsFirstFrame_WhenItsMapRecoloursAnotherFrame_ThenTheFirstIsRecolouredAsMatchingDoesAndTheOtherByTheSameMapNotItsOwn()
    {
        var first = ImageFile.Resize(TestImages.Photo, 64, 48);
        // The frame with its left half black: other statistics, the same colours on the right.
        var other = new RgbImage(64, 48, [.. first.Pixels.Select((p, i) => i / 3 % 64 < 32 ? (byte)0 : p)]);
        var targets = new[] { (TestImages.Painting, 1.0) };

        var map = ColorTransfer.MapOf(first, targets);

        Assert.Equal(ColorTransfer.Matching(first, targets).Pixels, map(first).Pixels);
        var (mappedFirst, mappedOther) = (map(first).Pixels, map(other).Pixels);
        Assert.All(Enumerable.Range(0, mappedFirst.Length).Where(i => i / 3 % 64 >= 32), i => Assert.Equal(mappedFirst[i], mappedOther[i]));
        Assert.NotEqual(ColorTransfer.Matching(other, targets).Pixels, map(other).Pixels);
    }

    [Fact]
    public void GivenAPictureAndItself_WhenRecoloured_ThenItIsUnchanged()
    {
        var photo = ImageFile.Resize(TestImages.Photo, 64, 48);

        var recoloured = ColorTransfer.Matching(photo, photo);

        Assert.InRange(TestImages.MeanAbsoluteDifference(recoloured, photo), 0, 0.1);
    }
}
