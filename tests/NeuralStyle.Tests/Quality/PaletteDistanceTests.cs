using NeuralStyle.Images;
using NeuralStyle.Quality;

namespace NeuralStyle.Tests.Quality;

public sealed class PaletteDistanceTests
{
    private static readonly RgbImage Photo = ImageFile.Resize(TestImages.Photo, 128, 96);
    private static readonly RgbImage Painting = ImageFile.Resize(TestImages.Painting, 128, 80);

    [Fact]
    public void GivenAPicture_WhenMeasuredAgainstItselfOrItsPixelsShuffled_ThenTheDistanceIsZero()
    {
        var shuffled = Photo.Pixels.Chunk(3).OrderBy(p => (p[0] * 7919) + (p[1] * 104729) + p[2]).SelectMany(p => p).ToArray();

        Assert.Equal(0, PaletteDistance.Between(Photo, Photo));
        Assert.Equal(0, PaletteDistance.Between(Photo, new RgbImage(Photo.Width, Photo.Height, shuffled)), 1e-9);
    }

    // Colours kept clear of 0 and 255, so that the shift is not clipped.
    [Theory]
    [InlineData(20, -10, 5)]
    [InlineData(-30, -30, -30)]
    [InlineData(0, 40, 0)]
    public void GivenAColourShiftedCopy_WhenMeasured_ThenTheDistanceIsAboutTheShift(int red, int green, int blue)
    {
        var middle = Photo.Pixels.Select(p => (byte)(60 + (p * 130 / 255))).ToArray();
        var shifted = middle.Select((p, i) => (byte)(p + (i % 3 == 0 ? red : i % 3 == 1 ? green : blue))).ToArray();
        var length = Math.Sqrt((red * red) + (green * green) + (blue * blue));

        var distance = PaletteDistance.Between(new RgbImage(Photo.Width, Photo.Height, middle), new RgbImage(Photo.Width, Photo.Height, shifted));

        Assert.InRange(distance, 0.85 * length, 1.15 * length);
    }

    [Fact]
    public void GivenThePhotoOrThePaintingAsTheResult_WhenTheRatioIsTaken_ThenItIsOneOrZero()
    {
        Assert.Equal(1, PaletteDistance.Ratio(Photo, Photo, Painting), 1e-9);
        Assert.Equal(0, PaletteDistance.Ratio(Painting, Photo, Painting), 1e-9);
        Assert.InRange(PaletteDistance.Between(Photo, Painting), 20, 150);
    }
}
