using NeuralStyle.Objective;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Objective;

// Each term's gradient against the paper's analytic form, in float64 so that the comparison is exact
// to rounding (1e-10). F is a layer's responses after ReLU of pre-activations X; where X ≤ 0 the
// gradient is 0.
public sealed class LossesTests
{
    [Fact]
    public void GivenResponsesAndATarget_WhenTheContentLossIsDifferentiated_ThenTheGradientIsFMinusPWhereFIsPositive()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var x = randn(1, 8, 5, 6, dtype: float64).requires_grad_(true);
        var p = randn(1, 8, 5, 6, dtype: float64).relu();
        var f = x.relu();

        var loss = Losses.Content(f, p);
        loss.backward();

        var expected = (f - p).where(x > 0, zeros_like(x));
        Assert.Equal(0.5 * (f - p).square().sum().ToDouble(), loss.ToDouble(), 1e-10);
        Assert.True(x.grad!.allclose(expected, rtol: 1e-10, atol: 1e-12));
    }

    [Fact]
    public void GivenResponsesAndAStyleGram_WhenTheLayerLossIsDifferentiated_ThenTheGradientIsThePapers()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        const int n = 6, h = 4, w = 5, m = h * w;
        var x = randn(1, n, h, w, dtype: float64).requires_grad_(true);
        var styleResponses = randn(n, m, dtype: float64).relu();
        var a = styleResponses.mm(styleResponses.t());
        var f = x.relu();

        var loss = Losses.StyleLayer(f, a);
        loss.backward();

        var fm = f.reshape(n, m);
        var g = fm.mm(fm.t());
        Assert.Equal((g - a).square().sum().ToDouble() / (4.0 * n * n * m * m), loss.ToDouble(), 1e-12);
        var analytic = (fm.t().mm(g - a)).t() / ((double)n * n * m * m);
        var expected = analytic.reshape(1, n, h, w).where(x > 0, zeros_like(x));
        Assert.True(x.grad!.allclose(expected, rtol: 1e-10, atol: 1e-14));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GivenResponsesInEitherLayout_WhenTheStyleLossComesWithItsGradient_ThenBothEqualAutogradsOfTheWeightedLoss(bool channelsLast)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var f = randn(1, 6, 4, 5, dtype: float64).relu();
        f = channelsLast ? f.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : f;
        var styleResponses = randn(6, 20, dtype: float64).relu();
        var a = styleResponses.mm(styleResponses.t());
        var leaf = f.detach().requires_grad_(true);
        (Losses.StyleLayer(leaf, a) * 7).backward();

        var (value, gradient) = Losses.StyleLayerWithGradient(f, a, 7);

        Assert.Equal((Losses.StyleLayer(f, a) * 7).ToDouble(), value.ToDouble(), 1e-12);
        Assert.True(gradient.allclose(leaf.grad!, rtol: 1e-10, atol: 1e-14));
        Assert.Equal(f.stride()[1..], gradient.stride()[1..]);
    }

    [Fact]
    public void GivenResponsesAndATarget_WhenTheContentLossComesWithItsGradient_ThenBothEqualAutogradsOfTheWeightedLoss()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var f = randn(1, 8, 5, 6, dtype: float64).relu();
        var p = randn(1, 8, 5, 6, dtype: float64).relu();
        var leaf = f.detach().requires_grad_(true);
        (Losses.Content(leaf, p) * 3).backward();

        var (value, gradient) = Losses.ContentWithGradient(f, p, 3);

        Assert.Equal((Losses.Content(f, p) * 3).ToDouble(), value.ToDouble(), 1e-10);
        Assert.True(gradient.allclose(leaf.grad!, rtol: 1e-12, atol: 1e-14));
    }

    [Fact]
    public void GivenBfloat16ResponsesWhoseGramIsWithinOnePercentOfTheTarget_WhenGMinusAIsTaken_ThenItIsAccurateToBfloat16RoundingOfTheDifference()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var f = randn(1, 32, 64, 64).relu().to(bfloat16);
        var exactF = f.to(float64).reshape(32, -1);
        var exactG = exactF.mm(exactF.t());
        var a = (exactG * (1 + (0.01 * randn(32, 32, dtype: float64)))).to(float32);

        var difference = Losses.GramMinusTarget(f, a);

        // A bfloat16 product rounds G itself, an error of 2⁻⁹ of G: about 18 % of this G − A.
        var exact = exactG - a.to(float64);
        Assert.Equal(float32, difference.dtype);
        Assert.InRange(((difference.to(float64) - exact).norm() / exact.norm()).ToDouble(), 0, 1e-2);
    }

    [Fact]
    public void GivenBfloat16Responses_WhenTheLossesComeWithTheirGradients_ThenValuesAreFloat32AndGradientsBfloat16AndBothCloseToFloat64()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var f = randn(1, 8, 16, 16).relu().to(bfloat16);
        var p = randn(1, 8, 16, 16).relu();
        var styleResponses = randn(8, 256).relu();
        var a = styleResponses.mm(styleResponses.t());
        var exactF = f.to(float64);

        var (styleValue, styleGradient) = Losses.StyleLayerWithGradient(f, a, 7);
        var (contentValue, contentGradient) = Losses.ContentWithGradient(f, p, 3);

        var (expectedStyle, expectedStyleGradient) = Losses.StyleLayerWithGradient(exactF, a.to(float64), 7);
        var (expectedContent, expectedContentGradient) = Losses.ContentWithGradient(exactF, p.to(float64), 3);
        Assert.Equal([float32, float32, bfloat16, bfloat16], new[] { styleValue.dtype, contentValue.dtype, styleGradient.dtype, contentGradient.dtype });
        Assert.InRange(Tolerance.RelativeError(styleValue.to(float64), expectedStyle), 0, 1e-2);
        Assert.InRange(Tolerance.RelativeError(contentValue.to(float64), expectedContent), 0, 1e-2);
        Assert.InRange(Tolerance.RelativeError(styleGradient.to(float64), expectedStyleGradient), 0, 1e-2);
        Assert.InRange(Tolerance.RelativeError(contentGradient.to(float64), expectedContentGradient), 0, 1e-2);
    }

    [Fact]
    public void GivenResponses_WhenTheGramMatrixIsTaken_ThenItIsFFTransposedOverPositions()
    {
        using var scope = NewDisposeScope();
        var f = tensor(new double[] { 1, 2, 3, 4, 5, 6 }).reshape(1, 2, 1, 3);

        var g = Losses.Gram(f);

        Assert.Equal(new double[] { 14, 32, 32, 77 }, g.data<double>().ToArray());
    }

    // A print-size painting's colours are read at every k-th pixel: its thousand quantiles stay those of all of them.
    [Fact]
    public void GivenAPaintingOfMoreThanAMegapixel_WhenItsColourQuantilesAreTaken_ThenTheyAreThoseOfAllItsPixelsToAFractionOfALevel()
    {
        using var scope = NewDisposeScope();
        var painting = TestImages.Tensor(TestImages.Painting, 2000, 1250);
        var directions = Losses.RandomDirections(8, seed: 3);

        var quantiles = Losses.ColorQuantiles(painting, directions, 1024);

        var all = directions.mm(painting.reshape(3, -1)).sort(1).Values;
        var levels = ((arange(1024, dtype: float32) + 0.5) / 1024 * all.shape[1]).to(int64).clamp_max(all.shape[1] - 1);
        var expected = all.index_select(1, levels);
        Assert.InRange((quantiles - expected).abs().mean().ToDouble(), 0, 0.5);
        Assert.InRange((quantiles - expected).abs().max().ToDouble(), 0, 4);
    }

    // The palette term against the same quantity computed the plain way: the picture's projections
    // sorted, each against the target's quantile at its rank, and differentiated by autograd (through
    // the sort). The term reads ranks from a histogram instead of sorting, so they agree to a bin.
    [Fact]
    public void GivenAPictureAndAPalette_WhenThePaletteTermComesWithItsGradient_ThenBothMatchTheSortedComputationThroughAutograd()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var picture = rand(1, 3, 40, 50, dtype: float64) * 255;
        var painting = (rand(1, 3, 30, 40, dtype: float64) * 200) + 30;
        var directions = Losses.RandomDirections(4, seed: 3).to(float64);
        var targets = Losses.ColorQuantiles(painting, directions, 1024);
        var leaf = picture.clone().requires_grad_(true);
        var sorted = directions.mm(leaf.reshape(3, -1)).sort(1).Values;
        var n = sorted.shape[1];
        var positions = (((arange(n, dtype: float64) + 0.5) / n * 1024) - 0.5).clamp(0, 1023).expand(4, n);
        var below = positions.floor().to(int64);
        var above = (below + 1).clamp_max(1023);
        var atRank = targets.gather(1, below).lerp(targets.gather(1, above), positions - below.to(float64));
        var expected = (sorted - atRank).square().mean() * 5;
        expected.backward();

        var (value, gradient) = Losses.PaletteWithGradient(picture, directions, targets, 5);

        Assert.InRange(Tolerance.RelativeError(value.ToDouble(), expected.ToDouble()), 0, 1e-3);
        Assert.InRange(Tolerance.RelativeError(gradient, leaf.grad!), 0, 1e-2);
    }

    // The histogram of every chunk's bins is the whole picture's, and each pixel's rank is read against it.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GivenAPictureReadInUnevenChunks_WhenThePaletteTermComesWithItsGradient_ThenBothAreThoseOfThePictureReadWhole(bool masked)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var picture = rand(1, 3, 37, 53, dtype: float64) * 255;
        var mask = masked ? rand(1, 37 * 53, dtype: float64) : null;
        var directions = Losses.RandomDirections(4, seed: 3).to(float64);
        var targets = Losses.ColorQuantiles((rand(1, 3, 30, 40, dtype: float64) * 200) + 30, directions, 1024);

        var whole = Losses.PaletteWithGradient(picture, directions, targets, 5, mask, chunkPixels: 37 * 53);
        var chunked = Losses.PaletteWithGradient(picture, directions, targets, 5, mask, chunkPixels: 300);

        Assert.InRange(Tolerance.RelativeError(chunked.Value.ToDouble(), whole.Value.ToDouble()), 0, 1e-12);
        Assert.InRange(Tolerance.RelativeError(chunked.Gradient, whole.Gradient), 0, 1e-12);
        Assert.True(whole.Value.ToDouble() > 100, $"the picture's mean squared gap {whole.Value.ToDouble()}");
    }

    [Fact]
    public void GivenThePaintingItself_WhenThePaletteTermIsTaken_ThenItIsNearZeroBesideAnotherPictures()
    {
        using var scope = NewDisposeScope();
        var painting = TestImages.Tensor(TestImages.Painting, 128, 80);
        var directions = Losses.RandomDirections(8, seed: 5);
        var targets = Losses.ColorQuantiles(painting, directions, 1024);

        var self = Losses.PaletteWithGradient(painting, directions, targets, 1).Value.ToDouble();
        var photo = Losses.PaletteWithGradient(TestImages.Tensor(TestImages.Photo, 128, 96), directions, targets, 1).Value.ToDouble();

        Assert.InRange(self, 0, 1e-3 * photo);
        Assert.True(photo > 100, $"the photo's mean squared gap {photo}");
    }

    [Fact]
    public void GivenASeed_WhenDirectionsAreDrawn_ThenTheyAreUnitVectorsAndTheSameEachTime()
    {
        using var scope = NewDisposeScope();

        var first = Losses.RandomDirections(32, seed: 9);
        var again = Losses.RandomDirections(32, seed: 9);

        Assert.Equal([32L, 3], first.shape);
        Assert.True(first.norm(1).allclose(ones(32), rtol: 1e-6));
        Assert.Equal(0, (first - again).abs().max().ToDouble());
        Assert.False(first.allclose(Losses.RandomDirections(32, seed: 10)));
    }

    [Fact]
    public void GivenAnImage_WhenTotalVariationIsTaken_ThenItSumsSquaredNeighbourDifferences()
    {
        using var scope = NewDisposeScope();
        var image = tensor(new double[] { 0, 1, 3, 0, 0, 0 }).reshape(1, 1, 2, 3);

        var tv = Losses.TotalVariation(image);

        // horizontal (1, 2, 0, 0) → 1 + 4; vertical (0, 1, 3) → 1 + 9
        Assert.Equal(15, tv.ToDouble());
    }
}
