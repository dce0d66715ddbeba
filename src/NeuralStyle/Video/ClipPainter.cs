using NeuralStyle.Images;
using NeuralStyle.Optimization;
using NeuralStyle.Planning;

namespace NeuralStyle.Video;

/// <summary>How a clip's later frames are held to the earlier ones; each null takes the network's default.</summary>
/// <param name="TemporalWeight">γ of the temporal term (<see cref="Networks.NetworkDefaults.TemporalWeight"/>).</param>
/// <param name="FrameIterations">Iterations of each frame after the first, which starts from its predecessor's result: by default half the first frame's, at most the network's <see cref="Networks.NetworkDefaults.FrameIterations"/>.</param>
public sealed record VideoOptions(double? TemporalWeight = null, int? FrameIterations = null);

/// <summary>
/// Paints the frames of a clip in order after Ruder, Dosovitskiy &amp; Brox (2016): one network and one
/// reading of the paintings for the whole clip, one colour map (the first frame's), and each frame after
/// the first started from its predecessor's result warped onto it and held to the earlier results by the
/// temporal term, where their flows are reliable.
/// </summary>
/// <remarks>A clip painter paints one frame at a time, as a <see cref="Painter"/> does.</remarks>
public sealed class ClipPainter : IDisposable
{
    private readonly Painter painter;
    private readonly Func<RgbImage, RgbImage>? colours;

    /// <summary>Loads the network, as <see cref="Painter"/> does, and fixes the clip's colours from <paramref name="firstFrame"/>.</summary>
    /// <exception cref="StyleTransferException">As <see cref="Painter"/>'s, or impossible video options.</exception>
    public ClipPainter(StyleSources styles, StyleTransferOptions options, VideoOptions video, RgbImage firstFrame)
    {
        StyleTransfer.Require(video.TemporalWeight is null or >= 0, nameof(VideoOptions.TemporalWeight), $"{video.TemporalWeight}: must be 0 or more");
        StyleTransfer.Require(video.FrameIterations is null or > 0, nameof(VideoOptions.FrameIterations), $"{video.FrameIterations}: must be at least 1");
        painter = new Painter(styles, options);
        var job = painter.Job;
        var scales = ScaleSchedule.LongestSides(options.Size, options.Scales ?? job.Defaults.Scales).Count;
        FirstIterations = job.Synthesis.Iterations * scales;
        FrameIterations = video.FrameIterations ?? Math.Max(1, Math.Min(FirstIterations / 2, job.Defaults.FrameIterations));
        TemporalWeight = video.TemporalWeight ?? job.Defaults.TemporalWeight;
        colours = painter.ClipColours(firstFrame);
    }

    /// <summary>The network it paints with.</summary>
    public Networks.NetworkKind Network => painter.Network;

    /// <summary>The first frame's iterations, over all its scales.</summary>
    public int FirstIterations { get; }

    /// <summary>Each later frame's iterations.</summary>
    public int FrameIterations { get; }

    /// <summary>γ, the temporal term's weight.</summary>
    public double TemporalWeight { get; }

    /// <summary>Paints the clip's first frame as a still picture (coarse to fine), in the clip's colours.</summary>
    public StyleTransferResult PaintFirst(RgbImage frame, IProgress<StepProgress>? progress = null, CancellationToken cancellation = default) =>
        painter.Paint(frame, colours, null, progress, null, cancellation);

    /// <summary>
    /// Paints a later frame from <paramref name="earlier"/>: earlier frames' results warped onto this
    /// frame, each with its flow's reliability, closest first (the first is the previous frame's, which
    /// the picture starts from, where its reliability is 1, and the frame itself where it is 0). Where
    /// several are reliable the closest counts: each weight is what the closer ones leave (artistic-videos'
    /// "closest first"). Give maps that <see cref="Reliability.AgreeingWith"/> has checked against the
    /// frames themselves, as the command line does: a consistent but wrong flow otherwise leaves smears.
    /// </summary>
    /// <exception cref="ArgumentException">No earlier result is given.</exception>
    public StyleTransferResult PaintNext(RgbImage frame, IReadOnlyList<(RgbImage Warped, Reliability Reliability)> earlier, IProgress<StepProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (earlier.Count == 0)
        {
            throw new ArgumentException("a later frame needs its predecessor's result", nameof(earlier));
        }

        var guide = new FrameGuide(earlier[0].Warped, ClosestFirst(earlier), TemporalWeight, FrameIterations);
        return painter.Paint(frame, colours, guide.Continuation, progress, null, cancellation);
    }

    /// <inheritdoc />
    public void Dispose() => painter.Dispose();

    // c_j ← max(0, c_j − Σ_{k<j} c_k), the c_k already reduced: a pixel that a closer frame holds is left to it.
    private static List<(RgbImage, Reliability)> ClosestFirst(IReadOnlyList<(RgbImage Warped, Reliability Reliability)> earlier)
    {
        var taken = new float[earlier[0].Reliability.Weights.Length];
        var result = new List<(RgbImage, Reliability)>();
        foreach (var (warped, reliability) in earlier)
        {
            var weights = reliability.Weights.Select((c, p) => Math.Max(0, c - taken[p])).ToArray();
            for (var p = 0; p < taken.Length; p++)
            {
                taken[p] += weights[p];
            }

            result.Add((warped, new Reliability(reliability.Width, reliability.Height, weights)));
        }

        return result;
    }
}
