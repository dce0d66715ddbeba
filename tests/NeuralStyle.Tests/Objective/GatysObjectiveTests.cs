using NeuralStyle.Images;
using NeuralStyle.Objective;
using NeuralStyle.Optimization;
using NeuralStyle.Quality;
using NeuralStyle.Tests.Optimization;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Objective;

// The paper's terms are checked against PyTorch in GatysObjectiveReferenceTests; these check what the
// objective adds around them: shifts, the total-variation term, layers read twice, smoothing.
public sealed class GatysObjectiveTests
{
    [Fact]
    public void GivenJitter_WhenTheImageIsThePhotoItself_ThenTheContentLossIsZeroAtEveryShift()
    {
        using var scope = NewDisposeScope();
        using var problem = new SmallProblem();

        foreach (var shift in new[] { (0, 0), (3, -5), (-8, 8) })
        {
            Assert.Equal(0, problem.Objective.Evaluate(problem.Photo, shift).Content, 1e-9);
        }

        Assert.True(problem.Objective.Evaluate(problem.Photo.roll([3, -5], [2, 3])).Content > 1);
    }

    // r = ½ Σ (F − P)² / ½ Σ P² at α 1: the first evaluation reads it, the second weighs by it.
    [Theory]
    [InlineData(0.1)]
    [InlineData(1e6)]
    public void GivenAContentHold_WhenThePictureHasStrayed_ThenTheNextEvaluationRaisesAlphaInProportionToTheExcess(double tolerance)
    {
        using var scope = NewDisposeScope();
        const double Pull = 3;
        using var problem = new SmallProblem(SmallProblem.Settings with { Hold = new ContentHold(tolerance, Pull) }, float64);

        var first = problem.Objective.Evaluate(problem.Noise);
        var second = problem.Objective.Evaluate(problem.Noise);

        var strayed = first.Content / (0.5 * problem.Objective.ContentTargets["conv2_2"].square().sum().ToDouble());
        Assert.Equal(first.Content * (1 + (Pull * Math.Max(0, strayed - tolerance))), second.Content, second.Content * 1e-9);
        Assert.Equal(strayed > tolerance, second.Content > first.Content * 1.01);
    }

    // At 64 × 48 the copies reduced twice are 32 × 24. Their term is the paper's style loss between
    // them at share · β · w_l, written out here with 2 × 2 average pooling and autograd.
    [Fact]
    public void GivenAReducedStyle_WhenEvaluated_ThenTheStyleTermAddsThePapersLossBetweenTheReducedCopiesAndItsGradient()
    {
        using var scope = NewDisposeScope();
        const double Share = 0.25;
        using var small = new SmallProblem(dtype: float64);
        var photo = TestImages.Tensor(TestImages.Photo, 64, 48).to(float64);
        var painting = TestImages.Tensor(TestImages.Painting, 64, 48).to(float64);
        var picture = rand([1, 3, 48, 64], float64, generator: new Generator(11)) * 255;
        using var plain = new GatysObjective(small.Network, photo, painting, SmallProblem.Settings);
        using var reduced = new GatysObjective(small.Network, photo, painting, SmallProblem.Settings with { Reduced = new ReducedStyle(2, Share) });
        var leaf = picture.clone().requires_grad_(true);
        var layers = SmallProblem.Settings.StyleLayers.Select(s => s.Layer).ToArray();
        var responses = small.Network.Activations(nn.functional.avg_pool2d(leaf, 2), layers);
        var targets = small.Network.Activations(nn.functional.avg_pool2d(painting, 2), layers);
        var expected = SmallProblem.Settings.StyleLayers
            .Select(s => Losses.StyleLayer(responses[s.Layer], Losses.Gram(targets[s.Layer])) * (s.Weight * Share * SmallProblem.Settings.StyleWeight))
            .Aggregate((a, b) => a + b);
        expected.backward();

        var (plainTerms, plainGradient) = SmallProblem.GradientAt(plain, picture);
        var (reducedTerms, reducedGradient) = SmallProblem.GradientAt(reduced, picture);

        Assert.Equal(plainTerms.Content, reducedTerms.Content);
        Assert.Equal(expected.ToDouble(), reducedTerms.Style - plainTerms.Style, expected.ToDouble() * 1e-9);
        Assert.InRange(Tolerance.RelativeError(reducedGradient - plainGradient, leaf.grad!), 0, 1e-9);
    }

