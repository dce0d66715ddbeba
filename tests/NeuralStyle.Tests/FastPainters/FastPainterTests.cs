using NeuralStyle.FastPainters;
using NeuralStyle.Images;

namespace NeuralStyle.Tests.FastPainters;

[Collection(TinyPainterCollection.Name)]
public sealed class FastPainterTests(TinyPainter tiny)
{
    [Theory]
    [InlineData(PainterEngine.OnnxRuntime)]
    [InlineData(PainterEngine.TorchSharp)]
    public void GivenAPhotoWhoseSidesAreNotMultiplesOfFour_WhenPainted_ThenThePictureIsThePhotosSizeAndNotThePhoto(PainterEngine engine)
    {
        using var painter = FastPainter.Load(tiny.File, engine);
        var photo = ImageFile.Resize(TestImages.Photo, 97, 73);

        var picture = painter.Paint(photo);

        Assert.Equal((97, 73), (picture.Width, picture.Height));
        Assert.True(TestImages.MeanAbsoluteDifference(picture, photo) > 10, "the painter returned the photo");
    }

    [Fact]
    public void GivenThePainterFile_WhenRunByOnnxRuntimeAndByTorchSharp_ThenTheyPaintWithinOneGreyLevel()
    {
        using var onnx = FastPainter.Load(tiny.File, PainterEngine.OnnxRuntime);
        using var torch = FastPainter.Load(tiny.File, PainterEngine.TorchSharp);
        var photo = ImageFile.Resize(TestImages.Photo, 160, 120);

        var (a, b) = (onnx.Paint(photo), torch.Paint(photo));

        Assert.True(a.Pixels.Zip(b.Pixels, (x, y) => Math.Abs(x - y)).Max() <= 1, "the engines differ by more than one grey level");
    }

    [Fact]
    public void GivenThePainterFile_WhenReadBack_ThenItsMetadataNamesThePaintingTheShapeTheLossNetworkAndTheVersion()
    {
        using var painter = FastPainter.Load(tiny.File);

        var metadata = painter.Metadata!;

        Assert.Equal(["starry_night.jpg"], metadata.Paintings);
        Assert.Equal([4, 8, 16], metadata.Shape.Widths);
        Assert.Equal(2, metadata.Shape.ResidualBlocks);
        Assert.True(metadata.Shape.AntiAliased);
        Assert.Equal("resnet18", metadata.LossNetwork);
        Assert.Equal(PainterMetadata.ToolVersion, metadata.Version);
        Assert.Contains("\"Iterations\":40", metadata.Training, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAStrengthOfHalf_WhenPainted_ThenThePictureLiesHalfwayBetweenThePhotoAndTheFullPicture()
    {
        using var painter = FastPainter.Load(tiny.File);
        var photo = ImageFile.Resize(TestImages.Photo, 64, 48);

        var full = painter.Paint(photo);
        var half = painter.Paint(photo, new FastPaintingOptions(Strength: 0.5));

        var expected = full.Pixels.Zip(photo.Pixels, (f, p) => (f + p) / 2.0);
        Assert.True(expected.Zip(half.Pixels, (e, h) => Math.Abs(e - h)).Max() <= 1);
    }

    [Fact]
    public void GivenAOneStylePainter_WhenABlendOfTwoStylesIsAsked_ThenItIsRefusedNamingTheSetting()
    {
        using var painter = FastPainter.Load(tiny.File);

        var e = Assert.Throws<StyleTransferException>(() => painter.Paint(TestImages.Photo, new FastPaintingOptions(StyleBlend: [0.5, 0.5])));

        Assert.Equal("styleBlend gives 2 shares; this painter holds 1 style", e.Message);
    }
}
