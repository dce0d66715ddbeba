using NeuralStyle.Images;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Images;

public sealed class ImageFileTests
{
    [Fact]
    public void GivenAPhoto_WhenLoaded_ThenItHasItsSizeAndRealColours()
    {
        var image = TestImages.Photo;

        Assert.True(image.Width > image.Height);
        Assert.Contains(image.Pixels, p => p > 200);
        Assert.Contains(image.Pixels, p => p < 50);
    }

    [Fact]
    public void GivenAnImage_WhenSavedAsPngAndLoaded_ThenEveryPixelIsUnchangedAndNoTemporaryFileRemains()
    {
        using var folder = new TempFolder();
        var image = CraftedImages.Gradient(40, 30);

        ImageFile.SaveAtomically(image, folder.File("a.png"));
        var loaded = ImageFile.Load(folder.File("a.png"));

        Assert.Equal(image.Pixels, loaded.Pixels);
        Assert.Equal(["a.png"], folder.Files());
    }

    // A print-size picture has no transparency to keep: an alpha channel would add a third to its file.
    [Fact]
    public void GivenAnImage_WhenSavedAsPng_ThenTheFileHoldsThreeChannelsWithoutAlpha()
    {
        using var folder = new TempFolder();

        ImageFile.SaveAtomically(CraftedImages.Gradient(40, 30), folder.File("a.png"));

        // The header chunk follows the 8-byte signature, its length and its type; byte 9 of its data is the colour type.
        var header = File.ReadAllBytes(folder.File("a.png")).AsSpan(16, 13);
        Assert.Equal(8, header[8]);
        Assert.Equal(2, header[9]);
    }

    [Fact]
    public void GivenAnImage_WhenSavedAsJpeg_ThenItDecodesCloseToTheOriginal()
    {
        using var folder = new TempFolder();
        var image = CraftedImages.Gradient(64, 48);

        ImageFile.SaveAtomically(image, folder.File("a.jpeg"));
        var loaded = ImageFile.Load(folder.File("a.jpeg"));

        var meanError = image.Pixels.Zip(loaded.Pixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.InRange(meanError, 0, 3);
    }

    [Fact]
    public void GivenAnUnsupportedExtension_WhenSaved_ThenNothingIsWritten()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<StyleTransferException>(() => ImageFile.SaveAtomically(CraftedImages.Gradient(4, 4), folder.File("a.gif")));

        Assert.Contains(".png, .jpg or .jpeg", error.Message, StringComparison.Ordinal);
        Assert.Empty(folder.Files());
    }

    [Fact]
    public void GivenAnExistingFile_WhenOverwritten_ThenItHoldsTheNewImage()
    {
        using var folder = new TempFolder();
        ImageFile.SaveAtomically(CraftedImages.Gradient(4, 4), folder.File("a.png"));

        ImageFile.SaveAtomically(CraftedImages.Gradient(8, 6), folder.File("a.png"));

        Assert.Equal(8, ImageFile.Load(folder.File("a.png")).Width);
    }

    [Fact]
    public void GivenFilesThatAreNotImages_WhenLoaded_ThenTheErrorNamesEachAndSaysWhatIsWrong()
    {
        using var folder = new TempFolder();
        var bytes = File.ReadAllBytes(TestImages.PhotoPath);
        File.WriteAllBytes(folder.File("broken.jpg"), [.. bytes.Take(20), .. new byte[200]]);
        File.WriteAllText(folder.File("text.png"), "not an image");

        Assert.Equal(
            folder.File("broken.jpg") + ": not an image that can be decoded (corrupt, or not PNG/JPEG/WebP/GIF/BMP)",
            Assert.Throws<StyleTransferException>(() => ImageFile.Load(folder.File("broken.jpg"))).Message);
        Assert.Equal(
            folder.File("text.png") + ": not an image that can be decoded (corrupt, or not PNG/JPEG/WebP/GIF/BMP)",
            Assert.Throws<StyleTransferException>(() => ImageFile.Load(folder.File("text.png"))).Message);
        Assert.Equal(
            folder.File("none.png") + ": no such image file",
            Assert.Throws<StyleTransferException>(() => ImageFile.Load(folder.File("none.png"))).Message);
    }

    [Fact]
    public void GivenATruncatedJpeg_WhenLoaded_ThenItIsRejectedAsTruncatedRatherThanHalfGrey()
    {
        using var folder = new TempFolder();
        var cut = folder.TruncatedCopy(TestImages.PhotoPath, "cut.jpg");

        var error = Assert.Throws<StyleTransferException>(() => ImageFile.Load(cut));

        Assert.Equal(cut + ": the image is truncated", error.Message);
    }

