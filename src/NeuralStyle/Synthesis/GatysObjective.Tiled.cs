using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Synthesis;

/// <summary>The objective evaluated tile by tile (<see cref="ObjectiveSettings.Tile"/>), in memory that a tile bounds.</summary>
public sealed partial class GatysObjective
{
    // Each layer's stride in pixels, read from the shapes of one small run.
    private Dictionary<string, int>? strides;

    /// <summary>Whether a picture the size of <paramref name="rgb"/> is evaluated tile by tile.</summary>
    public bool Tiles(Tensor rgb) => settings.Tile > 0 && Math.Max(rgb.shape[2], rgb.shape[3]) > settings.Tile;

    // Pass 1 reads each tile without gradients and adds its inner part's Gram matrix to the whole
    // picture's; pass 2 runs each tile again, hands it the gradient of the losses at its inner
    // responses (from the whole picture's G − A, and F − P there) and adds the pixel gradient it
    // sends back into the whole picture's: the margins' gradients overlap and add up.
    private LossTerms EvaluateTiled(Tensor imageRgb, (int Rows, int Columns) shift, int evaluation)
    {
        using var scope = NewDisposeScope();
        var grid = Grid(imageRgb);
        using var noGradient = no_grad();
        var shifted = (shift == default ? imageRgb : imageRgb.roll([shift.Rows, shift.Columns], [2, 3])).detach();
        var targets = shift == default ? ContentTargets : Stitched(contentRgb.roll([shift.Rows, shift.Columns], [2, 3]), settings.ContentLayers);
        var styleLayers = settings.StyleLayers.Select(s => s.Layer).ToArray();

        // Smoothed, pass 1 reads the content layers too: the softmax's gradient needs Σ s² and Σ P s over the whole picture.
        var sums = TiledGrams(shifted, settings.SoftmaxSmoothing ? settings.Layers : styleLayers, maskedTerms, shift, settings.SoftmaxSmoothing ? targets : null);
        var (style, factors, maskedFactors) = TiledStyle(sums, imageRgb.device);
        var corrections = settings.SoftmaxSmoothing ? SoftmaxCorrections(sums, targets, factors, maskedFactors) : null;
        var (content, pixelGradient) = TiledPass2(shifted, grid, new Pass2(sums, targets, factors, maskedFactors, corrections), imageRgb.requires_grad);
        if (imageRgb.requires_grad)
        {
            // Through the shift, so that autograd adds it to the image's gradient as the whole evaluation's backward pass does.
            using (enable_grad())
            {
                autograd.backward([shift == default ? imageRgb : imageRgb.roll([shift.Rows, shift.Columns], [2, 3])], [pixelGradient]);
            }
        }

        return PixelTerms(imageRgb, evaluation, content, style.Plus(ReducedStyleTerm(imageRgb, shift)));
    }

    // β Σ w E_l from pass 1's sums, and the factors that multiply each layer's responses in its gradient.
    private (Tensor Style, Dictionary<string, Tensor> Factors, Tensor?[] MaskedFactors) TiledStyle(TiledSums sums, Device device)
    {
        var style = zeros(1, dtype: float64, device: device);
        var factors = new Dictionary<string, Tensor>();
        var maskedFactors = new Tensor?[maskedTerms.Count];
        foreach (var (layer, weight) in settings.StyleLayers)
        {
            var m = sums.Positions[layer];
            if (StyleTargets.TryGetValue(layer, out var target))
            {
                var (value, factor) = Losses.StyleValueAndFactor(sums.Grams[layer] - target, weight * settings.StyleWeight, m * m);
                style.PlusInPlace(value);
                factors[layer] = factor;
            }

            // As the whole evaluation's masked terms: the target and the denominator take the mask's weight Σm².
            for (var k = 0; k < maskedTerms.Count; k++)
            {
                var term = maskedTerms[k];
                if (term.Layer != layer)
                {
                    continue;
                }

                var covered = sums.LayerMasks[k].Squared().sum().Value();
                if (covered > 0)
                {
                    var (value, factor) = Losses.StyleValueAndFactor(sums.MaskedGrams[k] - term.MeanGram.Times(covered), weight * settings.StyleWeight * term.Weight, covered * m);
                    style.PlusInPlace(value);
                    maskedFactors[k] = factor;
                }
            }
        }

        return (style, factors, maskedFactors);
    }

