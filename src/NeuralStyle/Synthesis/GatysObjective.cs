using NeuralStyle.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Synthesis;

/// <summary>One evaluation of the objective: each weighted term and their sum.</summary>
/// <param name="Content">α · L_content.</param>
/// <param name="Style">β · L_style.</param>
/// <param name="TotalVariation">The weighted total-variation term.</param>
/// <param name="Total">The sum.</param>
/// <param name="Temporal">The weighted temporal term of a video's frame (<see cref="TemporalTerm"/>); 0 for a still picture.</param>
public sealed record LossTerms(double Content, double Style, double TotalVariation, double Total, double Temporal = 0);

/// <summary>
/// The temporal term of a video's frame (Ruder, Dosovitskiy &amp; Brox 2016): γ · (1/D) Σ_j Σ c_j (x − t_j)²,
/// D = W·H·C, pulling the picture toward earlier frames' results t_j warped onto this frame, by their
/// weights c_j.
/// </summary>
/// <param name="Weight">γ, per squared 0–255 level.</param>
/// <param name="Targets">Each earlier result warped onto this frame, RGB 0–255 [1, 3, H, W], with its weights 0–1 [1, 1, H, W].</param>
internal sealed record TemporalTerm(double Weight, IReadOnlyList<(Tensor Target, Tensor Weights)> Targets);

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
/// picture's colours and the painting's along directions in RGB (<see cref="Losses.PaletteWithGradient(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, double, TorchSharp.torch.Tensor?)"/>),
/// 4 of a fixed 32 at each evaluation; 0 for none.
/// </param>
/// <param name="Tile">
/// Evaluate a picture whose longest side exceeds this many pixels tile by tile (<see cref="TileGrid"/>),
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
    ReducedStyle? Reduced = null)
{
    /// <summary>Every layer the objective reads, content and style, each once.</summary>
    public IReadOnlyList<string> Layers => [.. ContentLayers.Union(StyleLayers.Select(s => s.Layer))];
}

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
public sealed record StyleImage(Tensor Rgb, double Weight = 1, Tensor? Mask = null, IReadOnlyCollection<string>? Layers = null, bool Colors = true, double GramScale = 1);

/// <summary>
/// The paper's objective α L_content + β Σ_l w_l E_l (plus an optional total-variation term) for a
/// fixed photo and paintings, whose targets P and A it computes once, without gradients, at construction.
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
public sealed partial class GatysObjective : IDisposable
{
    // The palette term compares colours along directions in RGB: a fixed set of 32, of which each
    // evaluation takes the next 4 (a fifth of the cost of all of them; over the iterations that Adam's
    // moments average, the whole set acts).
    private const int PaletteDirections = 32;
    private const int PaletteDirectionsPerEvaluation = 4;
    private const int PaletteQuantiles = 1024;

    private readonly IFeatureNetwork network;
    private readonly ObjectiveSettings settings;
    private readonly Tensor contentRgb;
    private readonly List<MaskedTerm> maskedTerms = [];
    private readonly Tensor? paletteDirections;
    private readonly List<(Tensor Quantiles, double Weight, Tensor? Mask)> paletteTargets = [];

