using NeuralStyle.Platform;
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
}
