using NeuralStyle.FastPainters;
using NeuralStyle.Images;

namespace NeuralStyle.Tests.FastPainters;

/// <summary>
/// A painter trained once for the tests that need one: 64 px crops of four photos, 40 steps, narrow
/// widths; seconds on this machine. Its loss at each step is kept.
/// </summary>
public sealed class TinyPainter : IDisposable
{
    private readonly TempFolder folder = new();

    public TinyPainter()
    {
        Photos = PhotoFolder(folder.Path, "photos");
        var losses = new List<double>();
        Result = PainterTraining.Train([("starry_night.jpg", TestImages.Painting)], TrainingPhotos.Open(Photos, _ => { }), Options, File, new Progress(p => losses.Add(p.Loss.Total)));
        Losses = losses;
    }

    /// <summary>Small enough to train in seconds, large enough to learn something.</summary>
    public static PainterTrainingOptions Options { get; } = new() { Size = 64, PhotoSide = 96, Batch = 2, Iterations = 40, Widths = [4, 8, 16], ResidualBlocks = 2, LearningRate = 1e-2, PreviewEvery = 20, CheckpointEvery = 0 };

    public string File => folder.File("tiny.onnx");

    public string Photos { get; }

    public TrainingResult Result { get; }

    public IReadOnlyList<double> Losses { get; }

    /// <summary>A folder of photos in <paramref name="folder"/>: the repository's samples and the shared photos.</summary>
    public static string PhotoFolder(string parent, string name)
    {
        var photos = Directory.CreateDirectory(Path.Combine(parent, name)).FullName;
        foreach (var source in new[] { SharedData.Sample("chelsea.png"), SharedData.Sample("hubble_deep_field.jpg"), TestImages.PhotoPath, SharedData.Image("golden_gate.jpg") })
        {
            System.IO.File.Copy(source, Path.Combine(photos, Path.GetFileName(source)));
        }

        return photos;
    }

    public void Dispose() => folder.Dispose();

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

/// <summary>The test classes that share one tiny painter, trained once for all of them.</summary>
[CollectionDefinition(Name)]
public sealed class TinyPainterCollection : ICollectionFixture<TinyPainter>
{
    public const string Name = "tiny painter";
}
