using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Objective.Terms;

/// <summary>
/// w · the mean squared gap between the picture's colours and the paintings' along directions in RGB
/// (<see cref="Losses.PaletteWithGradient(Tensor, Tensor, Tensor, double, Tensor?)"/>), reported with the
/// style term: the unmasked paintings' quantiles blended by their shares, and each masked painting's
/// compared with the colours in its region.
/// </summary>
internal sealed class PaletteTerm : IPixelTerm
{
    // The colours are compared along a fixed set of 32 directions, of which each evaluation takes the
    // next 4 (a fifth of the cost of all of them; over the iterations that Adam's moments average, the
    // whole set acts).
    private const int Directions = 32;
    private const int DirectionsPerEvaluation = 4;
    private const int Quantiles = 1024;

    private readonly double weight;
    private readonly Tensor directions;
    private readonly List<(Tensor Quantiles, double Weight, Tensor? Mask)> targets = [];

    /// <summary>Reads the colours of the paintings whose colours are a target (<see cref="StyleImage.Colors"/>).</summary>
    public PaletteTerm(IReadOnlyList<StyleImage> styles, double weight, Device device)
    {
        this.weight = weight;
        using var noGradient = no_grad();
        directions = Losses.RandomDirections(Directions, seed: 1).to(device).DetachFromDisposeScope();
        var colored = styles.Where(s => s.Colors).ToList();
        var blended = colored.Where(s => s.Mask is null).ToList();
        var total = blended.Sum(s => s.Weight);
        if (total > 0)
        {
            var quantiles = blended.Select(s => Losses.ColorQuantiles(s.Rgb, directions, Quantiles).Times(s.Weight / total)).Aggregate((a, b) => a.Plus(b));
            targets.Add((quantiles.DetachFromDisposeScope(), 1, null));
        }

        targets.AddRange(colored.Where(s => s.Mask is not null).Select(s =>
            (Losses.ColorQuantiles(s.Rgb, directions, Quantiles).DetachFromDisposeScope(), s.Weight, (Tensor?)s.Mask!.reshape(1, -1).detach().DetachFromDisposeScope())));
    }

    /// <inheritdoc />
    public TermGroup Group => TermGroup.Style;

    /// <inheritdoc />
    public Tensor Evaluate(Tensor pictures, EvaluationContext context, Tensor? gradient)
    {
        using var noGradient = no_grad();
        var first = context.Evaluation % (Directions / DirectionsPerEvaluation) * DirectionsPerEvaluation;
        var some = directions.narrow(0, first, DirectionsPerEvaluation);
        Tensor? palette = null;
        foreach (var (quantiles, share, mask) in targets)
        {
            var wanted = quantiles.narrow(0, first, DirectionsPerEvaluation);
            var (value, pixelGradient) = Gradients.PerPicture(pictures, picture => Losses.PaletteWithGradient(picture, some, wanted, weight * share, mask));
            palette = palette is null ? value : palette.Plus(value);
            gradient?.PlusInPlace(pixelGradient);
        }

        return palette ?? zeros(1, dtype: float64, device: pictures.device);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        directions.Dispose();
        foreach (var (quantiles, _, mask) in targets)
        {
            quantiles.Dispose();
            mask?.Dispose();
        }
    }
}
