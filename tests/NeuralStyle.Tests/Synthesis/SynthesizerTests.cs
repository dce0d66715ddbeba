using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;
using NeuralStyle.Synthesis;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Synthesis;

public sealed class SynthesizerTests
{
    private static readonly Vgg19Weights Partial = Vgg19Weights.Load(SharedData.PartialCaffeWeights);

    private static Tensor Small(string image) => ImageTensor.ToTensor(ImageFile.Resize(ImageFile.Load(SharedData.Image(image)), 32, 24), float32, CPU);

    private static Tensor Noise()
    {
        using var scope = NewDisposeScope();
        return (rand([1, 3, 24, 32], generator: new Generator(5)) * 255).MoveToOuterDisposeScope();
    }

    private static GatysObjective SmallObjective(Vgg19 network) => new(
        network,
        Small("tubingen.jpg"),
        Small("starry_night.jpg"),
        new ObjectiveSettings(["conv2_2"], [("conv1_1", 0.5), ("conv2_1", 0.5)], 1, 1e3, 1e-3));

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Lbfgs)]
    public void GivenALongRun_WhenTensorsAreCountedPerIteration_ThenTheCountStaysFlat(OptimizerKind optimizer)
    {
        using var network = new Vgg19(Partial, Pooling.Max);
        using var objective = SmallObjective(network);
        using var initial = Noise();
        var live = new Dictionary<int, long>();
        var history = 10;

        using (var result = Synthesizer.Run(objective, initial, new SynthesisSettings(optimizer, 1.0, 60, LbfgsHistory: history), new SynchronousProgress<StepProgress>(p => live[p.Iteration] = DisposeScopeManager.Statistics.ThreadTotalLiveCount)).Image)
        {
        }

        // L-BFGS keeps three tensors per stored pair until its history is full; after that nothing may grow.
        Assert.Equal(live[history + 5], live[60]);
        Assert.Equal(live[history + 5], live[history + 30]);
    }

    [Fact]
    public void GivenARun_WhenItEnds_ThenEveryTensorItMadeIsFreedButTheResult()
    {
        using var network = new Vgg19(Partial, Pooling.Max);
        using var objective = SmallObjective(network);
        using var initial = Noise();
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var result = Synthesizer.Run(objective, initial, new SynthesisSettings(OptimizerKind.Lbfgs, 1.0, 12));
        var during = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        result.Image.Dispose();

        Assert.Equal(before + 1, during);
    }

    [Fact]
    public void GivenCancellation_WhenRequestedDuringAnIteration_ThenTheRunStopsAfterItAndKeepsTheImage()
    {
        using var network = new Vgg19(Partial, Pooling.Max);
        using var objective = SmallObjective(network);
        using var initial = Noise();
        using var stop = new CancellationTokenSource();

        var result = Synthesizer.Run(objective, initial, new SynthesisSettings(OptimizerKind.Lbfgs, 1.0, 50), new SynchronousProgress<StepProgress>(p =>
        {
            if (p.Iteration == 3)
            {
                stop.Cancel();
            }
        }), cancellation: stop.Token);
        using var image = result.Image;

        Assert.True(result.Cancelled);
        Assert.Equal(3, result.IterationsRun);
        Assert.False(image.allclose(initial));
    }

    [Fact]
    public void GivenSnapshots_WhenEveryFourIterations_ThenTheyArriveAtThoseIterationsButNotTheLast()
    {
        using var network = new Vgg19(Partial, Pooling.Max);
        using var objective = SmallObjective(network);
        using var initial = Noise();
        var seen = new List<int>();

        using var image = Synthesizer.Run(objective, initial, new SynthesisSettings(OptimizerKind.Adam, 1.0, 12), snapshots: (4, (i, _) => seen.Add(i))).Image;

        Assert.Equal([4, 8], seen);
    }

    [Fact]
    public void GivenAveraging_WhenTheDecayIsNearOne_ThenTheResultStaysNearTheStartWhileTheLastIterateMoves()
    {
        using var network = new Vgg19(Partial, Pooling.Max);
        using var objective = SmallObjective(network);
        using var initial = Noise();

        using var last = Synthesizer.Run(objective, initial, new SynthesisSettings(OptimizerKind.Adam, 4.0, 20)).Image;
        using var averaged = Synthesizer.Run(objective, initial, new SynthesisSettings(OptimizerKind.Adam, 4.0, 20, AverageDecay: 0.999)).Image;

        var lastMoved = (last - initial).abs().mean().ToDouble();
        var averagedMoved = (averaged - initial).abs().mean().ToDouble();
        Assert.True(lastMoved > 10, $"last iterate moved {lastMoved}");
        Assert.InRange(averagedMoved, lastMoved * 0.005, lastMoved * 0.05);
    }

    [Fact]
    public void GivenAFallingLearningRate_WhenAdamRuns_ThenItsLastStepMovesThePixelsFarLessThanAConstantRatesDoes()
    {
        using var network = new Vgg19(Partial, Pooling.Max);
        using var objective = SmallObjective(network);
        using var initial = Noise();

        double LastStep(double end)
        {
            using var scope = NewDisposeScope();
            var images = new List<Tensor>();
            var settings = new SynthesisSettings(OptimizerKind.Adam, 4.0, 20, LearningRateEnd: end);
            // Snapshots live in the iteration's own dispose scope, so keep copies outside it.
            Synthesizer.Run(objective, initial, settings, snapshots: (1, (_, image) => images.Add(image.clone().DetachFromDisposeScope()))).Image.Dispose();
            var step = (images[^1] - images[^2]).abs().mean().ToDouble();
            images.ForEach(image => image.Dispose());
            return step;
        }

        var constant = LastStep(1);
        var falling = LastStep(0);

        Assert.True(constant > 1, $"constant rate's last step {constant}");
        Assert.True(falling < 0.05 * constant, $"falling rate's last step {falling}, constant's {constant}");
    }

    [Fact]
    public void GivenJitter_WhenTheImageIsThePhotoItself_ThenTheContentLossIsZeroAtEveryShift()
    {
        using var scope = NewDisposeScope();
        using var network = new Vgg19(Partial, Pooling.Max);
        using var objective = SmallObjective(network);
        var photo = Small("tubingen.jpg");

        foreach (var shift in new[] { (0, 0), (3, -5), (-8, 8) })
        {
            Assert.Equal(0, objective.Evaluate(photo, shift).Content, 1e-9);
        }

        Assert.True(objective.Evaluate(photo.roll([3, -5], [2, 3])).Content > 1);
    }

    [Fact]
    public void GivenProgress_WhenReported_ThenTermsAddUpToTheTotalAndTheLossFalls()
    {
        using var network = new Vgg19(Partial, Pooling.Max);
        using var objective = SmallObjective(network);
        using var initial = Noise();
        var steps = new List<StepProgress>();

        using var image = Synthesizer.Run(objective, initial, new SynthesisSettings(OptimizerKind.Lbfgs, 1.0, 30), new SynchronousProgress<StepProgress>(steps.Add)).Image;

        Assert.Equal(Enumerable.Range(1, 30), steps.Select(s => s.Iteration));
        Assert.All(steps, s => Assert.Equal(s.ContentLoss + s.StyleLoss + s.TvLoss, s.TotalLoss, s.TotalLoss * 1e-6));
        Assert.True(steps[^1].TotalLoss < steps[0].TotalLoss * 0.5);
        Assert.True(steps[^1].TvLoss > 0);
    }
}
