using NeuralStyle.Networks;
using NeuralStyle.Objective.Terms;
using NeuralStyle.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Objective;

/// <summary>
/// The paper's objective α L_content + β Σ_l w_l E_l for a fixed photo and paintings, with the terms
/// that the settings add (the paintings' reduced copies, total variation, the palette): a list of
/// weighted terms, each of which computes its targets once, without gradients, when it is made.
/// </summary>
/// <remarks>
/// One evaluation runs the network once over the picture (or its tiles, <see cref="ObjectiveSettings.Tile"/>),
/// asks every term on its responses for its value and its gradient with respect to them, hands those
/// gradients to one backward pass through the network, and then adds the terms on the pixels
/// themselves. The terms are in <see cref="Terms"/>: a new one is a file there and its setting here.
/// </remarks>
public sealed partial class GatysObjective : IDisposable
{
    private readonly ResponseReader reader;
    private readonly List<IResponseTerm> responseTerms = [];
    private readonly List<IPixelTerm> pixelTerms = [];
    private readonly HashSet<IPixelTerm> lent = [];
    private readonly ContentTerm content;
    private readonly GramStyleTerm? gram;
    private readonly ReducedStyleTerm? reduced;

    /// <summary>Computes the targets from an RGB 0–255 photo and one painting [1, 3, H, W]; layer names must be canonical and within the network.</summary>
    public GatysObjective(IFeatureNetwork network, Tensor contentRgb, Tensor styleRgb, ObjectiveSettings settings)
        : this(network, contentRgb, [new StyleImage(styleRgb)], settings)
    {
    }

    /// <summary>Computes the targets from an RGB 0–255 photo [1, 3, H, W] and paintings; layer names must be canonical and within the network.</summary>
    public GatysObjective(IFeatureNetwork network, Tensor contentRgb, IReadOnlyList<StyleImage> styles, ObjectiveSettings settings)
        : this(network, contentRgb, styles, settings, null)
    {
    }

    /// <summary>
    /// As the public constructor, reading each painting from <paramref name="readings"/> when it holds
    /// it and storing it there when not (the paintings, their layers and the tile setting must be the
    /// ones the readings were made with).
    /// </summary>
    internal GatysObjective(IFeatureNetwork network, Tensor contentRgb, IReadOnlyList<StyleImage> styles, ObjectiveSettings settings, PaintingReadings? readings)
    {
        reader = new ResponseReader(network, settings);
        using var scope = NewDisposeScope();
        content = new ContentTerm(reader, contentRgb, settings);
        responseTerms.Add(content);
        if (Kept(StyleTerm(new StylePaintings(styles, settings.StyleLayers, settings.StyleWeight, readings))) is { } style)
        {
            gram = style as GramStyleTerm;
            responseTerms.Add(style);
        }

        if (settings.Reduced is { } reducedStyle && ReducedStyleTerm.Applies(reader, contentRgb, reducedStyle.Factor))
        {
            var layers = settings.StyleLayers.Select(s => (s.Layer, s.Weight * reducedStyle.Share)).ToList();
            if (Kept(StyleTerm(new StylePaintings(styles, layers, settings.StyleWeight, readings, reducedStyle.Factor))) is { } onReduced)
            {
                reduced = new ReducedStyleTerm(reader, reducedStyle.Factor, onReduced);
                pixelTerms.Add(reduced);
            }
        }

        if (settings.TvWeight != 0)
        {
            pixelTerms.Add(new TotalVariationTerm(settings.TvWeight));
        }

        if (settings.PaletteWeight > 0 && styles.Any(s => s.Colors))
        {
            pixelTerms.Add(new PaletteTerm(styles, settings.PaletteWeight, contentRgb.device));
        }

        if (styles.Any(s => s.Mask is not null))
        {
            Movable = styles.Where(s => s.Mask is not null).Select(s => s.Mask!).Aggregate((a, b) => a.Plus(b)).Above(0).to(contentRgb.dtype).DetachFromDisposeScope();
        }

        IResponseTerm StyleTerm(StylePaintings paintings) => settings.StyleLoss == StyleLoss.SlicedWasserstein
            ? new SlicedWassersteinStyleTerm(reader, paintings)
            : new GramStyleTerm(reader, paintings);
    }

    /// <summary>P: the photo's responses at each content layer.</summary>
    public IReadOnlyDictionary<string, Tensor> ContentTargets => content.Targets;

    /// <summary>A: the Gram matrix of the unmasked paintings' responses at each style layer they supply, blended by their shares (none with another style loss).</summary>
    public IReadOnlyDictionary<string, Tensor> StyleTargets => gram?.Targets ?? new Dictionary<string, Tensor>();