    // Pass 2: each tile run again with gradients, handed the losses' gradient at its inner responses;
    // the content term and the whole picture's pixel gradient, the tiles' added up.
    private (Tensor Content, Tensor PixelGradient) TiledPass2(Tensor shifted, TileGrid grid, Pass2 pass, bool withGradient)
    {
        var content = zeros(1, dtype: float64, device: shifted.device);
        var pixelGradient = zeros_like(shifted);
        foreach (var tile in grid.Tiles)
        {
            using var tileScope = NewDisposeScope();
            var input = Crop(shifted, tile).clone().requires_grad_(true);
            Dictionary<string, Tensor> responses;
            using (enable_grad())
            {
                responses = network.Activations(input, settings.Layers);
                if (pass.Sums.LogNormalisers is { } normalisers)
                {
                    responses = responses.ToDictionary(r => r.Key, r => Softmax(r.Value, normalisers[r.Key], pass.Sums.Positions[r.Key]));
                }
            }

            var gradients = settings.Layers.Select(layer => TileGradient(responses[layer], tile, grid, layer, pass, content)).ToList();
            if (withGradient)
            {
                using (enable_grad())
                {
                    autograd.backward([.. settings.Layers.Select(l => responses[l])], gradients);
                }

                pixelGradient[.., .., tile.OuterRows.Start..tile.OuterRows.End, tile.OuterColumns.Start..tile.OuterColumns.End].PlusInPlace(input.grad!);
            }
        }

        return (content, pixelGradient);
    }

    // The losses' gradient at one layer's responses f of a tile: nonzero at its inner part only (the
    // margins belong to other tiles); the content term's value is added to content.
    private Tensor TileGradient(Tensor f, TileBox tile, TileGrid grid, string layer, Pass2 pass, Tensor content)
    {
        var gradient = zeros_like(f);
        var (rows, columns) = InnerRanges(f, tile, grid, layer);
        var inner = f[.., .., rows.Start..rows.End, columns.Start..columns.End];
        var innerGradient = gradient[.., .., rows.Start..rows.End, columns.Start..columns.End];
        if (settings.ContentLayers.Contains(layer))
        {
            var target = AtTile(pass.Targets[layer], tile, layer, rows, columns);
            var weight = ContentWeight / (settings.MeanContentLoss ? pass.Targets[layer].numel() : 1);
            var (value, g) = Losses.ContentWithGradient(inner, target, weight);
            content.PlusInPlace(value);
            innerGradient.PlusInPlace(g);
        }

        if (pass.Factors.TryGetValue(layer, out var factor))
        {
            var flat = inner.reshape(inner.shape[1], -1);
            innerGradient.PlusInPlace(factor.to(f.dtype).mm(flat).reshape(inner.shape));
        }

        for (var k = 0; k < maskedTerms.Count; k++)
        {
            if (maskedTerms[k].Layer == layer && pass.MaskedFactors[k] is { } maskedFactor)
            {
                var mask = AtTile(pass.Sums.LayerMasks[k], tile, layer, rows, columns).to(f.dtype);
                var flat = (inner * mask).reshape(inner.shape[1], -1);
                innerGradient.PlusInPlace(maskedFactor.to(f.dtype).mm(flat).reshape(inner.shape).mul_(mask));
            }
        }

        if (pass.Corrections?[layer] is { } correction)
        {
            innerGradient.sub_(correction.to(f.dtype).reshape(1, -1, 1, 1));
        }

        return gradient;
    }

