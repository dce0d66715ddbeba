using NeuralStyle.Images;
using NeuralStyle.Quality;
using NeuralStyle.Tests.Video;
using NeuralStyle.Video;

namespace NeuralStyle.Tests.Quality;

public sealed class WarpingErrorTests
{
    [Fact]
    public void GivenAClipThatFollowsItsMotion_WhenMeasured_ThenItsErrorIsAboutZeroAndFlickerOfAllColoursCostsItsSquarePerChannel()
    {
        var clip = new MovingClip(96, 72);
        (FlowField, Reliability) Motion(int t) => (clip.Backward(t), Reliability.Check(clip.Backward(t), clip.Forward(t)));

        // Darkened to leave room above, then every other frame 51 levels (0.2) brighter: each pair differs by 0.2 in each channel.
        var frames = Enumerable.Range(0, 3).Select(t => clip.Frame(t)).Select(f => new RgbImage(f.Width, f.Height, [.. f.Pixels.Select(p => (byte)(p * 200 / 255))])).ToList();
        var flickering = frames.Select((f, t) => t % 2 == 0 ? f : new RgbImage(f.Width, f.Height, [.. f.Pixels.Select(p => (byte)(p + 51))])).ToList();

        var steady = WarpingError.OfClip(frames, Motion);
        var flicker = WarpingError.OfClip(flickering, Motion);

        Assert.InRange(steady, 0, 2e-3);
        Assert.InRange(flicker, (3 * 0.04) - 0.01, (3 * 0.04) + 0.01);
        Assert.Throws<StyleTransferException>(() => WarpingError.OfClip(frames[..1], Motion));
    }
}
