using NeuralStyle.Images;
using NeuralStyle.Objective;
using static NeuralStyle.Images.ScaleImages;
using static TorchSharp.torch;

namespace NeuralStyle.Video;

/// <summary>
/// What a video's later frame is painted from: the previous frame's result warped onto it (the start),
/// earlier results warped onto it with the weights of the temporal term, γ, and the iterations.
/// </summary>
/// <param name="Start">The previous frame's result warped onto this frame: where the optimisation starts, where it is reliable.</param>
/// <param name="Earlier">Earlier results warped onto this frame, closest first, each with its weights c_j.</param>
/// <param name="TemporalWeight">
/// γ relative to the objective: a difference of the whole 0–255 range at every reliable pixel costs γ
/// times the objective's value at the start (its content, style and other terms), so that one γ
/// holds for any network, weights and size.
/// </param>
/// <param name="Iterations">The frame's iterations, at its final size only.</param>
internal sealed record FrameGuide(RgbImage Start, IReadOnlyList<(RgbImage Picture, Reliability Weights)> Earlier, double TemporalWeight, int Iterations)
{
    /// <summary>The frame as the painter continues it: from its start, with the temporal term.</summary>
    public Continuation Continuation => new(StartAt, Term, Iterations);

    /// <summary>
    /// Where the optimisation starts, at the size of <paramref name="content"/> (the frame as the
    /// synthesis sees it): the previous result warped onto the frame where its flow is reliable, the
    /// frame itself where it is not, so that what comes into view (or what the flow lost) is painted
    /// from the frame rather than from a smear of the previous result.
    /// </summary>
    public Tensor StartAt(Tensor content)
    {
        var (height, width) = ((int)content.shape[2], (int)content.shape[3]);
        var start = Scaled(Start, width, height, content.device);
        var reliable = Resized(Earlier[0].Weights, width, height).ToTensor(content.device).to(content.dtype);
        return content.lerp(start, reliable);
    }

    /// <summary>The temporal term at the picture's size for an objective worth <paramref name="objectiveAtStart"/> at the start, its tensors in the caller's dispose scope.</summary>
    public TemporalTerm Term(int width, int height, Device device, double objectiveAtStart) => new(
        TemporalWeight * objectiveAtStart / (255.0 * 255.0),
        [.. Earlier.Select(e => (Scaled(e.Picture, width, height, device), Resized(e.Weights, width, height).ToTensor(device)))]);

    private static Reliability Resized(Reliability weights, int width, int height)
    {
        if (weights.Width == width && weights.Height == height)
        {
            return weights;
        }

        using var scope = NewDisposeScope();
        var resized = nn.functional.interpolate(weights.ToTensor(CPU), [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
        return new Reliability(width, height, resized.contiguous().data<float>().ToArray());
    }
}
