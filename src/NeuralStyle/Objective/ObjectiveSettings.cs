using System.Text.Json.Serialization;

namespace NeuralStyle.Objective;

/// <summary>Which statistics of the responses the style terms compare.</summary>
public enum StyleLoss
{
    /// <summary>Gram matrices, as the paper does: the responses' second moments.</summary>
    Gram,

    /// <summary>
    /// The responses' whole distribution along random directions (Heitz, Vanderhaeghe, Chambon &amp;
    /// Bonneel, "A Sliced Wasserstein Loss for Neural Texture Synthesis", CVPR 2021).
    /// </summary>
    [JsonStringEnumMemberName("sliced-wasserstein")]
    SlicedWasserstein,
}

/// <summary>One evaluation of the objective: each weighted term and their sum.</summary>
/// <param name="Content">α · L_content.</param>
/// <param name="Style">β · L_style, with the reduced copies' style terms and the palette term.</param>
/// <param name="TotalVariation">The weighted total-variation term.</param>
/// <param name="Total">The sum.</param>
/// <param name="Temporal">The weighted temporal term of a video's frame; 0 for a still picture.</param>
public sealed record LossTerms(double Content, double Style, double TotalVariation, double Total, double Temporal = 0);

/// <summary>How the objective weighs and shapes its terms.</summary>
/// <param name="ContentLayers">Content layers (canonical names).</param>
/// <param name="StyleLayers">Style layers with their weights w_l.</param>
/// <param name="ContentWeight">α.</param>
/// <param name="StyleWeight">β.</param>
/// <param name="TvWeight">Weight of the total-variation term.</param>
/// <param name="MeanContentLoss">Average the content loss over the layer's elements instead of the paper's ½ Σ.</param>
/// <param name="SoftmaxSmoothing">
/// Replace each channel's responses by M · softmax over its M positions before both losses (after Wang,
/// Li &amp; Vasconcelos 2021, who smooth the peaky activations of residual networks this way).
/// </param>
/// <param name="PaletteWeight">
/// Weight of the palette term, reported with the style term: the mean squared gap between the
/// picture's colours and the painting's along directions in RGB (<see cref="Terms.PaletteTerm"/>); 0 for none.
/// </param>
/// <param name="Tile">
/// Evaluate a picture whose longest side exceeds this many pixels tile by tile (<see cref="Planning.TileGrid"/>),
/// in memory that a tile with its margins bounds, to the same values and gradient; 0: always whole.
/// </param>
/// <param name="Hold">
/// α's rise where the picture strays from the photo, read from each evaluation's content term and
/// applied at the next (so that a tiled evaluation, which knows the whole term only at its end, weighs
/// as a whole one does); null: α throughout.
/// </param>
/// <param name="Reduced">
/// The style terms taken again on the picture and the unmasked paintings reduced (reported with the
/// style term); left out at a scale whose reduced picture is under 16 pixels on its shorter side or
/// larger than a tile. Null: none.
/// </param>
/// <param name="StyleLoss">What the style terms compare: Gram matrices or sliced distributions.</param>
public sealed record ObjectiveSettings(
    IReadOnlyList<string> ContentLayers,
    IReadOnlyList<(string Layer, double Weight)> StyleLayers,
    double ContentWeight,
    double StyleWeight,
    double TvWeight,
    bool MeanContentLoss = false,
    bool SoftmaxSmoothing = false,
    double PaletteWeight = 0,
    int Tile = 0,
    ContentHold? Hold = null,
    ReducedStyle? Reduced = null,
    StyleLoss StyleLoss = StyleLoss.Gram)
{
    /// <summary>Every layer the objective reads, content and style, each once.</summary>
    public IReadOnlyList<string> Layers => [.. ContentLayers.Union(StyleLayers.Select(s => s.Layer))];
}
