using NeuralStyle.Images;
using NeuralStyle.Video;

namespace NeuralStyle.Cli.Video;

/// <summary>
/// <c>video --painter --flow-blend S</c>: each painted frame mixed with the previous result warped
/// onto it along OpenCV's flow, by S where the flow is reliable and not at all where it is not, for
/// the last of the flicker that a painter's training leaves, at the flow's cost (two flows a frame).
/// </summary>
internal sealed class FlowBlend(double share)
{
    private (RgbImage Frame, RgbImage Result)? previous;

    /// <summary>The result for <paramref name="frame"/>, painted as <paramref name="painted"/>; frames come in order.</summary>
    public RgbImage Next(RgbImage frame, RgbImage painted)
    {
        var result = previous is { } p ? Blend(frame, painted, p.Frame, p.Result) : painted;
        previous = (frame, result);
        return result;
    }

    private RgbImage Blend(RgbImage frame, RgbImage painted, RgbImage earlierFrame, RgbImage earlierResult)
    {
        var (backward, reliability) = OpticalFlow.Back(earlierFrame, frame);
        var weights = reliability.AgreeingWith(frame, Warping.Warp(earlierFrame, backward)).Weights;
        var warped = Warping.Warp(earlierResult, backward).Pixels;
        var pixels = new byte[painted.Pixels.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            var mix = share * weights[i / 3];
            pixels[i] = (byte)Math.Round(painted.Pixels[i] + (mix * (warped[i] - painted.Pixels[i])));
        }

        return new RgbImage(painted.Width, painted.Height, pixels);
    }
}