    // Pass 1's sums over the tiles' inner parts: the Gram matrix of the whole picture's responses at
    // each layer and the layer's number of positions; for each masked term, the Gram matrix of the
    // responses weighted by its mask and that mask at the layer's resolution. Smoothed, all of them of
    // the smoothed responses, with each layer's softmax normaliser and, given the content targets P,
    // Σ P s per channel at the content layers. In the caller's dispose scope.
    private TiledSums TiledGrams(Tensor rgb, IReadOnlyList<string> layers, IReadOnlyList<MaskedTerm> terms, (int Rows, int Columns) shift, IReadOnlyDictionary<string, Tensor>? contentTargets = null)
    {
        var grid = Grid(rgb);
        var sums = layers.ToDictionary(l => l, _ => new LayerSums(settings.SoftmaxSmoothing));
        var layerMasks = new Tensor[terms.Count];
        using var noGradient = no_grad();

        // The bottom-right tile first: where its responses end is where the whole picture's do, which
        // the masks need brought to each layer's resolution before any tile reads them.
        foreach (var tile in grid.Tiles.Reverse())
        {
            using var tileScope = NewDisposeScope();
            var responses = network.Activations(Crop(rgb, tile), [.. layers]);
            foreach (var layer in layers)
            {
                var (rows, columns) = InnerRanges(responses[layer], tile, grid, layer);
                var inner = responses[layer][.., .., rows.Start..rows.End, columns.Start..columns.End];
                var target = contentTargets is not null && settings.ContentLayers.Contains(layer) ? AtTile(contentTargets[layer], tile, layer, rows, columns) : null;
                var taken = sums[layer].Take(inner, target);
                sums[layer].AddGram(Losses.Gram(taken));
                for (var k = 0; k < terms.Count; k++)
                {
                    if (terms[k].Layer != layer)
                    {
                        continue;
                    }

                    if (layerMasks[k] is null)
                    {
                        var stride = Strides()[layer];
                        layerMasks[k] = LayerMask(terms[k].Mask, shift, (tile.Rows.Start / stride) + rows.Length, (tile.Columns.Start / stride) + columns.Length).MoveToOuterDisposeScope();
                    }

                    sums[layer].AddMaskedGram(k, Losses.Gram(taken * AtTile(layerMasks[k], tile, layer, rows, columns).to(taken.dtype)));
                }
            }
        }

        return new TiledSums(
            layers.ToDictionary(l => l, l => sums[l].SmoothedGram(sums[l].Gram!)),
            layers.ToDictionary(l => l, l => sums[l].Positions),
            [.. terms.Select((t, k) => sums[t.Layer].SmoothedGram(sums[t.Layer].Masked[k]))],
            layerMasks,
            settings.SoftmaxSmoothing ? layers.ToDictionary(l => l, l => sums[l].LogNormaliser()) : null,
            contentTargets is null ? null : layers.Where(settings.ContentLayers.Contains).ToDictionary(l => l, l => sums[l].TargetProduct()));
    }

    // The softmax's gradient subtracts from each channel's gradient at the smoothed responses s the
    // mean over the whole picture of that gradient times s: for a style term, Σ (factor · s) s, the
    // diagonal of factor · G; for the content term, w (Σ s² − Σ P s).
    private Dictionary<string, Tensor?> SoftmaxCorrections(TiledSums sums, IReadOnlyDictionary<string, Tensor> targets, Dictionary<string, Tensor> factors, Tensor?[] maskedFactors) =>
        settings.Layers.ToDictionary(layer => layer, layer =>
        {
            var gram = sums.Grams[layer];
            var sum = zeros(gram.shape[0], dtype: gram.dtype, device: gram.device);
            if (factors.TryGetValue(layer, out var factor))
            {
                sum.PlusInPlace(factor.mm(gram).diagonal());
            }

            for (var k = 0; k < maskedTerms.Count; k++)
            {
                if (maskedTerms[k].Layer == layer && maskedFactors[k] is { } maskedFactor)
                {
                    sum.PlusInPlace(maskedFactor.mm(sums.MaskedGrams[k]).diagonal());
                }
            }

            if (settings.ContentLayers.Contains(layer))
            {
                var weight = ContentWeight / (settings.MeanContentLoss ? targets[layer].numel() : 1);
                sum.PlusInPlace((gram.diagonal() - sums.TargetProducts![layer]).Times(weight));
            }

            return (Tensor?)sum.OverInPlace(sums.Positions[layer]);
        });

