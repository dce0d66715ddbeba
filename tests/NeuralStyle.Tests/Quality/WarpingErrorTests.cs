using NeuralStyle.Images;
using NeuralStyle.Quality;
using NeuralStyle.Tests.Video;
using NeuralStyle.Video;

namespace NeuralStyle.Tests.Quality;

public sealed class WarpingErrorTests
{
    private static readonly MovingClip Clip = new(96, 72);

    private static (FlowField, Reliability) Motion(int t) => (Clip.Backward(t), Reliability.Check(Clip.Backward(t), Clip.Forward(t)));

    // The clip's frames darkened to leave room above, each pixel changed by `change` (position, value).
    private static List<RgbImage> Frames(int count, Func<int, int, int, byte>? change = null) =>
        [.. Enumerable.Range(0, count).Select(t => Clip.Frame(t)).Select((f, t) => new RgbImage(f.Width, f.Height, [.. f.Pixels.Select((p, i) => change?.Invoke(t, i, p * 200 / 255) ?? (byte)(p * 200 / 255))]))];

    // Every other frame 51 levels (0.2) brighter: each pair differs by 0.2 in each channel.
    private static List<RgbImage> Flickering(int count) => Frames(count, (t, _, p) => (byte)(t % 2 == 0 ? p : p + 51));

    [Fact]
    public void GivenAClipThatFollowsItsMotion_WhenMeasured_ThenItsErrorIsAboutZeroAndFlickerOfAllColoursCostsItsSquarePerChannel()
    {
        var frames = Frames(3);

        var steady = WarpingError.OfClip(frames, Motion);
        var flicker = WarpingError.OfClip(Flickering(3), Motion);

        Assert.InRange(steady, 0, 2e-3);
        Assert.InRange(flicker, (3 * 0.04) - 0.01, (3 * 0.04) + 0.01);
        Assert.Throws<StyleTransferException>(() => WarpingError.OfClip(frames[..1], Motion));
    }

    [Fact]
    public void GivenAPaintedClipThatFlickersWhereItsClipStandsStill_WhenMeasuredBesideItsClip_ThenTheFlickerIsWhereTheClipAgreesAndTheClipsOwnErrorIsAboutZero()
    {
        var frames = Frames(3);

        var itself = WarpingError.OfPaintedClip(frames, frames, Motion);
        var painted = WarpingError.OfPaintedClip(Flickering(3), frames, Motion);

        Assert.Equal(itself.Pictures, itself.Clip, 12);
        Assert.InRange(itself.Clip, 0, 2e-3);
        Assert.InRange(painted.StillShare, 0.9, 1);
        Assert.InRange(painted.PicturesWhereStill, (3 * 0.04) - 0.01, (3 * 0.04) + 0.01);
        Assert.InRange(painted.ClipWhereStill, 0, 2e-3);
        Assert.Throws<StyleTransferException>(() => WarpingError.OfPaintedClip(Flickering(3), frames[..2], Motion));
    }

    [Fact]
    public void GivenAClipWhoseOwnFramesChangeWhereTheFlowSaysNothingMoved_WhenMeasured_ThenThatChangeIsLeftOutOfTheStillPart()
    {
        // A light that goes on in the second frame's top-left quarter: the flow does not see it, the frames do.
        var frames = Frames(2, (t, i, p) => (byte)(t == 1 && i / 3 % 96 < 48 && i / 3 / 96 < 36 ? 255 : p));

        var errors = WarpingError.OfPaintedClip(frames, frames, Motion);

        Assert.InRange(errors.StillShare, 0.6, 0.85);
        Assert.True(errors.Clip > 0.01, $"the light costs the whole clip's error: {errors.Clip}");
        Assert.InRange(errors.ClipWhereStill, 0, 2e-3);
    }
}
