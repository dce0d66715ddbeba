using NeuralStyle.Cli;
using NeuralStyle.Images;
using NeuralStyle.Networks;

namespace NeuralStyle.Tests;

public sealed class PainterTests
{
    private static readonly StyleTransferOptions TwoScales = new() { Network = NetworkKind.ResNet18, Size = 128, Scales = 2, Iterations = 1, Seed = 1, Precision = Precision.Float32 };

    private static readonly RgbImage[] Photos = [TestImages.Photo, ImageFile.Load(SharedData.Image("golden_gate.jpg"), 128), ImageFile.Load(SharedData.Sample("chelsea.png"), 128)];

    // Once at 64 px and twice at 128, as given and reduced (at 64 the reduced copy is under 16 px).
    [Fact]
    public void GivenAPainter_WhenItPaintsThreePhotosAtTwoScales_ThenItsNetworkIsLoadedOnceAndThePaintingReadOncePerSize()
    {
        using var painter = new Painter(StyleSources.Of(TestImages.Painting), TwoScales);
        var network = painter.FeatureNetwork;

        var results = Photos.Select(photo => painter.Paint(photo)).ToList();

        Assert.Same(network, painter.FeatureNetwork);
        Assert.Equal(3, painter.PaintingReads);
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

    [Fact]
    public void GivenALoadedNetwork_WhenTwoPaintersWithDifferentPaintingsBorrowItInTurn_ThenEachPaintsWithItAndItOutlivesThem()
    {
        using var network = LoadedNetwork.Load(TwoScales);
        var golden = ImageFile.Load(SharedData.Image("golden_gate.jpg"), 128);

        RgbImage PaintWith(RgbImage painting)
        {
            using var painter = new Painter(StyleSources.Of(painting), TwoScales, network);
            Assert.Same(network.Network, painter.FeatureNetwork);
            return painter.Paint(Photos[0]).Image;
        }

        var first = PaintWith(TestImages.Painting);
        var second = PaintWith(golden);

        Assert.Equal(StyleTransfer.Run(Photos[0], TestImages.Painting, TwoScales).Image.Pixels, first.Pixels);
        Assert.Equal(StyleTransfer.Run(Photos[0], golden, TwoScales).Image.Pixels, second.Pixels);
    }

    [Fact]
    public void GivenALoadedResNet_WhenAPainterAsksForVgg19_ThenItIsRefusedWithTheNetworkItHas()
    {
        using var network = LoadedNetwork.Load(TwoScales);

        var refusal = Assert.Throws<StyleTransferException>(() => new Painter(StyleSources.Of(TestImages.Painting), TwoScales with { Network = NetworkKind.Vgg19, WeightsPath = SharedData.TestWeights }, network));

        Assert.Contains("another network than the resnet18 loaded", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenASizeThatCannotFit_WhenItIsChecked_ThenItIsRefusedWithTheMessageThatPaintingGives()
    {
        using var fitting = new Painter(StyleSources.Of(TestImages.Painting), TwoScales);
        fitting.CheckFits(TestImages.Photo.Width, TestImages.Photo.Height);
        using var painter = new Painter(StyleSources.Of(TestImages.Painting), TwoScales with { Size = 100_000 });

        var checkedRefusal = Assert.Throws<StyleTransferException>(() => painter.CheckFits(TestImages.Photo.Width, TestImages.Photo.Height));
        var paintingRefusal = Assert.Throws<StyleTransferException>(() => painter.Paint(TestImages.Photo));

        // The same line, but for the memory available, which is read again for each.
        Assert.Equal(paintingRefusal.Message.Split(" but ")[0], checkedRefusal.Message.Split(" but ")[0]);
        Assert.Contains("--size 100000", CommandLineWords.Of(checkedRefusal), StringComparison.Ordinal);
    }

    // 3000 px needs about 1.3 GiB in tiles: free here, beyond a limit of 1 GiB.
    [Fact]
    public void GivenAMemoryLimit_WhenASizeThatFitsTheMachineButNotTheLimitIsChecked_ThenItIsRefusedWithTheLimitAsWhatIsAvailable()
    {
        using var unlimited = new Painter(StyleSources.Of(TestImages.Painting), TwoScales with { Size = 3000 });
        unlimited.CheckFits(TestImages.Photo.Width, TestImages.Photo.Height);
        using var limited = new Painter(StyleSources.Of(TestImages.Painting), TwoScales with { Size = 3000, MaxMemory = 1L << 30 });

        var refusal = Assert.Throws<StyleTransferException>(() => limited.CheckFits(TestImages.Photo.Width, TestImages.Photo.Height));

        Assert.Contains("but 0.8 GiB is available", refusal.Message, StringComparison.Ordinal);
    }
}
