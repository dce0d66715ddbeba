using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Objective.Terms;

/// <summary>The Gram style term over tiles: G summed over the tiles' inner parts, then each tile's gradient from the whole picture's G − A.</summary>
internal sealed partial class GramStyleTerm
{
    private sealed class TiledGram(GramStyleTerm term, EvaluationContext context) : ITiledTerm
    {
        private readonly Dictionary<string, Tensor> grams = [];
        private readonly Dictionary<string, double> positions = [];
        private readonly Dictionary<int, Tensor> maskedGrams = [];
        private readonly Dictionary<int, Tensor> layerMasks = [];
        private readonly Dictionary<string, Tensor> factors = [];
        private readonly Dictionary<int, Tensor> maskedFactors = [];

        public IReadOnlyCollection<string> Gathered => term.Layers;

        // The bottom-right tile comes first: where its responses end is where the whole picture's do,
        // which the masks need brought to each layer's resolution before any tile reads them.
        public void Gather(string layer, Tensor inner, TilePlace place)
        {
            positions[layer] = positions.GetValueOrDefault(layer) + place.Positions;
            Add(grams, layer, Losses.Gram(inner));
            foreach (var k in MaskedAt(layer))
            {
                if (!layerMasks.ContainsKey(k))
                {
                    layerMasks[k] = LayerMask(term.masked[k].Mask, context, place.Top + place.Rows, place.Left + place.Columns).MoveToOuterDisposeScope();
                }

                Add(maskedGrams, k, Losses.Gram(inner * place.Of(layerMasks[k]).to(inner.dtype)));
            }
        }

        // β Σ w E_l from the sums, and the factors that multiply each layer's responses in its gradient.
        public Tensor Conclude()
        {
            var style = zeros(1, dtype: float64, device: grams.Values.First().device);
            foreach (var (layer, weight) in term.paintings.Layers.Where(l => grams.ContainsKey(l.Layer)))
            {
                var m = positions[layer];
                if (term.Targets.TryGetValue(layer, out var target))
                {
                    var (value, factor) = Losses.StyleValueAndFactor(grams[layer] - target, weight * term.paintings.StyleWeight, m * m);
                    style.PlusInPlace(value);
                    factors[layer] = factor;
                }

                // As the whole evaluation's masked terms: the target and the denominator take the mask's weight Σm².
                foreach (var k in MaskedAt(layer))
                {
                    var covered = layerMasks[k].Squared().sum().Value();
                    if (covered > 0)
                    {
                        var (value, factor) = Losses.StyleValueAndFactor(maskedGrams[k] - term.masked[k].MeanGram.Times(covered), weight * term.paintings.StyleWeight * term.masked[k].Weight, covered * m);
                        style.PlusInPlace(value);
                        maskedFactors[k] = factor;
                    }
                }
            }

            return style;
        }

        public Tensor? AddGradient(string layer, Tensor inner, TilePlace place, Tensor innerGradient)
        {
            if (factors.TryGetValue(layer, out var factor))
            {
                var flat = inner.reshape(inner.shape[1], -1);
                innerGradient.PlusInPlace(factor.to(inner.dtype).mm(flat).reshape(inner.shape));
            }

            foreach (var k in MaskedAt(layer).Where(maskedFactors.ContainsKey))
            {
                var mask = place.Of(layerMasks[k]).to(inner.dtype);
                var flat = (inner * mask).reshape(inner.shape[1], -1);
                innerGradient.PlusInPlace(maskedFactors[k].to(inner.dtype).mm(flat).reshape(inner.shape).mul_(mask));
            }

            return null;
        }

        // Σ (factor · s) s per channel over the picture: the diagonal of factor · G.
        public Tensor? SmoothingSum(string layer)
        {
            var parts = new List<Tensor>();
            if (factors.TryGetValue(layer, out var factor))
            {
                parts.Add(factor.mm(grams[layer]).diagonal());
            }

            parts.AddRange(MaskedAt(layer).Where(maskedFactors.ContainsKey).Select(k => maskedFactors[k].mm(maskedGrams[k]).diagonal()));
            return parts.Count == 0 ? null : parts.Aggregate((a, b) => a.Plus(b));
        }

        private IEnumerable<int> MaskedAt(string layer) => Enumerable.Range(0, term.masked.Count).Where(k => term.masked[k].Layer == layer);

        private static void Add<TKey>(Dictionary<TKey, Tensor> sums, TKey key, Tensor part)
            where TKey : notnull
        {
            if (sums.TryGetValue(key, out var sum))
            {
                sum.PlusInPlace(part);
            }
            else
            {
                sums[key] = part.MoveToOuterDisposeScope();
            }
        }
    }
}
