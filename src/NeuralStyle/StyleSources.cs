using NeuralStyle.Images;

namespace NeuralStyle;

/// <summary>
/// The paintings a picture takes its style from: one or more (blended by
/// <see cref="StyleTransferOptions.StyleBlend"/>, or each in its own region with <see cref="Masks"/>),
/// and optionally another that supplies the coarse structure (Gatys et al. 2017).
/// </summary>
/// <param name="Paintings">The paintings, at least one.</param>
public sealed record StyleSources(IReadOnlyList<RgbImage> Paintings)
{
    /// <summary>
    /// One grey-level image per painting, in their order, white where that painting's style applies
    /// (grey: partly); resized to the photo's size. Pixels that no mask reaches keep the photo (see
    /// <see cref="Objective.GatysObjective.Movable"/>). Null: every painting applies everywhere.
    /// </summary>
    public IReadOnlyList<RgbImage>? Masks { get; init; }

    /// <summary>
    /// A painting that supplies the style layers from <see cref="StyleTransferOptions.CoarseFrom"/> on:
    /// its coarse structure with the fine structure (and the colours) of <see cref="Paintings"/>.
    /// </summary>
    public RgbImage? Coarse { get; init; }

    /// <summary>One painting, everywhere.</summary>
    public static StyleSources Of(RgbImage painting) => new([painting]);
}
