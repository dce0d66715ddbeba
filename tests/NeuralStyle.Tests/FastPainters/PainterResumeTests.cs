using NeuralStyle.FastPainters;
using NeuralStyle.Networks.Onnx;

namespace NeuralStyle.Tests.FastPainters;

public sealed class PainterResumeTests
{
    private static readonly PainterTrainingOptions Options = TinyPainter.Options with { Iterations = 16, PreviewEvery = 0 };

    [Fact]
    public void GivenARunStoppedAtAStep_WhenResumed_ThenItContinuesFromThatStepToTheWeightsOfAnUnbrokenRun()
    {
        using var folder = new TempFolder();
        var photos = TinyPainter.PhotoFolder(folder.Path, "photos");
        var (broken, unbroken) = (folder.File("broken.onnx"), folder.File("unbroken.onnx"));
        using var stop = new CancellationTokenSource();

        var stopped = Train(broken, Options, p => { if (p.Step == 6) { stop.Cancel(); } }, stop.Token);
        var filesWhenStopped = folder.Files();
        var steps = new List<int>();
        var resumed = Train(broken, Options with { Resume = true }, p => steps.Add(p.Step));
        Train(unbroken, Options, _ => { });

        Assert.Equal((6, true), (stopped.Steps, stopped.Stopped));
        Assert.Equal(["broken.onnx.checkpoint"], filesWhenStopped);
        Assert.Equal(Enumerable.Range(7, 10), steps);
        Assert.False(resumed.Stopped);
        var (a, b) = (OnnxGraph.Read(broken).Initializers, OnnxGraph.Read(unbroken).Initializers);
        Assert.All(a, w => Assert.True(w.Value.Values.Zip(b[w.Key].Values, (x, y) => Math.Abs(x - y)).Max() < 1e-4, $"{w.Key} differs from the unbroken run's"));
    }

    [Fact]
    public void GivenNoCheckpoint_WhenResumed_ThenItIsRefusedNamingTheCheckpoint()
    {
        using var folder = new TempFolder();
        var photos = TinyPainter.PhotoFolder(folder.Path, "photos");

        var e = Assert.Throws<StyleTransferException>(() => Train(folder.File("p.onnx"), Options with { Resume = true }, _ => { }, photos: photos));

        Assert.Equal($"{folder.File("p.onnx")}.checkpoint: no checkpoint to resume from", e.Message);
        Assert.Equal(["photos"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GivenACheckpointOfOneNetwork_WhenResumedAsTheOtherAntiAliasing_ThenItIsRefusedNamingIt(bool antiAliased)
    {
        using var folder = new TempFolder();
        var photos = TinyPainter.PhotoFolder(folder.Path, "photos");
        var output = folder.File("p.onnx");
        using var stop = new CancellationTokenSource();
        Train(output, Options with { AntiAliased = antiAliased }, p => { if (p.Step == 2) { stop.Cancel(); } }, stop.Token);

        var e = Assert.Throws<StyleTransferException>(() => Train(output, Options with { AntiAliased = !antiAliased, Resume = true }, _ => { }));

        Assert.StartsWith($"{output}.checkpoint: a checkpoint of another painter (network.anti-aliased", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("anti-aliasing it was trained with", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    private static TrainingResult Train(string output, PainterTrainingOptions options, Action<TrainingProgress> report, CancellationToken cancellation = default, string? photos = null) =>
        PainterTraining.Train([("starry_night.jpg", TestImages.Painting)], TrainingPhotos.Open(photos ?? Path.Combine(Path.GetDirectoryName(output)!, "photos"), _ => { }), options, output, new Progress(report), cancellation);

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
