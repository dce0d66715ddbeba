using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Objective.Terms;

/// <summary>
/// The paper's style term β Σ_l w_l E_l, E_l = Σ (G − A)² / (4 N² M²), G = F Fᵀ the picture's Gram
/// matrix and A the paintings'.
/// </summary>
/// <remarks>
/// As in the paper, a painting's Gram matrix A is compared with the picture's as it is (scaled only by
/// <see cref="StyleImage.GramScale"/>), and unmasked paintings blend these targets. A masked painting's
/// responses and the picture's are weighted by its mask brought to each layer's resolution by
/// averaging over the area each response covers (the simple resizing of Gatys et al. 2017, not their
/// propagation through the receptive fields); its target is A per position of the painting times the
/// mask's weight Σm², and its loss is divided by 4 N² M Σm² rather than 4 N² M², so that each
/// position of its region is pulled as hard as in a single-style picture.
/// </remarks>
internal sealed partial class GramStyleTerm : IResponseTerm
{
    private readonly StylePaintings paintings;
    private readonly List<MaskedTarget> masked = [];

    /// <summary>Reads the paintings' Gram matrices at the style layers (tile by tile when a painting is larger than a tile).</summary>
    public GramStyleTerm(ResponseReader reader, StylePaintings paintings)
    {
        this.paintings = paintings;
        using var noGradient = no_grad();
        var grams = paintings.Read("gram", (rgb, layers) => reader.Grams(rgb, layers).ToDictionary(g => g.Key, g => new PaintingReading(g.Value.Gram, g.Value.Positions)));
        var targets = new Dictionary<string, Tensor>();
        foreach (var (layer, _) in paintings.Layers)
        {
            var blended = paintings.Blended(grams, layer);
            if (blended.Count > 0)
            {
                targets[layer] = blended.Select(x => grams[x.Index][layer].Statistic.Times(x.Share * x.Style.GramScale)).Aggregate((a, b) => a.Plus(b)).DetachFromDisposeScope();
            }

            masked.AddRange(paintings.Styles.Select((s, i) => (s, i))
                .Where(x => x.s.Mask is not null && grams[x.i].ContainsKey(layer))
                .Select(x => new MaskedTarget(layer, x.s.Weight, grams[x.i][layer].Statistic.Over(grams[x.i][layer].Positions).DetachFromDisposeScope(), x.s.Mask!.detach().DetachFromDisposeScope())));
        }

        Targets = targets;
        Layers = [.. paintings.Layers.Select(l => l.Layer).Where(l => targets.ContainsKey(l) || masked.Any(m => m.Layer == l))];
    }

    /// <summary>A: the Gram matrix of the unmasked paintings' responses at each style layer they supply, blended by their shares.</summary>
    public IReadOnlyDictionary<string, Tensor> Targets { get; }

    /// <inheritdoc />
    public TermGroup Group => TermGroup.Style;

    /// <inheritdoc />
    public IReadOnlyCollection<string> Layers { get; }

    /// <inheritdoc />
    public Tensor Evaluate(PictureResponses picture, Dictionary<string, Tensor> gradients)
    {
        var style = zeros(1, dtype: float64, device: picture[Layers.First()].device);
        foreach (var (layer, weight) in paintings.Layers)
        {
            if (Targets.TryGetValue(layer, out var target))
            {
                var (value, gradient) = Gradients.PerPicture(picture[layer], f => Losses.StyleLayerWithGradient(f, target, weight * paintings.StyleWeight));
                style.PlusInPlace(value);
                Gradients.Add(gradients, layer, gradient);
            }

            foreach (var term in masked.Where(t => t.Layer == layer))
            {
                var f = picture[layer];
                var mask = LayerMask(term.Mask, picture.Context, f.shape[2], f.shape[3]);
                var covered = mask.Squared().sum().Value();
                if (covered > 0)
                {
                    var positions = (double)f.shape[2] * f.shape[3];
                    var meanGram = term.MeanGram.Times(covered);
                    var (value, gradient) = Gradients.PerPicture(f, one => Losses.StyleLayerWithGradient(one * mask.to(one.dtype), meanGram, weight * paintings.StyleWeight * term.Weight, covered * positions));
                    style.PlusInPlace(value);
                    Gradients.Add(gradients, layer, gradient.mul_(mask.to(gradient.dtype)));
                }
            }
        }

        return style;
    }

    /// <inheritdoc />
    public ITiledTerm Tiled(EvaluationContext context) => new TiledGram(this, context);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var target in Targets.Values.Concat(masked.SelectMany(t => new[] { t.MeanGram, t.Mask })))
        {
            target.Dispose();
        }
    }

    // The mask as a layer's responses (height × width of them) see it: shifted with the picture, then
    // averaged over the area each response covers.
    private static Tensor LayerMask(Tensor mask, EvaluationContext context, long height, long width) =>
        nn.functional.adaptive_avg_pool2d(context.Shifted(mask), [height, width]);

    // A masked painting's Gram matrix per position of its own at one layer, its share and its mask at the photo's size.
    private sealed record MaskedTarget(string Layer, double Weight, Tensor MeanGram, Tensor Mask);
}
