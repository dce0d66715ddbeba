using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Objective.Terms;

/// <summary>
/// A style term that compares the responses' whole distribution instead of their Gram matrix (Heitz,
/// Vanderhaeghe, Chambon &amp; Bonneel, "A Sliced Wasserstein Loss for Neural Texture Synthesis", CVPR
/// 2021): at each style layer the picture's M responses and the paintings' are projected on K = N
/// random unit directions in the N-channel space, each projection sorted, and the sorted values
/// compared, β Σ_l w_l · (μ_l / 4) · (1 / K M) Σ_k Σ_i (sort(V F)_ki − Q_ki)².
/// </summary>
/// <remarks>
/// Q is the paintings' sorted projections read at the picture's M levels (i + ½) / M; several
/// paintings blend by averaging these quantile functions, which is the sliced Wasserstein barycentre
/// in one dimension. The directions are drawn afresh at each evaluation, from the evaluation's number,
/// so that over the run they cover the space and the whole and the tiled evaluation draw the same.
/// μ_l, the paintings' mean squared response at the layer, brings the term to the Gram term's scale
/// (E_l ≈ μ² r² / 4 there for a relative gap r), so that one β serves both. A picture's gradient at
/// position i is (μ_l / 4)(2 / K M) Σ_k V_k (its projection − Q at its rank).
/// </remarks>
internal sealed class SlicedWassersteinStyleTerm : IResponseTerm
{
    private readonly StylePaintings paintings;
    private readonly Dictionary<string, LayerTarget> targets = [];

    /// <summary>Reads the paintings' responses at the style layers (put together from tiles when a painting is larger than a tile).</summary>
    public SlicedWassersteinStyleTerm(ResponseReader reader, StylePaintings paintings)
    {
        this.paintings = paintings;
        using var noGradient = no_grad();
        var read = paintings.Read("responses", (rgb, layers) => reader.Responses(rgb, layers).ToDictionary(
            r => r.Key,
            r => new PaintingReading(Losses.Widened(r.Value).reshape(r.Value.shape[1], -1).contiguous(), (double)r.Value.shape[2] * r.Value.shape[3])));
        foreach (var (layer, _) in paintings.Layers)
        {
            var blended = paintings.Blended(read, layer);
            if (blended.Count > 0)
            {
                // Read for this objective alone, the responses are its own; else the readings'.
                var responses = blended.Select(x => (Responses: paintings.Readings is null ? read[x.Index][layer].Statistic.DetachFromDisposeScope() : read[x.Index][layer].Statistic, x.Share)).ToList();
                var scale = responses.Sum(r => r.Share * r.Responses.Squared().mean().Value()) / 4;
                targets[layer] = new LayerTarget(responses, scale);
            }
        }

        Layers = [.. paintings.Layers.Select(l => l.Layer).Where(targets.ContainsKey)];
    }

    /// <inheritdoc />
    public TermGroup Group => TermGroup.Style;

    /// <inheritdoc />
    public IReadOnlyCollection<string> Layers { get; }

    /// <inheritdoc />
    public Tensor Evaluate(PictureResponses picture, Dictionary<string, Tensor> gradients)
    {
        var style = zeros(1, dtype: float64, device: picture[Layers.First()].device);
        foreach (var (layer, weight) in paintings.Layers.Where(l => targets.ContainsKey(l.Layer)))
        {
            var (value, gradient) = LayerWithGradient(picture[layer], layer, weight * paintings.StyleWeight, picture.Context.Evaluation);
            style.PlusInPlace(value);
            Gradients.Add(gradients, layer, gradient);
        }

        return style;
    }

    /// <inheritdoc />
    public ITiledTerm Tiled(EvaluationContext context) => new TiledSliced(this, context);

    /// <inheritdoc />
    public void Dispose()
    {
        if (paintings.Readings is null)
        {
            foreach (var (responses, _) in targets.Values.SelectMany(t => t.Responses))
            {
                responses.Dispose();
            }
        }
    }