    // 32 × 24 reduced twice is 16 × 12: too few positions at a style layer to have statistics.
    [Fact]
    public void GivenAReducedStyle_WhenTheReducedPictureWouldBeUnder16PixelsASide_ThenTheTermIsLeftOut()
    {
        using var scope = NewDisposeScope();
        using var plain = new SmallProblem(dtype: float64);
        using var reduced = new SmallProblem(SmallProblem.Settings with { Reduced = new ReducedStyle(2, 1) }, float64);

        Assert.Empty(reduced.Objective.ReducedTargets);
        Assert.Equal(plain.Objective.Evaluate(plain.Noise).Style, reduced.Objective.Evaluate(reduced.Noise).Style);
    }

    // TV = Σ (x[i, j+1] − x[i, j])² + (x[i+1, j] − x[i, j])², so each difference d adds 2d to the
    // gradient at its far pixel and −2d at its near one; written out here without autograd.
    [Fact]
    public void GivenATvWeight_WhenEvaluated_ThenItsTermIsTheWeightedTotalVariationAndItsGradientIsAddedToTheOthers()
    {
        using var scope = NewDisposeScope();
        const double Weight = 0.25;
        using var plain = new SmallProblem(SmallProblem.Settings with { TvWeight = 0 }, float64);
        using var smooth = new SmallProblem(SmallProblem.Settings with { TvWeight = Weight }, float64);
        var x = plain.Noise;
        var dx = x[.., .., .., 1..] - x[.., .., .., ..^1];
        var dy = x[.., .., 1.., ..] - x[.., .., ..^1, ..];
        var expected = zeros_like(x);
        expected[.., .., .., 1..] += 2 * dx;
        expected[.., .., .., ..^1] -= 2 * dx;
        expected[.., .., 1.., ..] += 2 * dy;
        expected[.., .., ..^1, ..] -= 2 * dy;

        var (plainTerms, plainGradient) = SmallProblem.GradientAt(plain.Objective, plain.Noise);
        var (smoothTerms, smoothGradient) = SmallProblem.GradientAt(smooth.Objective, plain.Noise);

        Assert.Equal(0, plainTerms.TotalVariation);
        Assert.Equal(Weight * (dx.square().sum() + dy.square().sum()).ToDouble(), smoothTerms.TotalVariation, smoothTerms.TotalVariation * 1e-12);
        Assert.InRange(Tolerance.RelativeError(smoothGradient - plainGradient, expected * Weight), 0, 1e-9);
    }

    [Fact]
    public void GivenALayerUsedForContentAndStyle_WhenEvaluated_ThenBothTermsAndBothGradientsAddUp()
    {
        using var scope = NewDisposeScope();
        using var content = new SmallProblem(new ObjectiveSettings(["conv2_1"], [("conv1_1", 0)], 1, 1, 0), float64);
        using var style = new SmallProblem(new ObjectiveSettings(["conv1_1"], [("conv2_1", 1)], 0, 1, 0), float64);
        using var both = new SmallProblem(new ObjectiveSettings(["conv2_1"], [("conv2_1", 1)], 1, 1, 0), float64);

        var (contentTerms, contentGradient) = SmallProblem.GradientAt(content.Objective, content.Noise);
        var (styleTerms, styleGradient) = SmallProblem.GradientAt(style.Objective, style.Noise);
        var (bothTerms, bothGradient) = SmallProblem.GradientAt(both.Objective, both.Noise);

        Assert.Equal(contentTerms.Content, bothTerms.Content, contentTerms.Content * 1e-12);
        Assert.Equal(styleTerms.Style, bothTerms.Style, styleTerms.Style * 1e-12);
        var (c, st) = (contentGradient.norm().ToDouble(), styleGradient.norm().ToDouble());
        Assert.True(c > 0.01 * st && st > 0.01 * c, $"both terms weigh in the sum: content gradient {c:e2}, style gradient {st:e2}");
        Assert.InRange(Tolerance.RelativeError(bothGradient, contentGradient + styleGradient), 0, 1e-10);
    }