    // Responses smoothed as the whole picture's are: M · exp(F − log Σ exp F), the normaliser taken over the whole picture.
    // In float32 at least: a normaliser of a few hundred in bfloat16 would be a unit off in the exponent.
    // The inner responses are the whole picture's, so their exponent is at most 0; those in the margin,
    // which see the tile's edge as padding, can be larger, and are capped (at 50, far from float32's
    // overflow) so that the zero gradient they receive does not become inf × 0.
    private static Tensor Softmax(Tensor responses, Tensor logNormaliser, double positions)
    {
        return (Losses.Widened(responses) - logNormaliser.reshape(1, -1, 1, 1)).AtMost(50).exp().Times(positions).to(responses.dtype);
    }

    // The part over a tile's inner part of something at a layer's resolution for the whole picture (a
    // mask, the content target): it starts at the tile's inner corner over the layer's stride.
    private Tensor AtTile(Tensor atLayer, TileBox tile, string layer, PixelRange rows, PixelRange columns)
    {
        var (top, left) = (tile.Rows.Start / Strides()[layer], tile.Columns.Start / Strides()[layer]);
        return atLayer[.., .., top..(top + rows.Length), left..(left + columns.Length)];
    }

    private TileGrid Grid(Tensor rgb) => new((int)rgb.shape[2], (int)rgb.shape[3], settings.Tile, network.TileMargin(settings.Layers), network.TileAlignment);

    private static Tensor Crop(Tensor rgb, TileBox tile) =>
        rgb[.., .., tile.OuterRows.Start..tile.OuterRows.End, tile.OuterColumns.Start..tile.OuterColumns.End];

    private (PixelRange Rows, PixelRange Columns) InnerRanges(Tensor responses, TileBox tile, TileGrid grid, string layer)
    {
        var stride = Strides()[layer];
        return (
            TileGrid.AtLayer(tile.Rows, tile.OuterRows, grid.Height, stride, (int)responses.shape[2]),
            TileGrid.AtLayer(tile.Columns, tile.OuterColumns, grid.Width, stride, (int)responses.shape[3]));
    }

    private Tensor Inner(Tensor responses, TileBox tile, TileGrid grid, string layer)
    {
        var (rows, columns) = InnerRanges(responses, tile, grid, layer);
        return responses[.., .., rows.Start..rows.End, columns.Start..columns.End];
    }

    // The whole picture's responses at the layers (smoothed, when asked, over the whole picture),
    // put together from the tiles' inner parts.
    private Dictionary<string, Tensor> Stitched(Tensor rgb, IReadOnlyList<string> layers)
    {
        var grid = Grid(rgb);
        var parts = layers.ToDictionary(l => l, _ => new List<List<Tensor>>());
        var normalisers = settings.SoftmaxSmoothing ? TiledGrams(rgb, layers, [], default) : null;
        using (no_grad())
        {
            var row = -1;
            foreach (var tile in grid.Tiles)
            {
                row += tile.Columns.Start == 0 ? 1 : 0;
                var responses = network.Activations(Crop(rgb, tile), [.. layers]);
                if (normalisers is not null)
                {
                    responses = responses.ToDictionary(r => r.Key, r => Softmax(r.Value, normalisers.LogNormalisers![r.Key], normalisers.Positions[r.Key]));
                }

                foreach (var layer in layers)
                {
                    if (tile.Columns.Start == 0)
                    {
                        parts[layer].Add([]);
                    }

                    parts[layer][row].Add(Inner(responses[layer], tile, grid, layer).clone());
                }
            }
        }

        return layers.ToDictionary(l => l, l => cat([.. parts[l].Select(r => cat([.. r], 3))], 2));
    }

