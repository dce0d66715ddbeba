using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Quality;
using NeuralStyle.Video;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Video;

/// <summary>A clip painted with the temporal term against the same frames painted one by one, on both networks.</summary>
public sealed class ClipPainterTests(ITestOutputHelper output)
{
    private const int Frames = 4;

    public static TheoryData<string> Networks => ["resnet18", "vgg19"];

    [Theory]
    [MemberData(nameof(Networks))]
    public void GivenAClipWithKnownMotion_WhenPaintedAsAVideo_ThenItFlickersUnderAThirdAsMuchAsOneByOneAtNoWorseStyle(string network)
    {
        var clip = new MovingClip(96, 72);
        var options = new StyleTransferOptions
        {
            Size = 96,
            Seed = 3,

            // Fewer than the defaults, to keep the suite short (at 30 the flicker is 0.011 and 0.039 of one by
            // one's, and every frame's style within 0.92 of it): the later frames still get half.
            Iterations = 30,
            Network = network == "vgg19" ? NetworkKind.Vgg19 : NetworkKind.ResNet18,
            WeightsPath = network == "vgg19" ? SharedData.TestWeights : null,
        };
        var styles = new StyleSources([TestImages.Painting]);
        var frames = Enumerable.Range(0, Frames).Select(clip.Frame).ToList();

        List<RgbImage> single;
        using (var painter = new Painter(styles, options))
        {
            single = [.. frames.Select(f => painter.Paint(f).Image)];
        }

        var video = new List<RgbImage>();
        int firstIterations, laterIterations;
        using (var painter = new ClipPainter(styles, options, new VideoOptions(), frames[0]))
        {
            var first = painter.PaintFirst(frames[0]);
            (firstIterations, laterIterations) = (first.IterationsRun, 0);
            video.Add(first.Image);
            for (var t = 1; t < Frames; t++)
            {
                var next = painter.PaintNext(frames[t], [(Warping.Warp(video[t - 1], clip.Backward(t)), Reliability.Check(clip.Backward(t), clip.Forward(t)))]);
                laterIterations = Math.Max(laterIterations, next.IterationsRun);
                video.Add(next.Image);
            }
        }

        (FlowField, Reliability) Motion(int t) => (clip.Backward(t), Reliability.Check(clip.Backward(t), clip.Forward(t)));
        var (videoError, singleError) = (WarpingError.OfClip(video, Motion), WarpingError.OfClip(single, Motion));
        var (videoStyle, singleStyle) = (StyleDistances(video, frames), StyleDistances(single, frames));
        output.WriteLine($"{network}: warping error {videoError:0.000000} video, {singleError:0.000000} one by one ({videoError / singleError:0.000}); style {string.Join(", ", videoStyle.Zip(singleStyle, (v, s) => $"{v / s:0.000}"))} of one by one's; iterations {firstIterations} then {laterIterations}");
        Assert.True(videoError <= 0.3 * singleError, $"warping error {videoError} against {singleError}");
        Assert.All(videoStyle.Zip(singleStyle), d => Assert.True(d.First <= 1.1 * d.Second, $"style {d.First} against {d.Second}"));
        Assert.True(laterIterations * 2 <= firstIterations, $"{laterIterations} iterations after the first frame's {firstIterations}");
    }

    private static double[] StyleDistances(List<RgbImage> pictures, List<RgbImage> photos)
    {
        using var reference = new Vgg(NeuralStyle.Networks.Weights.VggWeights.Load(SharedData.PartialCaffeWeights), Pooling.Max);
        var (width, height) = TestImages.Painting.SizeWithLongestSide(96);
        var painting = ImageFile.Resize(TestImages.Painting, width, height);
        return [.. pictures.Select((p, i) =>
        {
            using var scope = NewDisposeScope();
            return VggDistances.Measure(reference, ImageTensor.ToTensor(p, float32, CPU), ImageTensor.ToTensor(photos[i], float32, CPU), ImageTensor.ToTensor(painting, float32, CPU)).Style;
        })];
    }
}
