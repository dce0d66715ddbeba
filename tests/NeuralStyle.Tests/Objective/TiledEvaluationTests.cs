using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;
using NeuralStyle.Objective;
using NeuralStyle.Planning;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Objective;

// The objective evaluated tile by tile against the whole picture at once, where both fit.
public sealed class TiledEvaluationTests
{
    public static TheoryData<string, string, double> Cases => new()
    {
        { "vgg19", "float32", 1e-4 },
        { "vgg19", "float64", 1e-9 },
        { "resnet18", "float32", 1e-4 },
        { "resnet18", "float64", 1e-9 },
    };

    // Masks and the softmax are the objective's, whatever the network: each is held to every default
    // layer in float32 on the built-in network (the margins of both networks' deepest layers are the
    // first test's; VGG-19's float32 cases of these two took 80 test-seconds), and exact on the first
    // three stages of both.
    public static TheoryData<string, string, double> ObjectiveCases => new()
    {
        { "resnet18", "float32", 1e-4 },
        { "vgg19", "float64", 1e-9 },
        { "resnet18", "float64", 1e-9 },
    };

    // Sizes that no tile divides evenly and that are larger than a tile with its margins, so that
    // tiles read only part of the picture (and of the painting, whose Gram matrices are added up over
    // tiles too); a shift as jitter makes it.
    [Theory]
    [MemberData(nameof(Cases))]
    public void GivenAPictureLargerThanATileWithItsMargins_WhenEvaluatedTiledAndWhole_ThenEveryTermAndThePixelGradientAgree(string networkName, string type, double tolerance) =>
        AssertTiledEqualsWhole(networkName, type, tolerance, (painting, _, _) => [new StyleImage(painting)]);

    // Two paintings with masks that overlap and fade across the picture (their weighted Gram matrices
    // are added up over tiles, and their masks read at each tile's part), and an unmasked third at
    // half weight; the mask brought to the layers' resolution cuts through tiles at every layer.
    [Theory]
    [MemberData(nameof(ObjectiveCases))]
    public void GivenMaskedPaintings_WhenEvaluatedTiledAndWhole_ThenEveryTermAndThePixelGradientAgree(string networkName, string type, double tolerance) =>
        AssertTiledEqualsWhole(networkName, type, tolerance, (painting, height, width) =>
        {
            var ramp = linspace(0, 1, width, dtype: painting.dtype).reshape(1, 1, 1, width).expand(1, 1, height, width);
            var left = (1 - ramp).clamp(0, 0.8);
            var right = (ramp * 1.5).clamp(0, 1);
            return [new StyleImage(painting, 2, left), new StyleImage(painting.flip(3), 1, right), new StyleImage(painting.flip(2), 0.5)];
        });

    // The softmax over each channel's positions runs over the whole picture: its normaliser is added up
    // over the tiles in pass 1, and its gradient's mean term comes from the whole picture's sums.
    [Theory]
    [MemberData(nameof(ObjectiveCases))]
    public void GivenSoftmaxSmoothingAndMasks_WhenEvaluatedTiledAndWhole_ThenEveryTermAndThePixelGradientAgree(string networkName, string type, double tolerance) =>
        AssertTiledEqualsWhole(networkName, type, tolerance, (painting, height, width) =>
        {
            var ramp = linspace(0, 1, width, dtype: painting.dtype).reshape(1, 1, 1, width).expand(1, 1, height, width);
            return [new StyleImage(painting, 1, 1 - ramp), new StyleImage(painting.flip(3), 1, ramp)];
        }, smoothing: true);

    // Sorting needs the whole picture's projections: the tiles' inner responses are put together in
    // pass 1, and each tile is handed its part of the gradient in pass 2; smoothed, the softmax's mean
    // term comes from the whole picture's responses and gradient. Two paintings blend their quantiles.
    // The loss is the objective's, whatever the network: one network each, smoothed and not.
    [Theory]
    [InlineData("resnet18", false)]
    [InlineData("vgg19", true)]
    public void GivenTheSlicedWassersteinStyleLoss_WhenEvaluatedTiledAndWhole_ThenEveryTermAndThePixelGradientAgree(string networkName, bool smoothing) =>
        AssertTiledEqualsWhole(networkName, "float64", 1e-9, (painting, _, _) => [new StyleImage(painting, 2), new StyleImage(painting.flip(3), 1)], smoothing, styleLoss: StyleLoss.SlicedWasserstein);