    // The term at one layer for responses F [N, C, H, W] and its gradient with respect to F.
    private (Tensor Value, Tensor Gradient) LayerWithGradient(Tensor responses, string layer, double weight, int evaluation)
    {
        var (pictures, channels, positions) = (responses.shape[0], responses.shape[1], responses.shape[2] * responses.shape[3]);
        var wide = Losses.Widened(responses);
        var directions = Directions(channels, evaluation, layer, responses.device).to(wide.dtype);
        var quantiles = Quantiles(targets[layer], directions, positions);
        var projected = directions.matmul(wide.reshape(pictures, channels, positions));
        var (sorted, order) = projected.sort(2);
        var gaps = sorted - quantiles;
        var scale = weight * targets[layer].Scale / (channels * positions);
        var value = gaps.Squared().sum(ScalarType.Float64).Times(scale).reshape(1);
        var atPositions = zeros_like(gaps).scatter_(2, order, gaps);
        var gradient = directions.t().matmul(atPositions).TimesInPlace(2 * scale).reshape(responses.shape).to(responses.dtype);
        return (value, gradient);
    }

    // The paintings' projections on the directions, sorted and read at the picture's levels, blended by their shares.
    private static Tensor Quantiles(LayerTarget target, Tensor directions, long positions) =>
        target.Responses.Select(r => Losses.AtLevels(directions.mm(r.Responses).sort(1).Values, (int)positions).Times(r.Share)).Aggregate((a, b) => a.Plus(b));

    /// <summary>K = N unit directions [N, N], uniform on the sphere, the same for the same seed.</summary>
    internal static Tensor Directions(long channels, ulong seed, Device device)
    {
        using var generator = new Generator(seed);
        var vectors = randn([channels, channels], generator: generator);
        return (vectors / vectors.norm(1, keepdim: true)).to(device);
    }

    /// <summary>The seed of the directions at an evaluation and a style layer (its index among the style layers).</summary>
    internal static ulong Seed(int evaluation, int layerIndex) => (ulong)((evaluation * 131L) + layerIndex + 1);

    private Tensor Directions(long channels, int evaluation, string layer, Device device) =>
        Directions(channels, Seed(evaluation, paintings.Layers.Select(l => l.Layer).ToList().IndexOf(layer)), device);

    // A layer's paintings' responses [C, M_s] with their shares, and μ / 4.
    private sealed record LayerTarget(List<(Tensor Responses, double Share)> Responses, double Scale);

    // Sorting needs the whole picture's projections: the first pass puts the responses together from
    // the tiles, the term and its gradient are taken there, and the second hands each tile its part.
    private sealed class TiledSliced(SlicedWassersteinStyleTerm term, EvaluationContext context) : ITiledTerm
    {
        private readonly Dictionary<string, List<(TilePlace Place, Tensor Part)>> parts = [];
        private readonly Dictionary<string, (Tensor Responses, Tensor Gradient)> wholes = [];

        public IReadOnlyCollection<string> Gathered => term.Layers;

        public void Gather(string layer, Tensor inner, TilePlace place)
        {
            if (!parts.TryGetValue(layer, out var list))
            {
                parts[layer] = list = [];
            }

            list.Add((place, inner.clone().MoveToOuterDisposeScope()));
        }

        public Tensor Conclude()
        {
            var style = zeros(1, dtype: float64, device: parts.Values.First()[0].Part.device);
            foreach (var (layer, weight) in term.paintings.Layers.Where(l => parts.ContainsKey(l.Layer)))
            {
                var list = parts[layer];
                var first = list[0].Part;
                var whole = zeros([1, first.shape[1], list.Max(p => p.Place.Top + p.Place.Rows), list.Max(p => p.Place.Left + p.Place.Columns)], dtype: first.dtype, device: first.device);
                foreach (var (place, part) in list)
                {
                    place.Of(whole).copy_(part);
                }

                var (value, gradient) = term.LayerWithGradient(whole, layer, weight * term.paintings.StyleWeight, context.Evaluation);
                style.PlusInPlace(value);
                wholes[layer] = (whole, gradient);
            }

            return style;
        }

        public Tensor? AddGradient(string layer, Tensor inner, TilePlace place, Tensor innerGradient)
        {
            if (wholes.TryGetValue(layer, out var whole))
            {
                innerGradient.PlusInPlace(place.Of(whole.Gradient).to(inner.dtype));
            }

            return null;
        }

        public Tensor? SmoothingSum(string layer) =>
            wholes.TryGetValue(layer, out var whole) ? (Losses.Widened(whole.Gradient) * Losses.Widened(whole.Responses)).sum([0, 2, 3]) : null;
    }
}
