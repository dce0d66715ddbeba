using NeuralStyle.Images;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Images;

public sealed class ImageFileTests
{
    private static RgbImage Gradient(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (var i = 0; i < width * height; i++)
        {
            pixels[i * 3] = (byte)(i % width * 255 / width);
            pixels[(i * 3) + 1] = (byte)(i / width * 255 / height);
            pixels[(i * 3) + 2] = 77;
        }

        return new RgbImage(width, height, pixels);
    }

    [Fact]
    public void GivenAPhoto_WhenLoaded_ThenItHasItsSizeAndRealColours()
    {
        var image = ImageFile.Load(SharedData.Image("tubingen.jpg"));

        Assert.True(image.Width > image.Height);
        Assert.Contains(image.Pixels, p => p > 200);
        Assert.Contains(image.Pixels, p => p < 50);
    }

    [Fact]
    public void GivenAnImage_WhenSavedAsPngAndLoaded_ThenEveryPixelIsUnchangedAndNoTemporaryFileRemains()
    {
        using var folder = new TempFolder();
        var image = Gradient(40, 30);

        ImageFile.SaveAtomically(image, folder.File("a.png"));
        var loaded = ImageFile.Load(folder.File("a.png"));

        Assert.Equal(image.Pixels, loaded.Pixels);
        Assert.Equal(["a.png"], folder.Files());
    }

    [Fact]
    public void GivenAnImage_WhenSavedAsJpeg_ThenItDecodesCloseToTheOriginal()
    {
        using var folder = new TempFolder();
        var image = Gradient(64, 48);

        ImageFile.SaveAtomically(image, folder.File("a.jpeg"));
        var loaded = ImageFile.Load(folder.File("a.jpeg"));

        var meanError = image.Pixels.Zip(loaded.Pixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.InRange(meanError, 0, 3);
    }

    [Fact]
    public void GivenAnUnsupportedExtension_WhenSaved_ThenNothingIsWritten()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<StyleTransferException>(() => ImageFile.SaveAtomically(Gradient(4, 4), folder.File("a.gif")));

        Assert.Contains(".png, .jpg or .jpeg", error.Message, StringComparison.Ordinal);
        Assert.Empty(folder.Files());
    }

    [Fact]
    public void GivenAnExistingFile_WhenOverwritten_ThenItHoldsTheNewImage()
    {
        using var folder = new TempFolder();
        ImageFile.SaveAtomically(Gradient(4, 4), folder.File("a.png"));

        ImageFile.SaveAtomically(Gradient(8, 6), folder.File("a.png"));

        Assert.Equal(8, ImageFile.Load(folder.File("a.png")).Width);
    }

    [Fact]
    public void GivenACorruptFile_WhenLoaded_ThenTheErrorNamesIt()
    {
        using var folder = new TempFolder();
        var bytes = File.ReadAllBytes(SharedData.Image("tubingen.jpg"));
        File.WriteAllBytes(folder.File("broken.jpg"), [.. bytes.Take(20), .. new byte[200]]);
        File.WriteAllText(folder.File("text.png"), "not an image");

        Assert.StartsWith(folder.File("broken.jpg"), Assert.Throws<StyleTransferException>(() => ImageFile.Load(folder.File("broken.jpg"))).Message, StringComparison.Ordinal);
        Assert.StartsWith(folder.File("text.png"), Assert.Throws<StyleTransferException>(() => ImageFile.Load(folder.File("text.png"))).Message, StringComparison.Ordinal);
        Assert.Contains("no such image file", Assert.Throws<StyleTransferException>(() => ImageFile.Load(folder.File("none.png"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenATruncatedJpeg_WhenLoaded_ThenItIsRejectedAsTruncatedRatherThanHalfGrey()
    {
        using var folder = new TempFolder();
        var bytes = File.ReadAllBytes(SharedData.Image("tubingen.jpg"));
        File.WriteAllBytes(folder.File("cut.jpg"), bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<StyleTransferException>(() => ImageFile.Load(folder.File("cut.jpg")));

        Assert.Equal(folder.File("cut.jpg") + ": the image is truncated", error.Message);
    }

    [Fact]
    public void GivenALargeImage_WhenResized_ThenItHasTheAskedSizeAndKeepsItsMeanColour()
    {
        var image = Gradient(400, 300);

        var small = ImageFile.Resize(image, 64, 48);

        Assert.Equal((64, 48), (small.Width, small.Height));
        Assert.Equal(Mean(image, 2), Mean(small, 2), 1.0);
        Assert.Equal(Mean(image, 0), Mean(small, 0), 4.0);
    }

    private static double Mean(RgbImage image, int channel) => image.Pixels.Where((_, i) => i % 3 == channel).Average(p => (double)p);

    [Theory]
    [InlineData(400, 300, 256, 256, 192)]
    [InlineData(300, 400, 256, 192, 256)]
    [InlineData(1000, 3, 64, 64, 1)]
    public void GivenAnAspectRatio_WhenScaledToALongestSide_ThenTheRatioIsKept(int w, int h, int side, int expectedW, int expectedH) =>
        Assert.Equal((expectedW, expectedH), new RgbImage(w, h, new byte[w * h * 3]).SizeWithLongestSide(side));

    [Fact]
    public void GivenAnImage_WhenTurnedIntoATensorAndBack_ThenChannelsArePlanarRgbAndPixelsSurvive()
    {
        using var scope = NewDisposeScope();
        var image = Gradient(5, 3);

        var t = ImageTensor.ToTensor(image, float32, CPU);
        var back = ImageTensor.ToImage(t);

        Assert.Equal([1L, 3, 3, 5], t.shape);
        Assert.Equal(77f, t[0, 2, 1, 1].item<float>());
        Assert.Equal(image.Pixels, back.Pixels);
    }

    [Fact]
    public void GivenOutOfRangeValues_WhenTurnedIntoAnImage_ThenTheyAreClampedAndRounded()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { -20, 300, 127.6f }).reshape(1, 3, 1, 1);

        Assert.Equal(new byte[] { 0, 255, 128 }, ImageTensor.ToImage(t).Pixels);
    }
}