    // The reduced copy is evaluated whole in both, reduced enough to fit a tile (4 or 8 times here).
    [Theory]
    [InlineData("vgg19", "float64", 1e-9)]
    [InlineData("resnet18", "float64", 1e-9)]
    public void GivenAReducedStyle_WhenEvaluatedTiledAndWhole_ThenEveryTermAndThePixelGradientAgree(string networkName, string type, double tolerance) =>
        AssertTiledEqualsWhole(networkName, type, tolerance, (painting, _, _) => [new StyleImage(painting)], reduced: true);

    private static void AssertTiledEqualsWhole(string networkName, string type, double tolerance, Func<Tensor, int, int, IReadOnlyList<StyleImage>> paintings, bool smoothing = false, bool reduced = false, StyleLoss styleLoss = StyleLoss.Gram)
    {
        using var scope = NewDisposeScope();
        var dtype = type == "float64" ? float64 : float32;
        var vgg = networkName == "vgg19";
        using var network = vgg ? (IFeatureNetwork)new Vgg(VggWeights.Load(SharedData.TestWeights), Pooling.Max) : BuiltInResNet18.Load();
        ((nn.Module)network).to(dtype);
        // float32 runs every default layer, the deepest margins included, to float32's rounding. float64
        // holds the sums exact (1e-9) on the layers to the third stage, with margins a third as wide,
        // at a quarter of the pixels: at full depth its six cases took 5.5 of the suite's 15 CPU-minutes,
        // and the margins of the deepest layers have a test of their own (below).
        var deep = dtype == float32;
        var (width, height, tile) = (vgg, deep) switch
        {
            (true, true) => (340, 250, 128),
            (true, false) => (200, 150, 48),
            (false, true) => (740, 500, 320),
            (false, false) => (370, 250, 96),
        };
        var settings = (vgg, deep) switch
        {
            (true, true) => new ObjectiveSettings(["conv4_2"], [("conv1_1", 0.2), ("conv2_1", 0.2), ("conv3_1", 0.2), ("conv4_1", 0.2), ("conv5_1", 0.2)], 1, 1e3, 1e-3),
            (true, false) => new ObjectiveSettings(["conv3_2"], [("conv1_1", 0.3), ("conv2_1", 0.3), ("conv3_1", 0.3)], 1, 1e3, 1e-3),
            (false, true) => new ObjectiveSettings(["layer2.1"], [("conv1", 0.2), ("layer1.1", 0.2), ("layer2.1", 0.2), ("layer3.1", 0.2), ("layer4.2", 0.2)], 1, 100, 1e-3, MeanContentLoss: true, PaletteWeight: 0.5),
            (false, false) => new ObjectiveSettings(["layer2.1"], [("conv1", 0.3), ("layer1.1", 0.3), ("layer2.1", 0.3)], 1, 100, 1e-3, MeanContentLoss: true, PaletteWeight: 0.5),
        };
        var photo = TestImages.Tensor(TestImages.Photo, width, height).to(dtype);
        var painting = TestImages.Tensor(TestImages.Painting, deep ? 420 : 210, deep ? 262 : 131).to(dtype);
        var picture = ((rand([1, 3, height, width], generator: new Generator(3)) * 255).to(dtype) * 0.5) + (photo * 0.5);
        var factor = 4;
        while (Math.Max(width, height) / factor > tile)
        {
            factor *= 2;
        }

        settings = settings with { SoftmaxSmoothing = smoothing, Reduced = reduced ? new ReducedStyle(factor, 0.5) : null, StyleLoss = styleLoss };
        var styles = paintings(painting, height, width);
        using var whole = new GatysObjective(network, photo, styles, settings);
        using var tiled = new GatysObjective(network, photo, styles, settings with { Tile = tile });

        var (wholeTerms, wholeGradient) = Evaluate(whole, picture, (5, -9));
        var (tiledTerms, tiledGradient) = Evaluate(tiled, picture, (5, -9));

        var grid = new TileGrid(height, width, tile, network.TileMargin(settings.Layers), network.TileAlignment);
        Assert.True(grid.Tiles.Count(t => t.OuterColumns.Start > 0 || t.OuterColumns.End < width) >= 3, "the margins are not exercised: tiles read the whole picture");
        Assert.All(whole.StyleTargets, t => Assert.InRange(Tolerance.RelativeError(tiled.StyleTargets[t.Key], t.Value), 0, tolerance));
        Assert.Equal(reduced, tiled.ReducedTargets.Count > 0);
        Assert.All(whole.ReducedTargets, t => Assert.InRange(Tolerance.RelativeError(tiled.ReducedTargets[t.Key], t.Value), 0, tolerance));
        Assert.InRange(Tolerance.RelativeError(tiledTerms.Content, wholeTerms.Content), 0, tolerance);
        Assert.InRange(Tolerance.RelativeError(tiledTerms.Style, wholeTerms.Style), 0, tolerance);
        Assert.InRange(Tolerance.RelativeError(tiledTerms.TotalVariation, wholeTerms.TotalVariation), 0, tolerance);
        Assert.InRange(Tolerance.RelativeError(tiledGradient, wholeGradient), 0, tolerance);
    }

