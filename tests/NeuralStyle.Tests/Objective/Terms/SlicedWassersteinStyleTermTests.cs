using NeuralStyle.Objective;
using NeuralStyle.Objective.Terms;
using NeuralStyle.Tests.Optimization;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Objective.Terms;

public sealed class SlicedWassersteinStyleTermTests
{
    private static readonly ObjectiveSettings Settings = new(["conv2_2"], [("conv1_1", 0.3), ("conv2_1", 0.7)], 0, 1e3, 0, StyleLoss: StyleLoss.SlicedWasserstein);

    // The picture and the painting are the same size, so the painting's sorted projections are the
    // target as they are; the sort's own autograd gives the gradient, independently of the closed form.
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void GivenThePictureAndThePainting_WhenEvaluated_ThenTheStyleTermAndItsGradientAreTheSortedProjectionsGapWrittenOutWithAutograd(int evaluation)
    {
        using var scope = NewDisposeScope();
        using var problem = new SmallProblem(Settings, float64);
        var leaf = problem.Noise.clone().requires_grad_(true);
        var layers = Settings.StyleLayers.Select(s => s.Layer).ToArray();
        var responses = problem.Network.Activations(leaf, layers);
        var painting = problem.Network.Activations(problem.Painting, layers);
        var expected = zeros(1, dtype: float64);
        for (var i = 0; i < layers.Length; i++)
        {
            var (f, p) = (responses[layers[i]].reshape(responses[layers[i]].shape[1], -1), painting[layers[i]].reshape(painting[layers[i]].shape[1], -1));
            var (channels, positions) = (f.shape[0], f.shape[1]);
            var directions = SlicedWassersteinStyleTerm.Directions(channels, SlicedWassersteinStyleTerm.Seed(evaluation, i), CPU).to(float64);
            var gaps = directions.mm(f).sort(1).Values - directions.mm(p).sort(1).Values;
            var scale = Settings.StyleLayers[i].Weight * Settings.StyleWeight * (p.square().mean().ToDouble() / 4) / (channels * positions);
            expected = expected + (gaps.square().sum() * scale);
        }

        expected.backward();

        var (terms, gradient) = problem.Objective.EvaluateWithGradient(problem.Noise, evaluation: evaluation);

        Assert.Equal(expected.ToDouble(), terms.Style, expected.ToDouble() * 1e-9);
        Assert.InRange(Tolerance.RelativeError(gradient, leaf.grad!), 0, 1e-9);
    }

    // Sorting makes the term a distance between distributions: the painting itself is at zero, and a
    // copy of it with its rows and columns shuffled in blocks is near zero where the photo is far.
    [Fact]
    public void GivenThePaintingItself_WhenEvaluated_ThenItsStyleTermIsZeroAndThePhotosIsNot()
    {
        using var scope = NewDisposeScope();
        using var problem = new SmallProblem(Settings, float64);

        Assert.Equal(0, problem.Objective.Evaluate(problem.Painting, evaluation: 2).Style, 1e-9);
        Assert.True(problem.Objective.Evaluate(problem.Photo, evaluation: 2).Style > 1);
    }

    // A batch is its pictures side by side: the values add up and each picture gets its own gradient.
    [Theory]
    [InlineData(StyleLoss.SlicedWasserstein)]
    [InlineData(StyleLoss.Gram)]
    public void GivenABatchOfTwoPictures_WhenEvaluated_ThenTheTermsAreTheSumOfEachPicturesAndTheGradientsAreEachPicturesOwn(StyleLoss loss)
    {
        using var scope = NewDisposeScope();
        using var problem = new SmallProblem(Settings with { ContentWeight = 1, TvWeight = 1e-3, PaletteWeight = 0.5, StyleLoss = loss }, float64);
        var (first, second) = (problem.Noise, (problem.Photo * 0.5) + (problem.Noise * 0.5));

        var (firstTerms, firstGradient) = problem.Objective.EvaluateWithGradient(first, evaluation: 1);
        var (secondTerms, secondGradient) = problem.Objective.EvaluateWithGradient(second, evaluation: 1);
        var (batchTerms, batchGradient) = problem.Objective.EvaluateWithGradient(cat([first, second], 0), evaluation: 1);

        Assert.Equal(firstTerms.Content + secondTerms.Content, batchTerms.Content, batchTerms.Content * 1e-9);
        Assert.Equal(firstTerms.Style + secondTerms.Style, batchTerms.Style, batchTerms.Style * 1e-9);
        Assert.Equal(firstTerms.TotalVariation + secondTerms.TotalVariation, batchTerms.TotalVariation, batchTerms.TotalVariation * 1e-9);
        Assert.InRange(Tolerance.RelativeError(batchGradient, cat([firstGradient, secondGradient], 0)), 0, 1e-9);
    }
}