    // Smoothing replaces each channel's responses by M · softmax over its M positions: positive,
    // summing to M in every channel, in proportion to exp of the raw response.
    [Fact]
    public void GivenSoftmaxSmoothing_WhenTheTargetsAreComputed_ThenEachChannelIsMTimesTheSoftmaxOfItsRawResponses()
    {
        using var scope = NewDisposeScope();
        using var smoothed = new SmallProblem(SmallProblem.Settings with { SoftmaxSmoothing = true });
        var raw = smoothed.Network.Activations(smoothed.Photo, ["conv2_2"])["conv2_2"].to(float64);
        var positions = raw.shape[2] * raw.shape[3];

        var target = smoothed.Objective.ContentTargets["conv2_2"].to(float64);

        var exponentials = (raw - raw.amax([2, 3], keepdim: true)).exp();
        var expected = exponentials / exponentials.sum([2, 3], keepdim: true) * positions;
        Assert.InRange(Tolerance.RelativeError(target, expected), 0, 1e-5);
        Assert.True(target.sum([2, 3]).allclose(full([1, raw.shape[1]], (double)positions, dtype: float64), rtol: 1e-4));
        var (_, gradient) = SmallProblem.GradientAt(smoothed.Objective, smoothed.Noise);
        Assert.True(gradient.isfinite().all().ToBoolean() && gradient.abs().max().ToDouble() > 0);
    }

    // The palette term alone, followed downhill: the picture's colours go most of the way to the
    // painting's within 10 steps and keep coming closer.
    [Fact]
    public void GivenOnlyThePaletteTerm_WhenAdamFollowsIt_ThenThePhotosColoursBecomeThePaintings()
    {
        using var scope = NewDisposeScope();
        using var problem = new SmallProblem(new ObjectiveSettings(["conv1_1"], [("conv1_1", 0)], 0, 0, 0, PaletteWeight: 1));
        var photo = ImageTensor.ToImage(problem.Photo);
        var painting = ImageTensor.ToImage(problem.Painting);

        var ratios = new[] { 10, 150 }.Select(iterations =>
        {
            using var result = Synthesizer.Run(problem.Objective, problem.Photo, new SynthesisSettings(OptimizerKind.Adam, 4, iterations)).Image;
            return PaletteDistance.Ratio(ImageTensor.ToImage(result), photo, painting);
        }).ToList();

        Assert.True(ratios[0] < 0.6 && ratios[1] < ratios[0], string.Join(", ", ratios));
    }

    [Fact]
    public void GivenThePaletteTerm_WhenEvaluatedAtSuccessiveEvaluations_ThenEachLooksAlongOtherDirectionsAndThePaintingItselfScoresNearZero()
    {
        using var scope = NewDisposeScope();
        using var problem = new SmallProblem(new ObjectiveSettings(["conv1_1"], [("conv1_1", 0)], 0, 0, 0, PaletteWeight: 1));

        var first = problem.Objective.Evaluate(problem.Photo, evaluation: 0).Style;
        var second = problem.Objective.Evaluate(problem.Photo, evaluation: 1).Style;
        var again = problem.Objective.Evaluate(problem.Photo, evaluation: 8).Style;
        var painting = problem.Objective.Evaluate(problem.Painting, evaluation: 0).Style;

        Assert.True(first > 10 && second > 10 && first != second, $"{first}, {second}");
        Assert.Equal(first, again, first * 1e-6);
        Assert.InRange(painting, 0, 1e-2 * first);
    }
}
