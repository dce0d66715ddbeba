using NeuralStyle.FastPainters;
using NeuralStyle.Images;
using NeuralStyle.Optimization;

namespace NeuralStyle.Tests.FastPainters;

[Collection(TinyPainterCollection.Name)]
public sealed class PainterTrainingTests(TinyPainter tiny)
{
    [Fact]
    public void GivenATinyPainter_WhenTrained_ThenItsLossFalls()
    {
        var first = tiny.Losses.Take(5).Average();
        var last = tiny.Losses.TakeLast(5).Average();

        Assert.Equal(TinyPainter.Options.Iterations, tiny.Losses.Count);
        Assert.True(last < 0.7 * first, $"loss {first:G4} over the first 5 steps, {last:G4} over the last 5");
    }

    [Fact]
    public void GivenATinyPainter_WhenTrained_ThenItWritesThePainterItsCheckpointThePreviewAndTheLossCurve()
    {
        var folder = Path.GetDirectoryName(tiny.File)!;

        Assert.False(tiny.Result.Stopped);
        Assert.Equal(["tiny.loss.svg", "tiny.onnx", "tiny.onnx.checkpoint", "tiny.preview.png"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("<polyline", File.ReadAllText(Path.Combine(folder, "tiny.loss.svg")), StringComparison.Ordinal);
        Assert.True(ImageFile.Load(Path.Combine(folder, "tiny.preview.png")).Width > 3 * 64);
    }

    [Theory]
    [InlineData(2000, 0)]
    [InlineData(0, 100)]
    [InlineData(0, 0)]
    public void GivenEitherTemporalWeight_WhenAFewStepsAreTaken_ThenATemporalLossIsCountedOnlyWhenOneIsOn(double temporalWeight, double featureTemporalWeight)
    {
        using var folder = new TempFolder();
        var temporal = new List<double>();

        PainterTraining.Train([("starry_night.jpg", TestImages.Painting)], TrainingPhotos.Open(tiny.Photos, _ => { }), TinyPainter.Options with { Iterations = 2, PreviewEvery = 0, TemporalWeight = temporalWeight, FeatureTemporalWeight = featureTemporalWeight }, folder.File("p.onnx"), new SynchronousProgress<TrainingProgress>(p => temporal.Add(p.Loss.Temporal)));

        Assert.Equal(2, temporal.Count);
        Assert.All(temporal, t => Assert.True(temporalWeight + featureTemporalWeight > 0 ? t > 0 : t == 0, $"temporal {t}"));
    }
}