    [Fact]
    public void GivenAPicture_WhenCutIntoTiles_ThenTheirInnerPartsPartitionItOnTheAlignmentAndEachReadsItsMarginWithinThePicture()
    {
        var grid = new TileGrid(350, 470, 100, 128, 16);

        var covered = new int[350, 470];
        foreach (var tile in grid.Tiles)
        {
            for (var r = tile.Rows.Start; r < tile.Rows.End; r++)
            {
                for (var c = tile.Columns.Start; c < tile.Columns.End; c++)
                {
                    covered[r, c]++;
                }
            }

            Assert.Equal(0, tile.Rows.Start % 16);
            Assert.Equal(0, tile.OuterColumns.Start % 16);
            Assert.Equal(Math.Max(0, tile.Columns.Start - 128), tile.OuterColumns.Start);
            Assert.Equal(Math.Min(470, tile.Columns.End + 128), tile.OuterColumns.End);
        }

        Assert.All(covered.Cast<int>(), count => Assert.Equal(1, count));
        Assert.Equal(4 * 5, grid.Tiles.Count);
    }

    // The margin must hold the deepest layer's receptive field: a response's gradient reaches no pixel farther.
    [Theory]
    [InlineData("vgg19", "conv5_1")]
    [InlineData("vgg19", "conv3_1")]
    [InlineData("resnet18", "layer4.2")]
    [InlineData("resnet18", "layer2.1")]
    public void GivenALayer_WhenOneResponseIsDifferentiated_ThenNoPixelBeyondTheMarginFromItsTileReachesItAndTheMarginIsNoWiderThanItNeeds(string networkName, string layer)
    {
        using var scope = NewDisposeScope();
        using var network = networkName == "vgg19" ? (IFeatureNetwork)new Vgg(VggWeights.Load(SharedData.TestWeights), Pooling.Max) : BuiltInResNet18.Load();
        var margin = network.TileMargin([layer]);
        var side = (2 * margin) + (8 * network.TileAlignment);
        var image = (rand([1, 3, side, side], generator: new Generator(1)) * 255).requires_grad_(true);
        var responses = network.Activations(image, [layer])[layer];
        var stride = side / (int)responses.shape[2];
        var (row, column) = ((int)responses.shape[2] / 2, (int)responses.shape[3] / 2);

        responses[0, .., row, column].sum().backward();

        var reached = image.grad!.abs().sum([0, 1]).gt(0).nonzero();
        var (rows, columns) = (reached[.., 0], reached[.., 1]);
        // The response answers for the pixels [row·stride, (row+1)·stride) of its tile's inner part.
        var beyond = new[]
        {
            (row * stride) - rows.min().ToInt64(), rows.max().ToInt64() - (((row + 1) * stride) - 1),
            (column * stride) - columns.min().ToInt64(), columns.max().ToInt64() - (((column + 1) * stride) - 1),
        }.Max();
        Assert.True(beyond <= margin, $"{layer}: pixels {beyond} px beyond reach it; the margin is {margin}");
        Assert.True(beyond > margin - network.TileAlignment - stride, $"{layer}: pixels only {beyond} px beyond reach it; the margin of {margin} is wider than it needs");
    }

    private static (LossTerms Terms, Tensor Gradient) Evaluate(GatysObjective objective, Tensor picture, (int, int) shift) => objective.EvaluateWithGradient(picture, shift);
}
