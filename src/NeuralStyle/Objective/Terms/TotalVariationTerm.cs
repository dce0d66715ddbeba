using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Objective.Terms;

/// <summary>w Σ (x[i, j+1] − x[i, j])² + (x[i+1, j] − x[i, j])², which smooths the picture.</summary>
internal sealed class TotalVariationTerm(double weight) : IPixelTerm
{
    /// <inheritdoc />
    public TermGroup Group => TermGroup.TotalVariation;

    /// <inheritdoc />
    public Tensor Evaluate(Tensor pictures, EvaluationContext context, Tensor? gradient)
    {
        using (enable_grad())
        {
            var leaf = gradient is null ? pictures : pictures.detach().requires_grad_(true);
            var term = Losses.TotalVariation(leaf).Times(weight);
            if (gradient is not null)
            {
                gradient.PlusInPlace(autograd.grad([term], [leaf])[0]);
            }

            return term.detach().to(float64).reshape(1);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
