using NeuralStyle.Objective.Terms;
using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Video;

/// <summary>
/// The temporal term of a video's frame (Ruder, Dosovitskiy &amp; Brox 2016): γ · (1/D) Σ_j Σ c_j (x − t_j)²,
/// D = W·H·C, pulling the picture toward earlier frames' results t_j warped onto this frame, by their
/// weights c_j; its gradient 2γ/D Σ_j c_j (x − t_j).
/// </summary>
/// <param name="Weight">γ, per squared 0–255 level.</param>
/// <param name="Targets">Each earlier result warped onto this frame, RGB 0–255 [1, 3, H, W], with its weights 0–1 [1, 1, H, W]; the caller's tensors.</param>
internal sealed record TemporalTerm(double Weight, IReadOnlyList<(Tensor Target, Tensor Weights)> Targets) : IPixelTerm
{
    /// <inheritdoc />
    public TermGroup Group => TermGroup.Temporal;

    /// <inheritdoc />
    public Tensor Evaluate(Tensor pictures, EvaluationContext context, Tensor? gradient)
    {
        var value = zeros(1, dtype: float64, device: pictures.device);
        using var noGradient = no_grad();
        var scale = Weight / pictures.numel();
        foreach (var (target, weights) in Targets)
        {
            var difference = pictures.detach() - target;
            var weighted = difference.mul(weights);
            value.PlusInPlace(weighted.mul(difference).sum().to(float64).Times(scale).reshape(1));
            gradient?.PlusInPlace(weighted, 2 * scale);
        }

        return value;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
