using NeuralStyle.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.FastPainters;

/// <summary>The temporal loss of both kinds of training motion.</summary>
internal static class TemporalLoss
{
    /// <summary>
    /// The mean over the positions inside (weighted by <paramref name="inside"/>) of the squared
    /// difference between the pictures of the second frames and the first frames' pictures carried to
    /// them, RGB in 0–1, summed over the channels.
    /// </summary>
    public static Tensor Of(Tensor picturesOfSecond, Tensor picturesCarried, Tensor inside)
    {
        using var scope = NewDisposeScope();
        var difference = picturesOfSecond.sub(picturesCarried).Over(255).Squared().sum(1, keepdim: true);
        return difference.mul(inside).sum().div(inside.sum().AtLeast(1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The feature-level term (Gao et al., ReCoNet 2018): the mean over the cells inside of the mean
    /// squared difference between the features of the second frames and the first frames' carried to
    /// them, at the features' coarser resolution. The motion comes as the pictures' sampling grid
    /// [N, H, W, 2] (grid_sample's, corners not aligned) and their mask [N, 1, H, W]: a cell's
    /// place is the mean of its pixels', and a cell counts only where all of its pixels do.
    /// </summary>
    public static Tensor OfFeatures(Tensor featuresOfSecond, Tensor featuresOfFirst, Tensor grid, Tensor inside)
    {
        using var scope = NewDisposeScope();
        var factor = inside.shape[2] / featuresOfSecond.shape[2];
        var cells = nn.functional.avg_pool2d(grid.permute(0, 3, 1, 2), factor).permute(0, 2, 3, 1);
        var whole = nn.functional.max_pool2d(inside.neg(), factor).neg();
        var carried = nn.functional.grid_sample(featuresOfFirst, cells, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
        var difference = featuresOfSecond.sub(carried).Squared().mean([1], keepdim: true);
        return difference.mul(whole).sum().div(whole.sum().AtLeast(1)).MoveToOuterDisposeScope();
    }
}
