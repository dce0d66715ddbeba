using NeuralStyle.FastPainters;
using NeuralStyle.Quality;
using NeuralStyle.Tests.Video;
using NeuralStyle.Video;

namespace NeuralStyle.Tests.FastPainters;

public sealed class PainterSteadinessTests
{
    // Strong enough to show within the tiny painter's 40 steps: its anti-aliased network already
    // flickers little without the loss, and the default weight's gain is lost in that short a run.
    private const double TemporalWeight = 20_000;

    // A tiny painter trained with the given temporal weight paints the clip with known motion; the
    // warping error along its true flow.
    private static double WarpingErrorOfPainterTrainedWith(double temporalWeight, TempFolder folder)
    {
        var file = folder.File($"temporal-{temporalWeight}.onnx");
        var photos = TinyPainter.PhotoFolder(folder.Path, $"photos-{temporalWeight}");
        PainterTraining.Train([("starry_night.jpg", TestImages.Painting)], TrainingPhotos.Open(photos, _ => { }), TinyPainter.Options with { TemporalWeight = temporalWeight, PreviewEvery = 0 }, file);
        using var painter = FastPainter.Load(file);
        var clip = new MovingClip(96, 72);
        var frames = Enumerable.Range(0, 4).Select(t => painter.Paint(clip.Frame(t))).ToList();
        return WarpingError.OfClip(frames, i => (clip.Backward(i), Reliability.Check(clip.Backward(i), clip.Forward(i))));
    }

    [Fact]
    public void GivenTheSameTrainingWithAndWithoutTheTemporalLoss_WhenEachPaintsAMovingClip_ThenTheOneWithItFlickersLess()
    {
        using var folder = new TempFolder();

        var without = WarpingErrorOfPainterTrainedWith(0, folder);
        var with = WarpingErrorOfPainterTrainedWith(TemporalWeight, folder);

        Assert.True(with < 0.8 * without, $"warping error {with:0.00000} with the temporal loss, {without:0.00000} without");
    }
}