    [Fact]
    public void GivenAHeaderPromising30000By30000Pixels_WhenLoaded_ThenItIsRefusedByItsSizeBeforeAnythingIsAllocated()
    {
        using var folder = new TempFolder();
        var huge = folder.File("huge.png");
        CraftedImages.PngPromising(huge, 30_000, 30_000);

        var error = Assert.Throws<StyleTransferException>(() => ImageFile.Load(huge, 512));

        Assert.Equal(huge + ": 30000×30000 pixels (900 megapixels) is more than the 250 megapixels this tool decodes; reduce the picture first", error.Message);
    }

    // JPEG decodes at k/8 of its size (at 300 px: an eighth, 500 px; at 2001 px: five eighths); PNG
    // decodes whole and is halved while it stays at least twice the size asked for.
    [Theory]
    [InlineData("big.jpg", 2500, 1875)]
    [InlineData("big.png", 4000, 3000)]
    public void GivenAPictureLargerThanNeeded_WhenLoaded_ThenItIsDecodedReducedButNotBelowTheSizeAskedFor(string name, int widthFor2001, int heightFor2001)
    {
        using var folder = new TempFolder();
        var path = folder.File(name);
        var picture = CraftedImages.Gradient(4000, 3000);
        ImageFile.SaveAtomically(picture, path);

        var reduced = ImageFile.Load(path, 300);
        var slightly = ImageFile.Load(path, 2001);
        var whole = ImageFile.Load(path);

        Assert.Equal((500, 375), (reduced.Width, reduced.Height));
        Assert.InRange(TestImages.MeanAbsoluteDifference(ImageFile.Resize(reduced, 200, 150), ImageFile.Resize(picture, 200, 150)), 0, 2);
        Assert.Equal((widthFor2001, heightFor2001), (slightly.Width, slightly.Height));
        Assert.Equal((4000, 3000), (whole.Width, whole.Height));
    }

    [Fact]
    public void GivenAJpegWhoseExifSaysAQuarterTurnClockwise_WhenLoaded_ThenItIsTurnedUpright()
    {
        using var folder = new TempFolder();
        var path = folder.File("turned.jpg");
        // Left half red, right half blue: turned a quarter clockwise, the left edge becomes the top.
        var pixels = new byte[40 * 20 * 3];
        for (var i = 0; i < 40 * 20; i++)
        {
            (pixels[i * 3], pixels[(i * 3) + 2]) = i % 40 < 20 ? ((byte)255, (byte)0) : ((byte)0, (byte)255);
        }

        CraftedImages.JpegWithOrientation(path, new RgbImage(40, 20, pixels), orientation: 6);

        var image = ImageFile.Load(path);

        Assert.Equal((20, 40), (image.Width, image.Height));
        var top = image.Pixels.AsSpan(((5 * 20) + 10) * 3, 3).ToArray();
        var bottom = image.Pixels.AsSpan(((35 * 20) + 10) * 3, 3).ToArray();
        Assert.True(top[0] > 200 && top[2] < 50, $"top {string.Join(',', top)}");
        Assert.True(bottom[0] < 50 && bottom[2] > 200, $"bottom {string.Join(',', bottom)}");
    }

    [Fact]
    public void GivenAPngWithTransparency_WhenLoaded_ThenItIsCompositedOverWhite()
    {
        using var folder = new TempFolder();
        var path = folder.File("alpha.png");
        CraftedImages.PngWithAlpha(path, 3, 1, [(0, 0, 0, 0), (0, 0, 255, 128), (10, 20, 30, 255)]);

        var image = ImageFile.Load(path);

        // Blue at alpha 128/255 over white: red and green 255 · 127/255, blue 255.
        Assert.Equal(new byte[] { 255, 255, 255, 127, 127, 255, 10, 20, 30 }, image.Pixels);
    }

    [Fact]
    public void GivenATargetThatIsAFolder_WhenSaved_ThenItFailsWithOneLineAndLeavesNoTemporaryFile()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("taken.png"));

        var error = Assert.Throws<StyleTransferException>(() => ImageFile.SaveAtomically(CraftedImages.Gradient(4, 4), folder.File("taken.png")));

        Assert.StartsWith(folder.File("taken.png") + ": cannot write the image (", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Empty(folder.Files());
    }

    [Theory]
    [InlineData("out.gif", "{0}: output must end in .png, .jpg or .jpeg")]
    [InlineData("missing/out.png", "{0}: folder {1}/missing does not exist")]
    [InlineData("taken.png", "{0}: is a folder, not a file name")]
    public void GivenAnOutputThatCannotBeWritten_WhenChecked_ThenTheMessageSaysWhy(string name, string expected)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("taken.png"));
        var path = folder.File(name);

        var error = Assert.Throws<StyleTransferException>(() => ImageFile.RequireWritable(path));

        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, path, folder.Path), error.Message);
        Assert.Equal(["taken.png"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void GivenALargeImage_WhenResized_ThenItHasTheAskedSizeAndKeepsItsMeanColour()
    {
        var image = CraftedImages.Gradient(400, 300);

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
        var image = CraftedImages.Gradient(5, 3);

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
