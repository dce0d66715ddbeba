using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;
using NeuralStyle.Synthesis;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Synthesis;

public sealed class SynthesizerTests
{
    private static readonly Vgg19Weights Partial = Vgg19Weights.Load(SharedData.PartialCaffeWeights);

    private static GatysObjective SmallObjective(Vgg19 network) => new(
        network,
        rand(1, 3, 24, 32) * 255,
        rand(1, 3, 24, 32) * 255,
        ["conv2_2"],
        [("conv1_1", 0.5), ("conv2_1", 0.5)],
        contentWeight: 1,
        styleWeight: 1e3,
        tvWeight: 1e-3);

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Lbfgs)]
    public void GivenALongRun_WhenTensorsAreCountedPerIteration_ThenTheCountStaysFlat(OptimizerKind optimizer)
    {
        using var network = new Vgg19(Partial, Pooling.Max);
        using var objective = SmallObjective(network);
        using var initial = rand(1, 3, 24, 32) * 255;
        var live = new Dictionary<int, long>();
        var history = 10;

        using (var result = Synthesizer.Run(objective, initial, optimizer, 1.0, 60, new SyncProgress<StepProgress>(p => live[p.Iteration] = DisposeScopeManager.Statistics.ThreadTotalLiveCount), lbfgsHistory: history).Image)
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
        using var initial = rand(1, 3, 24, 32) * 255;
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var result = Synthesizer.Run(objective, initial, OptimizerKind.Lbfgs, 1.0, 12);
        var during = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        result.Image.Dispose();

        Assert.Equal(before + 1, during);
    }

    [Fact]
    public void GivenCancellation_WhenRequestedDuringAnIteration_ThenTheRunStopsAfterItAndKeepsTheImage()
    {
        using var network = new Vgg19(Partial, Pooling.Max);
        using var objective = SmallObjective(network);
        using var initial = rand(1, 3, 24, 32) * 255;
        using var stop = new CancellationTokenSource();

        var result = Synthesizer.Run(objective, initial, OptimizerKind.Lbfgs, 1.0, 50, new SyncProgress<StepProgress>(p =>
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
        using var initial = rand(1, 3, 24, 32) * 255;
        var seen = new List<int>();

        using var image = Synthesizer.Run(objective, initial, OptimizerKind.Adam, 1.0, 12, snapshots: (4, (i, _) => seen.Add(i))).Image;

        Assert.Equal([4, 8], seen);
    }

    [Fact]
    public void GivenProgress_WhenReported_ThenTermsAddUpToTheTotalAndTheLossFalls()
    {
        using var network = new Vgg19(Partial, Pooling.Max);
        using var objective = SmallObjective(network);
        using var initial = rand(1, 3, 24, 32) * 255;
        var steps = new List<StepProgress>();

        using var image = Synthesizer.Run(objective, initial, OptimizerKind.Lbfgs, 1.0, 30, new SyncProgress<StepProgress>(steps.Add)).Image;

        Assert.Equal(Enumerable.Range(1, 30), steps.Select(s => s.Iteration));
        Assert.All(steps, s => Assert.Equal(s.ContentLoss + s.StyleLoss + s.TvLoss, s.TotalLoss, s.TotalLoss * 1e-6));
        Assert.True(steps[^1].TotalLoss < steps[0].TotalLoss * 0.5);
        Assert.True(steps[^1].TvLoss > 0);
    }
}