    // With settings.Hold: ½ Σ w_l ‖P_l‖² (the content term's value at α 1 where F is 0), and what α is multiplied by now.
    private readonly double contentEnergy;
    private double holdFactor = 1;

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
        this.network = network;
        this.settings = settings;
        using var scope = NewDisposeScope();
        this.contentRgb = contentRgb.detach().DetachFromDisposeScope();
        ContentTargets = (Tiles(contentRgb) ? Stitched(contentRgb, settings.ContentLayers) : ContentResponses(contentRgb)).ToDictionary(t => t.Key, t => t.Value.DetachFromDisposeScope());
        contentEnergy = settings.Hold is null ? 0
            : ContentTargets.Values.Sum(p => 0.5 * Losses.Widened(p).Squared().sum(ScalarType.Float64).item<double>() / (settings.MeanContentLoss ? p.numel() : 1));
        using (no_grad())
        {
            var styleLayers = settings.StyleLayers.Select(s => s.Layer).ToArray();
            // A painting larger than a tile is read tile by tile too (a large --style-scale).
            var grams = styles.Select((style, i) => readings is null ? Read(style, styleLayers) : readings.For(i, 1, () => Read(style, styleLayers))).ToList();

            StyleTargets = BlendedTargets(styles, grams, styleLayers);
            foreach (var layer in styleLayers)
            {
                maskedTerms.AddRange(styles.Select((s, i) => (s, i))
                    .Where(x => x.s.Mask is not null && grams[x.i].ContainsKey(layer))
                    .Select(x => new MaskedTerm(layer, x.s.Weight, grams[x.i][layer].Gram.Over(grams[x.i][layer].Positions).DetachFromDisposeScope(), x.s.Mask!.detach().DetachFromDisposeScope())));
            }

            ReducedTargets = ReducedTargetsFor(contentRgb, styles, styleLayers, readings);
            if (styles.Any(s => s.Mask is not null))
            {
                Movable = styles.Where(s => s.Mask is not null).Select(s => s.Mask!).Aggregate((a, b) => a.Plus(b)).Above(0).to(contentRgb.dtype).DetachFromDisposeScope();
            }

            if (settings.PaletteWeight > 0 && styles.Any(s => s.Colors))
            {
                var directions = Losses.RandomDirections(PaletteDirections, seed: 1).to(contentRgb.device);
                paletteDirections = directions.DetachFromDisposeScope();
                var colored = styles.Where(s => s.Colors).ToList();
                var blended = colored.Where(s => s.Mask is null).ToList();
                var total = blended.Sum(s => s.Weight);
                if (total > 0)
                {
                    var quantiles = blended.Select(s => Losses.ColorQuantiles(s.Rgb, directions, PaletteQuantiles).Times(s.Weight / total)).Aggregate((a, b) => a.Plus(b));
                    paletteTargets.Add((quantiles.DetachFromDisposeScope(), 1, null));
                }

                paletteTargets.AddRange(colored.Where(s => s.Mask is not null).Select(s =>
                    (Losses.ColorQuantiles(s.Rgb, directions, PaletteQuantiles).DetachFromDisposeScope(), s.Weight, (Tensor?)s.Mask!.reshape(1, -1).detach().DetachFromDisposeScope())));
            }
        }
    }

    // The unmasked paintings' Gram matrices blended by their shares at each layer some of them supply.
    private static Dictionary<string, Tensor> BlendedTargets(IReadOnlyList<StyleImage> styles, IReadOnlyList<IReadOnlyDictionary<string, (Tensor Gram, double Positions)>> grams, string[] layers)
    {
        var targets = new Dictionary<string, Tensor>();
        foreach (var layer in layers)
        {
            var blended = styles.Select((s, i) => (s, i)).Where(x => x.s.Mask is null && grams[x.i].ContainsKey(layer)).ToList();
            var total = blended.Sum(x => x.s.Weight);
            if (total > 0)
            {
                targets[layer] = blended.Select(x => grams[x.i][layer].Gram.Times(x.s.Weight / total * x.s.GramScale)).Aggregate((a, b) => a.Plus(b)).DetachFromDisposeScope();
            }
        }

        return targets;
    }

    // A painting's Gram matrix and positions at each style layer it supplies (tile by tile when it is larger than a tile).
    private IReadOnlyDictionary<string, (Tensor Gram, double Positions)> Read(StyleImage style, string[] styleLayers)
    {
        var layers = styleLayers.Where(l => style.Layers?.Contains(l) ?? true).ToArray();
        if (Tiles(style.Rgb))
        {
            var sums = TiledGrams(style.Rgb, layers, [], default);
            return layers.ToDictionary(l => l, l => (Gram: sums.Grams[l], Positions: sums.Positions[l]));
        }

        var responses = Smooth(network.Activations(style.Rgb, layers));
        return layers.ToDictionary(l => l, l => (Gram: Losses.Gram(responses[l]), Positions: Positions(responses[l])));
    }

    /// <summary>P: the photo's responses at each content layer.</summary>
    public IReadOnlyDictionary<string, Tensor> ContentTargets { get; }

    /// <summary>
    /// 1 at the pixels some painting's mask reaches and 0 elsewhere, [1, 1, H, W]; null without masks.
    /// The optimisation leaves the pixels at 0 as they start (the photo): the network's receptive fields
    /// would otherwise carry the style's pull across the masks' borders, and Adam's normalised steps move
    /// a pixel as far for a faint pull as for a strong one.
    /// </summary>
    public Tensor? Movable { get; }

    /// <summary>A: the Gram matrix of the unmasked paintings' responses at each style layer they supply, blended by their shares.</summary>
    public IReadOnlyDictionary<string, Tensor> StyleTargets { get; }

    /// <summary>The temporal term of a video's frame; null for a still picture. Its tensors are the caller's.</summary>
    internal TemporalTerm? Temporal { get; set; }

    /// <summary>
    /// The weighted loss terms at an RGB 0–255 image [1, 3, H, W]; when the image requires gradients,
    /// the gradient of the total is added to its <c>grad</c>.
    /// </summary>
    /// <param name="imageRgb">The image being made.</param>
    /// <param name="shift">
    /// Rows and columns to roll the image (and the photo, for the content target) by before the network
    /// sees it: random shifts at each evaluation keep a strided network from imprinting its grid.
    /// The Gram matrices do not depend on position, so the style targets stay.
    /// </param>
    /// <param name="evaluation">Which evaluation of a run this is (from 0): it picks the palette term's directions.</param>
    public LossTerms Evaluate(Tensor imageRgb, (int Rows, int Columns) shift = default, int evaluation = 0)
    {
        var terms = Tiles(imageRgb) ? EvaluateTiled(imageRgb, shift, evaluation) : EvaluateWhole(imageRgb, shift, evaluation);
        if (settings.Hold is { } hold && ContentWeight > 0 && contentEnergy > 0)
        {
            var strayed = terms.Content / (ContentWeight * contentEnergy);
            holdFactor = 1 + (hold.Pull * Math.Max(0, strayed - hold.Tolerance));
        }

        return terms;
    }

    private LossTerms EvaluateWhole(Tensor imageRgb, (int Rows, int Columns) shift, int evaluation)
    {
        using var scope = NewDisposeScope();
        var shifted = shift == default ? imageRgb : imageRgb.roll([shift.Rows, shift.Columns], [2, 3]);
        var targets = shift == default ? ContentTargets : ContentResponses(contentRgb.roll([shift.Rows, shift.Columns], [2, 3]));
        var responses = Smooth(network.Activations(shifted, settings.Layers));

        // The losses' gradients with respect to each layer's responses are known in closed form, so
        // autograd records only the network (and the optional smoothing and total variation).
        var gradients = new Dictionary<string, Tensor>();
        Tensor content, style;
        using (no_grad())
        {
            content = zeros(1, dtype: float64, device: imageRgb.device);
            foreach (var layer in settings.ContentLayers)
            {
                var weight = ContentWeight / (settings.MeanContentLoss ? responses[layer].numel() : 1);
                var (value, gradient) = Losses.ContentWithGradient(responses[layer], targets[layer], weight);
                content.PlusInPlace(value);
                Accumulate(gradients, layer, gradient);
            }

            style = StyleTerms(responses, shift, gradients, imageRgb.device);
        }

        if (imageRgb.requires_grad)
        {
            autograd.backward([.. gradients.Keys.Select(l => responses[l])], [.. gradients.Values]);
        }

        return PixelTerms(imageRgb, evaluation, content, style.Plus(ReducedStyleTerm(imageRgb, shift)));
    }

    // β Σ w E_l over the style layers, plain and masked, each term's gradient with respect to its
    // layer's responses added to gradients.
    private Tensor StyleTerms(Dictionary<string, Tensor> responses, (int Rows, int Columns) shift, Dictionary<string, Tensor> gradients, Device device)
    {
        var style = zeros(1, dtype: float64, device: device);
        foreach (var (layer, weight) in settings.StyleLayers)
        {
            style.PlusInPlace(BlendedStyleTerm(responses, StyleTargets, layer, weight * settings.StyleWeight, gradients));
            foreach (var term in maskedTerms.Where(t => t.Layer == layer))
            {
                var f = responses[layer];
                var mask = LayerMask(term.Mask, shift, f.shape[2], f.shape[3]);
                var covered = mask.Squared().sum().Value();
                if (covered > 0)
                {
                    var masked = f * mask.to(f.dtype);
                    var positions = Positions(f);
                    var (value, gradient) = Losses.StyleLayerWithGradient(masked, term.MeanGram.Times(covered), weight * settings.StyleWeight * term.Weight, covered * positions);
                    style.PlusInPlace(value);
                    Accumulate(gradients, layer, gradient.mul_(mask.to(gradient.dtype)));
                }
            }
        }

        return style;
    }

    // w β E_l of one layer against the blended paintings' target (0 where they supply none), its
    // gradient with respect to the layer's responses added to gradients.
    private static Tensor BlendedStyleTerm(Dictionary<string, Tensor> responses, IReadOnlyDictionary<string, Tensor> targets, string layer, double weight, Dictionary<string, Tensor> gradients)
    {
        if (!targets.TryGetValue(layer, out var target))
        {
            return zeros(1, dtype: float64, device: responses[layer].device);
        }

        var (value, gradient) = Losses.StyleLayerWithGradient(responses[layer], target, weight);
        Accumulate(gradients, layer, gradient);
        return value;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        contentRgb.Dispose();
        Movable?.Dispose();
        paletteDirections?.Dispose();
        foreach (var (quantiles, _, mask) in paletteTargets)
        {
            quantiles.Dispose();
            mask?.Dispose();
        }

        foreach (var target in ContentTargets.Values.Concat(StyleTargets.Values).Concat(ReducedTargets.Values).Concat(maskedTerms.SelectMany(t => new[] { t.MeanGram, t.Mask })))
        {
            target.Dispose();
        }
    }

    // The terms that read the pixels themselves, total variation and palette, whose gradients are
    // added to the image's directly; and every value, read in one transfer (each read of a scalar on a
    // GPU waits for the device).
    private LossTerms PixelTerms(Tensor imageRgb, int evaluation, Tensor content, Tensor style)
    {
        var tv = zeros(1, dtype: float64, device: imageRgb.device);
        if (settings.TvWeight != 0)
        {
            using (enable_grad())
            {
                var term = Losses.TotalVariation(imageRgb).Times(settings.TvWeight);
                if (imageRgb.requires_grad)
                {
                    term.backward();
                }

                tv = term.detach().to(float64).reshape(1);
            }
        }

        if (paletteDirections is not null)
        {
            using (no_grad())
            {
                var first = evaluation % (PaletteDirections / PaletteDirectionsPerEvaluation) * PaletteDirectionsPerEvaluation;
                var directions = paletteDirections.narrow(0, first, PaletteDirectionsPerEvaluation);
                foreach (var (quantiles, weight, mask) in paletteTargets)
                {
                    var (value, gradient) = Losses.PaletteWithGradient(
                        imageRgb, directions, quantiles.narrow(0, first, PaletteDirectionsPerEvaluation), settings.PaletteWeight * weight, mask);
                    style = style.Plus(value);
                    if (imageRgb.requires_grad)
                    {
                        imageRgb.grad!.PlusInPlace(gradient);
                    }
                }
            }
        }

        var temporal = TemporalValue(imageRgb);
        var values = cat([content, style, tv, temporal]).cpu().data<double>().ToArray();
        return new LossTerms(values[0], values[1], values[2], values.Sum(), values[3]);
    }

    // α at this evaluation: the setting's, times its rise where the picture has strayed (settings.Hold).
    private double ContentWeight => settings.ContentWeight * holdFactor;

    // γ/D Σ_j Σ c_j (x − t_j)², its gradient 2γ/D Σ_j c_j (x − t_j) added to the image's.
    private Tensor TemporalValue(Tensor imageRgb)
    {
        var value = zeros(1, dtype: float64, device: imageRgb.device);
        if (Temporal is null)
        {
            return value;
        }

        using (no_grad())
        {
            var scale = Temporal.Weight / imageRgb.numel();
            foreach (var (target, weights) in Temporal.Targets)
            {
                var difference = imageRgb.detach() - target;
                var weighted = difference.mul(weights);
                value.PlusInPlace(weighted.mul(difference).sum().to(float64).Times(scale).reshape(1));
                if (imageRgb.requires_grad)
                {
                    imageRgb.grad!.PlusInPlace(weighted, 2 * scale);
                }
            }
        }

        return value;
    }

    private static double Positions(Tensor responses) => responses.shape[2] * responses.shape[3];

    // The mask as a layer's responses (height × width of them) see it: shifted with the picture, then
    // averaged over the area each response covers.
    private static Tensor LayerMask(Tensor mask, (int Rows, int Columns) shift, long height, long width)
    {
        var shifted = shift == default ? mask : mask.roll([shift.Rows, shift.Columns], [2, 3]);
        return nn.functional.adaptive_avg_pool2d(shifted, [height, width]);
    }

    private static void Accumulate(Dictionary<string, Tensor> gradients, string layer, Tensor gradient) =>
        gradients[layer] = gradients.TryGetValue(layer, out var sum) ? sum.Plus(gradient) : gradient;

    private Dictionary<string, Tensor> Smooth(Dictionary<string, Tensor> responses) => !settings.SoftmaxSmoothing
        ? responses
        : responses.ToDictionary(r => r.Key, r =>
        {
            var positions = r.Value.shape[2] * r.Value.shape[3];
            return nn.functional.softmax(r.Value.flatten(2), 2).reshape(r.Value.shape).Times(positions);
        });

    // A masked painting's Gram matrix per position of its own at one layer, and its mask at the photo's size.
    private sealed record MaskedTerm(string Layer, double Weight, Tensor MeanGram, Tensor Mask);

    private Dictionary<string, Tensor> ContentResponses(Tensor rgb)
    {
        using (no_grad())
        {
            var responses = Smooth(network.Activations(rgb, settings.ContentLayers.ToArray()));
            return settings.ContentLayers.ToDictionary(l => l, l => responses[l].detach());
        }
    }
}