    /// <summary>
    /// The unmasked paintings' Gram matrices, blended by their shares, at each style layer of the copies
    /// reduced <see cref="ReducedStyle.Factor"/> times; empty when the term does not apply at this size.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> ReducedTargets => (reduced?.Style as GramStyleTerm)?.Targets ?? new Dictionary<string, Tensor>();

    /// <summary>
    /// 1 at the pixels some painting's mask reaches and 0 elsewhere, [1, 1, H, W]; null without masks.
    /// The optimisation leaves the pixels at 0 as they start (the photo): the network's receptive fields
    /// would otherwise carry the style's pull across the masks' borders, and Adam's normalised steps move
    /// a pixel as far for a faint pull as for a strong one.
    /// </summary>
    public Tensor? Movable { get; }

    /// <summary>Whether a picture the size of <paramref name="rgb"/> is evaluated tile by tile.</summary>
    public bool Tiles(Tensor rgb) => reader.Tiles(rgb);

    /// <summary>Adds a term on the pixels (a video frame's temporal term), evaluated after the others; it stays its caller's.</summary>
    internal void Add(IPixelTerm term)
    {
        pixelTerms.Add(term);
        lent.Add(term);
    }

    /// <summary>The weighted loss terms at RGB 0–255 pictures [N, 3, H, W] (one picture when tiled).</summary>
    /// <param name="imageRgb">The pictures being made.</param>
    /// <param name="shift">
    /// Rows and columns to roll the pictures (and the photo, for the content target) by before the
    /// network sees them: random shifts at each evaluation keep a strided network from imprinting its
    /// grid. The style statistics do not depend on position, so the style targets stay.
    /// </param>
    /// <param name="evaluation">Which evaluation of a run this is (from 0): it picks the directions the palette and sliced style terms compare along.</param>
    public LossTerms Evaluate(Tensor imageRgb, (int Rows, int Columns) shift = default, int evaluation = 0) =>
        Run(imageRgb, new EvaluationContext(shift, evaluation), withGradient: false).Terms;

    /// <summary>
    /// As <see cref="Evaluate"/>, with the gradient of the total with respect to the pixels, returned
    /// (in the caller's dispose scope) rather than written into any tensor's <c>grad</c>.
    /// </summary>
    public (LossTerms Terms, Tensor Gradient) EvaluateWithGradient(Tensor imageRgb, (int Rows, int Columns) shift = default, int evaluation = 0)
    {
        var (terms, gradient) = Run(imageRgb, new EvaluationContext(shift, evaluation), withGradient: true);
        return (terms, gradient!);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Movable?.Dispose();
        foreach (var term in responseTerms)
        {
            term.Dispose();
        }

        foreach (var term in pixelTerms.Except(lent))
        {
            term.Dispose();
        }
    }

    // The terms on the responses (whole or tiled), then those on the pixels; each group's values
    // summed in the list's order, and every value read in one transfer (each read of a scalar on a GPU
    // waits for the device).
    private (LossTerms Terms, Tensor? Gradient) Run(Tensor imageRgb, EvaluationContext context, bool withGradient)
    {
        using var scope = NewDisposeScope();
        var (values, gradient) = reader.Tiles(imageRgb)
            ? EvaluateTiled(imageRgb, context, withGradient)
            : reader.Evaluate(imageRgb, context, responseTerms, reader.Layers, withGradient);
        var groups = Enum.GetValues<TermGroup>().ToDictionary(g => g, _ => zeros(1, dtype: float64, device: imageRgb.device));
        for (var i = 0; i < responseTerms.Count; i++)
        {
            groups[responseTerms[i].Group] = groups[responseTerms[i].Group].Plus(values[i]);
        }

        foreach (var term in pixelTerms)
        {
            groups[term.Group] = groups[term.Group].Plus(term.Evaluate(imageRgb, context, gradient));
        }

        var read = cat([groups[TermGroup.Content], groups[TermGroup.Style], groups[TermGroup.TotalVariation], groups[TermGroup.Temporal]]).cpu().data<double>().ToArray();
        var terms = new LossTerms(read[0], read[1], read[2], read.Sum(), read[3]);
        foreach (var term in responseTerms)
        {
            term.Observe(terms);
        }

        return (terms, gradient?.MoveToOuterDisposeScope());
    }

    // A style term no painting supplies a layer to has nothing to add.
    private static IResponseTerm? Kept(IResponseTerm term)
    {
        if (term.Layers.Count > 0)
        {
            return term;
        }

        term.Dispose();
        return null;
    }
}