    private Dictionary<string, int> Strides()
    {
        if (strides is null)
        {
            using var scope = NewDisposeScope();
            using var noGradient = no_grad();
            var side = 4 * network.TileAlignment;
            var device = ((nn.Module)network).parameters().First().device;
            var probe = network.Activations(zeros(1, 3, side, side, device: device), settings.Layers);
            strides = settings.Layers.ToDictionary(l => l, l => side / (int)probe[l].shape[2]);
        }

        return strides;
    }

    // What pass 2 hands each tile: pass 1's sums, the content targets, the style factors and the softmax's corrections.
    private sealed record Pass2(TiledSums Sums, IReadOnlyDictionary<string, Tensor> Targets, Dictionary<string, Tensor> Factors, Tensor?[] MaskedFactors, Dictionary<string, Tensor?>? Corrections);

    private sealed record TiledSums(
        Dictionary<string, Tensor> Grams,
        Dictionary<string, double> Positions,
        Tensor[] MaskedGrams,
        Tensor[] LayerMasks,
        Dictionary<string, Tensor>? LogNormalisers,
        Dictionary<string, Tensor>? TargetProducts);

    // Pass 1's sums at one layer over the tiles' inner parts. Smoothed, they are sums of
    // E = exp(F − c) for a per-channel c raised to the largest response met so far (the sums so far
    // scaled down with it, so that nothing overflows), turned into the softmax's at the end.
    private sealed class LayerSums(bool smoothed)
    {
        private Tensor? shift;
        private Tensor? partition;
        private Tensor? targetProduct;

        public double Positions { get; private set; }

        public Tensor? Gram { get; private set; }

        public Dictionary<int, Tensor> Masked { get; } = [];

        // What this tile's Gram matrices are taken of: its responses, or E.
        public Tensor Take(Tensor inner, Tensor? target)
        {
            Positions += inner.shape[2] * inner.shape[3];

            // A last tile narrower than a deep layer's stride answers for none of its responses.
            if (!smoothed || inner.numel() == 0)
            {
                return inner;
            }

            var wide = Losses.Widened(inner);
            var highest = wide.amax([0, 2, 3]);
            if (shift is null)
            {
                shift = highest.MoveToOuterDisposeScope();
            }
            else
            {
                var raised = maximum(shift, highest);
                var down = (shift - raised).exp_();
                Gram?.mul_(down.unsqueeze(1) * down.unsqueeze(0));
                foreach (var masked in Masked.Values)
                {
                    masked.mul_(down.unsqueeze(1) * down.unsqueeze(0));
                }

                partition!.mul_(down);
                targetProduct?.mul_(down);
                shift.copy_(raised);
            }

            var e = (wide - shift.reshape(1, -1, 1, 1)).exp_();
            Add(ref partition, e.sum([0, 2, 3]));
            if (target is not null)
            {
                Add(ref targetProduct, (e * target).sum([0, 2, 3]));
            }

            return e;
        }

        public void AddGram(Tensor gram)
        {
            var sum = Gram;
            Add(ref sum, gram);
            Gram = sum;
        }

        public void AddMaskedGram(int term, Tensor gram)
        {
            var sum = Masked.GetValueOrDefault(term);
            Add(ref sum, gram);
            Masked[term] = sum!;
        }

        // A sum of E_c E_d as the smoothed responses' s_c s_d: s = M E / Σ E.
        public Tensor SmoothedGram(Tensor gram)
        {
            if (!smoothed)
            {
                return gram;
            }

            var scale = partition!.reciprocal().Times(Positions);
            return gram * (scale.unsqueeze(1) * scale.unsqueeze(0));
        }

        public Tensor LogNormaliser() => shift!.Plus(partition!.log());

        public Tensor TargetProduct() => targetProduct! * partition!.reciprocal().Times(Positions);

        private static void Add(ref Tensor? sum, Tensor part)
        {
            if (sum is null)
            {
                sum = part.MoveToOuterDisposeScope();
            }
            else
            {
                sum.PlusInPlace(part);
            }
        }
    }
}
