using NeuralStyle.Objective;
using NeuralStyle.Optimization;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Optimization;

public sealed class SynthesizerTests
{
    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Lbfgs)]
    public void GivenALongRun_WhenTensorsAreCountedPerIteration_ThenTheCountStaysFlat(OptimizerKind optimizer)
    {
        using var problem = new SmallProblem();
        var live = new Dictionary<int, long>();
        var history = 10;

        using (var result = Synthesizer.Run(problem.Objective, problem.Noise, new SynthesisSettings(optimizer, 1.0, 60, LbfgsHistory: history), new SynchronousProgress<StepProgress>(p => live[p.Iteration] = DisposeScopeManager.Statistics.ThreadTotalLiveCount)).Image)
        {
        }

        // L-BFGS keeps three tensors per stored pair until its history is full; after that nothing may grow.
        Assert.Equal(live[history + 5], live[60]);
        Assert.Equal(live[history + 5], live[history + 30]);
    }

    [Fact]
    public void GivenARun_WhenItEnds_ThenEveryTensorItMadeIsFreedButTheResult()
    {
        using var problem = new SmallProblem();
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var result = Synthesizer.Run(problem.Objective, problem.Noise, new SynthesisSettings(OptimizerKind.Lbfgs, 1.0, 12));
        var during = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        result.Image.Dispose();

        Assert.Equal(before + 1, during);
    }

    [Fact]
    public void GivenCancellation_WhenRequestedDuringAnIteration_ThenTheRunStopsAfterItAndKeepsTheImage()
    {
        using var problem = new SmallProblem();
        using var stop = new CancellationTokenSource();

        var result = Synthesizer.Run(problem.Objective, problem.Noise, new SynthesisSettings(OptimizerKind.Lbfgs, 1.0, 50), new SynchronousProgress<StepProgress>(p =>
        {
            if (p.Iteration == 3)
            {
                stop.Cancel();
            }
        }), cancellation: stop.Token);
        using var image = result.Image;

        Assert.True(result.Cancelled);
        Assert.Equal(3, result.IterationsRun);
        Assert.False(image.allclose(problem.Noise));
    }

    [Fact]
    public void GivenAnObserver_WhenRun_ThenItSeesEveryIterationInOrderWithTheImageThatIsReturnedAtTheEnd()
    {
        using var scope = NewDisposeScope();
        using var problem = new SmallProblem();
        var seen = new List<(int Iteration, Tensor Image)>();

        using var returned = Synthesizer.Run(problem.Objective, problem.Noise, new SynthesisSettings(OptimizerKind.Adam, 1.0, 6), observe: (i, image) => seen.Add((i, image.clone().MoveToOuterDisposeScope()))).Image;

        Assert.Equal([1, 2, 3, 4, 5, 6], seen.Select(s => s.Iteration));
        Assert.Equal(0, (seen[^1].Image - returned).abs().max().ToDouble());
        Assert.False(seen[^2].Image.allclose(seen[^1].Image));
    }

    [Fact]
    public void GivenAveraging_WhenTheDecayIsNearOne_ThenTheResultStaysNearTheStartWhileTheLastIterateMoves()
    {
        using var scope = NewDisposeScope();
        using var problem = new SmallProblem();

        using var last = Synthesizer.Run(problem.Objective, problem.Noise, new SynthesisSettings(OptimizerKind.Adam, 4.0, 20)).Image;
        using var averaged = Synthesizer.Run(problem.Objective, problem.Noise, new SynthesisSettings(OptimizerKind.Adam, 4.0, 20, AverageDecay: 0.999)).Image;

        var lastMoved = (last - problem.Noise).abs().mean().ToDouble();
        var averagedMoved = (averaged - problem.Noise).abs().mean().ToDouble();
        Assert.True(lastMoved > 10, $"last iterate moved {lastMoved}");
        Assert.InRange(averagedMoved, lastMoved * 0.005, lastMoved * 0.05);
    }

    [Fact]
    public void GivenAFallingLearningRate_WhenAdamRuns_ThenItsLastStepMovesThePixelsFarLessThanAConstantRatesDoes()
    {
        using var problem = new SmallProblem();

        double LastStep(double end)
        {
            using var scope = NewDisposeScope();
            var images = new List<Tensor>();
            var settings = new SynthesisSettings(OptimizerKind.Adam, 4.0, 20, LearningRateEnd: end);
            Synthesizer.Run(problem.Objective, problem.Noise, settings, observe: (_, image) => images.Add(image.clone().MoveToOuterDisposeScope())).Image.Dispose();
            return (images[^1] - images[^2]).abs().mean().ToDouble();
        }

        var constant = LastStep(1);
        var falling = LastStep(0);

        Assert.True(constant > 1, $"constant rate's last step {constant}");
        Assert.True(falling < 0.05 * constant, $"falling rate's last step {falling}, constant's {constant}");
    }

    // Each record holds the terms of the image evaluated in its iteration, which is the image the
    // iteration before returned: evaluated again here, term by term, with the total-variation term
    // computed apart from the objective.
    [Fact]
    public void GivenProgress_WhenReported_ThenEachRecordHoldsTheTermsOfTheImageItEvaluatedAndTheLossFalls()
    {
        using var scope = NewDisposeScope();
        using var problem = new SmallProblem();
        var steps = new List<StepProgress>();
        var images = new List<Tensor> { problem.Noise };

        Synthesizer.Run(problem.Objective, problem.Noise, new SynthesisSettings(OptimizerKind.Lbfgs, 1.0, 30), new SynchronousProgress<StepProgress>(steps.Add), (_, image) => images.Add(image.clone().MoveToOuterDisposeScope())).Image.Dispose();

        Assert.Equal(Enumerable.Range(1, 30), steps.Select(s => s.Iteration));
        foreach (var i in new[] { 0, 1, 14, 29 })
        {
            var again = problem.Objective.Evaluate(images[i]);
            var tv = SmallProblem.Settings.TvWeight * Losses.TotalVariation(images[i].to(float64)).ToDouble();
            Assert.Equal(again.Content, steps[i].ContentLoss, again.Content * 1e-6);
            Assert.Equal(again.Style, steps[i].StyleLoss, again.Style * 1e-6);
            Assert.Equal(tv, steps[i].TvLoss, tv * 1e-5);
            Assert.Equal(again.Content + again.Style + tv, steps[i].TotalLoss, steps[i].TotalLoss * 1e-5);
        }

        Assert.True(steps[^1].TotalLoss < steps[0].TotalLoss * 0.5);
    }

    // L-BFGS's first step is the gradient scaled by 1 / |g|₁, so with smoothing it points along the smoothed gradient.
    [Fact]
    public void GivenGradientSmoothing_WhenTheFirstStepIsTaken_ThenItFollowsTheSmoothedGradient()
    {
        using var scope = NewDisposeScope();
        using var problem = new SmallProblem();
        var (_, gradient) = SmallProblem.GradientAt(problem.Objective, problem.Noise);
        double Cosine(Tensor a, Tensor b) => (a * b).sum().ToDouble() / (a.norm().ToDouble() * b.norm().ToDouble());

        using var plain = Synthesizer.Run(problem.Objective, problem.Noise, new SynthesisSettings(OptimizerKind.Lbfgs, 1, 1)).Image;
        using var smooth = Synthesizer.Run(problem.Objective, problem.Noise, new SynthesisSettings(OptimizerKind.Lbfgs, 1, 1, GradientSmoothing: 0.5)).Image;

        var smoothedGradient = gradient.lerp(Binomial.Smooth(gradient), 0.5);
        Assert.Equal(-1, Cosine(smooth - problem.Noise, smoothedGradient), 1e-4);
        Assert.Equal(-1, Cosine(plain - problem.Noise, gradient), 1e-4);
        Assert.True(Cosine(smooth - problem.Noise, gradient) > -0.99, "smoothing changed the step's direction");
    }
}
