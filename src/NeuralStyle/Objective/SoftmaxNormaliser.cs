using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Objective;

/// <summary>
/// One layer's softmax normaliser log Σ exp F for each channel over the whole picture's positions,
/// summed tile by tile: the sum so far is kept as exp(F − c) for a per-channel c raised to the largest
/// response met so far (the sum scaled down with it), so that nothing overflows.
/// </summary>
internal sealed class SoftmaxNormaliser
{
    private Tensor? highest;
    private Tensor? partition;

    /// <summary>The positions summed so far.</summary>
    public double Positions { get; private set; }

    /// <summary>Adds a tile's inner responses [1, C, h, w] (in the caller's outer dispose scope).</summary>
    public void Add(Tensor inner)
    {
        Positions += inner.shape[2] * inner.shape[3];

        // A last tile narrower than a deep layer's stride answers for none of its responses.
        if (inner.numel() == 0)
        {
            return;
        }

        var wide = Losses.Widened(inner);
        var top = wide.amax([0, 2, 3]);
        if (highest is null)
        {
            highest = top.MoveToOuterDisposeScope();
            partition = (wide - highest.reshape(1, -1, 1, 1)).exp_().sum([0, 2, 3]).MoveToOuterDisposeScope();
            return;
        }

        var raised = maximum(highest, top);
        partition!.mul_((highest - raised).exp_()).PlusInPlace((wide - raised.reshape(1, -1, 1, 1)).exp_().sum([0, 2, 3]));
        highest.copy_(raised);
    }

    /// <summary>
    /// Responses smoothed as the whole picture's are: M · exp(F − c) / Σ exp(F − c), as the softmax
    /// itself computes it (F − c small where the responses that matter are, so that float32 keeps their
    /// digits), in float32 at least: a normaliser of a few hundred in bfloat16 would be a unit off in
    /// the exponent. The inner responses are the whole picture's, so their exponent is at most 0; those
    /// in a tile's margin, which see the tile's edge as padding, can be larger, and are capped (at 50,
    /// far from float32's overflow) so that the zero gradient they receive does not become inf × 0.
    /// </summary>
    public Tensor Smooth(Tensor responses)
    {
        var scale = partition!.reciprocal().Times(Positions).reshape(1, -1, 1, 1);
        return ((Losses.Widened(responses) - highest!.reshape(1, -1, 1, 1)).AtMost(50).exp() * scale).to(responses.dtype);
    }
}
