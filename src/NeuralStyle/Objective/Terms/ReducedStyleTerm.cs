using NeuralStyle.Images;
using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Objective.Terms;

/// <summary>
/// A style term taken again on the picture reduced <paramref name="factor"/> times, against the
/// unmasked paintings reduced alike (<see cref="ReducedStyle"/>): the picture is shifted as the
/// full-size one is, reduced by area averaging, read whole, and the gradient flows back through the
/// reduction.
/// </summary>
/// <param name="reader">The network as the objective reads it.</param>
/// <param name="factor">How many times smaller the copies are on each side.</param>
/// <param name="style">The style term on the reduced paintings, each layer's weight times the share.</param>
internal sealed class ReducedStyleTerm(ResponseReader reader, int factor, IResponseTerm style) : IPixelTerm
{
    // Below this, the deepest of the built-in network's style layers would see the reduced picture
    // in one or two positions a side: no statistics to match.
    private const int SmallestSide = 16;

    /// <summary>The style term on the reduced copies.</summary>
    public IResponseTerm Style => style;

    /// <inheritdoc />
    public TermGroup Group => TermGroup.Style;

    /// <summary>Whether the term applies to a photo the size of <paramref name="photo"/>: its reduced copy at least 16 pixels a side and read whole.</summary>
    public static bool Applies(ResponseReader reader, Tensor photo, int factor)
    {
        var picture = ScaleImages.Reduced(photo, factor);
        return Math.Min(picture.shape[2], picture.shape[3]) >= SmallestSide && !reader.Tiles(picture);
    }

    /// <inheritdoc />
    public Tensor Evaluate(Tensor pictures, EvaluationContext context, Tensor? gradient)
    {
        var (values, reducedGradient) = reader.Evaluate(pictures, context, [style], style.Layers, gradient is not null, shifted => ScaleImages.Reduced(shifted, factor));
        gradient?.PlusInPlace(reducedGradient!);
        return values[0];
    }

    /// <inheritdoc />
    public void Dispose() => style.Dispose();
}
