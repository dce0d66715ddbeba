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
    public static double OfPair(RgbImage previous, RgbImage current, FlowField flow, Reliability reliability)
    {
        using var scope = NewDisposeScope();
        var warped = Warping.Warp(ImageTensor.ToTensor(previous, float64, CPU), flow);
        var x = ImageTensor.ToTensor(current, float64, CPU);
        var c = reliability.ToTensor(CPU).to(float64);
        var weight = c.sum().Value();
        return weight == 0 ? 0 : (x - warped).Over(255).Squared().sum([1], keepdim: true).mul(c).sum().Value() / weight;
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
}
