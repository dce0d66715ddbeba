using NeuralStyle.Images;
using NeuralStyle.Networks;

namespace NeuralStyle.Tests;

public sealed class PainterTests
{
    private static readonly StyleTransferOptions TwoScales = new() { Network = NetworkKind.ResNet18, Size = 128, Scales = 2, Iterations = 1, Seed = 1, Precision = Precision.Float32 };

    private static readonly RgbImage[] Photos = [TestImages.Photo, ImageFile.Load(SharedData.Image("golden_gate.jpg"), 128), ImageFile.Load(Path.Combine(SharedData.RepositoryRoot, "samples", "chelsea.png"), 128)];

    [Fact]
    public void GivenAPainter_WhenItPaintsThreePhotosAtTwoScales_ThenItsNetworkIsLoadedOnceAndThePaintingReadOncePerSize()
    {
        using var painter = new Painter(StyleSources.Of(TestImages.Painting), TwoScales);
        var network = painter.LoadedNetwork;

        var results = Photos.Select(photo => painter.Paint(photo)).ToList();

        Assert.Same(network, painter.LoadedNetwork);
        Assert.Equal(2, painter.PaintingReads);
        Assert.All(results, r => Assert.Equal(128, Math.Max(r.Image.Width, r.Image.Height)));
    }

    [Fact]
    public void GivenAPainterThatKeptItsReadings_WhenItPaintsAPhotoAgain_ThenThePictureIsTheOneAJobOfItsOwnPaints()
    {
        using var painter = new Painter(StyleSources.Of(TestImages.Painting), TwoScales);
        painter.Paint(Photos[1]);

        var kept = painter.Paint(Photos[0]).Image;
        var alone = StyleTransfer.Run(Photos[0], TestImages.Painting, TwoScales).Image;

        Assert.Equal(alone.Pixels, kept.Pixels);
    }

    [Fact]
    public void GivenColoursKeptByChangingThePaintings_WhenTwoPhotosArePainted_ThenThePaintingIsReadForEachPhoto()
    {
        using var painter = new Painter(StyleSources.Of(TestImages.Painting), TwoScales with { PreserveColors = ColorPreservation.Histogram });

        painter.Paint(Photos[0]);
        painter.Paint(Photos[1]);

        Assert.Equal(0, painter.PaintingReads);
    }
}
