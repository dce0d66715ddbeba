using NeuralStyle.Images;
using NeuralStyle.Platform;
using NeuralStyle.Video;
using static TorchSharp.torch;

namespace NeuralStyle.Quality;

/// <summary>
/// Temporal consistency as the warping error of Lai et al. 2018: how much each frame differs from the
/// frame before it brought along the motion, where the motion is reliable.
/// </summary>
public static class WarpingError
{
    /// <summary>
    /// Σ c ‖x_i − ω(x_{i−1})‖² / Σ c for one pair, RGB in 0–1: <paramref name="flow"/> leads from frame i
    /// to frame i − 1 and <paramref name="reliability"/> is c (the norm is over the three channels).
    /// </summary>
    public static double OfPair(RgbImage previous, RgbImage current, FlowField flow, Reliability reliability) =>
        OverEachMask(previous, current, flow, [reliability])[0];

    // OfPair for each of the masks, the earlier frame warped once for them all.
    private static double[] OverEachMask(RgbImage previous, RgbImage current, FlowField flow, Reliability[] masks)
    {
        using var scope = NewDisposeScope();
        var warped = Warping.Warp(ImageTensor.ToTensor(previous, float64, CPU), flow);
        var x = ImageTensor.ToTensor(current, float64, CPU);
        var squared = (x - warped).Over(255).Squared().sum([1], keepdim: true);
        return [.. masks.Select(mask =>
        {
            var c = mask.ToTensor(CPU).to(float64);
            var weight = c.sum().Value();
            return weight == 0 ? 0 : squared.mul(c).sum().Value() / weight;
        })];
    }

    /// <summary>
    /// The mean of <see cref="OfPair"/> over the clip's consecutive pairs: <paramref name="pairs"/>
    /// gives, for frame i (from 1), the flow from it to frame i − 1 and that flow's reliability.
    /// </summary>
    public static double OfClip(IReadOnlyList<RgbImage> frames, Func<int, (FlowField Flow, Reliability Reliability)> pairs)
    {
        if (frames.Count < 2)
        {
            throw new StyleTransferException($"the warping error needs two frames or more, got {frames.Count}");
        }

        return Enumerable.Range(1, frames.Count - 1).Average(i =>
        {
            var (flow, reliability) = pairs(i);
            return OfPair(frames[i - 1], frames[i], flow, reliability);
        });
    }

    /// <summary>
    /// The warping error of <paramref name="pictures"/> painted from <paramref name="clip"/> beside
    /// the clip's own, along the clip's motion (<paramref name="pairs"/> as for <see cref="OfClip"/>),
    /// over all of each pair's reliable positions and over those where the clip's frames agree
    /// (<see cref="Reliability.AgreeingWith"/>): there the scene stood still, and what changes in the
    /// pictures beyond the clip's own noise is the painter's flicker.
    /// </summary>
    /// <exception cref="StyleTransferException">Fewer than two frames, or a clip of another length.</exception>
    public static PaintedClipErrors OfPaintedClip(IReadOnlyList<RgbImage> pictures, IReadOnlyList<RgbImage> clip, Func<int, (FlowField Flow, Reliability Reliability)> pairs)
    {
        if (pictures.Count < 2 || clip.Count != pictures.Count)
        {
            throw new StyleTransferException($"the warping error needs two frames or more and a clip of as many, got {pictures.Count} and {clip.Count}");
        }

        var each = Enumerable.Range(1, pictures.Count - 1).Select(i =>
        {
            var (flow, reliability) = pairs(i);
            var still = reliability.AgreeingWith(clip[i], Warping.Warp(clip[i - 1], flow));
            var share = reliability.Weights.Sum() is var all and > 0 ? still.Weights.Sum() / all : 0;
            var (picturesError, clipError) = (OverEachMask(pictures[i - 1], pictures[i], flow, [reliability, still]), OverEachMask(clip[i - 1], clip[i], flow, [reliability, still]));
            return new PaintedClipErrors(picturesError[0], clipError[0], picturesError[1], clipError[1], share);
        }).ToList();
        return PaintedClipErrors.Mean(each);
    }
}

/// <summary>
/// A painted clip's warping errors (<see cref="WarpingError.OfPaintedClip"/>), each the mean over the
/// pairs of consecutive frames.
/// </summary>
/// <param name="Pictures">The painted frames' error where the flow is reliable.</param>
/// <param name="Clip">The clip's own frames' error there: its noise, and what its flow gets wrong.</param>
/// <param name="PicturesWhereStill">The painted frames' error where, besides, the clip's frames agree.</param>
/// <param name="ClipWhereStill">The clip's own error there.</param>
/// <param name="StillShare">The share of the reliable weight where the clip's frames agree.</param>
public sealed record PaintedClipErrors(double Pictures, double Clip, double PicturesWhereStill, double ClipWhereStill, double StillShare)
{
    /// <summary>The mean of each error over <paramref name="errors"/> (pairs or samples of pairs).</summary>
    public static PaintedClipErrors Mean(IReadOnlyCollection<PaintedClipErrors> errors) =>
        new(errors.Average(e => e.Pictures), errors.Average(e => e.Clip), errors.Average(e => e.PicturesWhereStill), errors.Average(e => e.ClipWhereStill), errors.Average(e => e.StillShare));
}
