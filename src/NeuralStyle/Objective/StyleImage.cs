using static TorchSharp.torch;

namespace NeuralStyle.Objective;

/// <summary>A painting as the objective reads it.</summary>
/// <param name="Rgb">The painting, RGB 0–255 [1, 3, H, W], at the size whose strokes the picture should take.</param>
/// <param name="Weight">
/// Its share: the unmasked paintings that supply a layer are blended by their shares (normalised among
/// them); a masked painting's loss is multiplied by its share.
/// </param>
/// <param name="Mask">Where in the picture it applies, 0–1 [1, 1, H, W] at the photo's size; null: everywhere.</param>
/// <param name="Layers">The style layers it supplies (canonical names); null: all of them.</param>
/// <param name="Colors">Whether its colours are a target of the palette term.</param>
/// <param name="GramScale">
/// What its Gram matrices are multiplied by: the painting's positions as the paper reads it (its
/// longest side the picture's) over its positions as given, so that a painting read larger or smaller
/// asks for the same statistics per position.
/// </param>
public sealed record StyleImage(Tensor Rgb, double Weight = 1, Tensor? Mask = null, IReadOnlyCollection<string>? Layers = null, bool Colors = true, double GramScale = 1)
{
    /// <summary>Whether it supplies <paramref name="layer"/>.</summary>
    public bool Supplies(string layer) => Layers?.Contains(layer) ?? true;
}
