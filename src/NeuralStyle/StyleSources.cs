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

    /// <summary>
    /// Reads the paintings files name, the one call every front end makes: checks
    /// <paramref name="options"/>, reads the paintings (and a coarse one) at the side the options paint
    /// them at (<see cref="StyleTransfer.PaintingSide"/>) and the masks at the picture's size, and checks
    /// them against the options.
    /// </summary>
    /// <exception cref="StyleTransferException">Bad options, a missing or undecodable file, or paintings that do not match the options.</exception>
    public static StyleSources Load(IReadOnlyList<string> paintings, StyleTransferOptions options, IReadOnlyList<string>? masks = null, string? coarse = null) =>
        Read(paintings, options, ImageFile.Load, masks, coarse);

    /// <summary>
    /// Reads the paintings as <see cref="Load"/> does, from whatever a front end holds (an upload, a
    /// stored file), each decoded by <paramref name="decode"/> at the longest side it is given.
    /// </summary>
    /// <exception cref="StyleTransferException">Bad options, a picture <paramref name="decode"/> refuses, or paintings that do not match the options.</exception>
    public static StyleSources Read<T>(IReadOnlyList<T> paintings, StyleTransferOptions options, Func<T, int, RgbImage> decode, IReadOnlyList<T>? masks = null, T? coarse = null)
        where T : class
    {
        StyleTransfer.Validate(options);
        var side = StyleTransfer.PaintingSide(options, options.Size, options.Size);
        var styles = new StyleSources([.. paintings.Select(p => decode(p, side))])
        {
            Masks = masks is null or { Count: 0 } ? null : [.. masks.Select(m => decode(m, options.Size))],
            Coarse = coarse is null ? null : decode(coarse, side),
        };
        StyleTransfer.Validate(styles, options);
        return styles;
    }
}
