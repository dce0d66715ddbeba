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

        var (grams, positions) = TiledGrams(shifted, styleLayers);
        var style = zeros(1, dtype: float64, device: imageRgb.device);
        var factors = new Dictionary<string, Tensor>();
        foreach (var (layer, weight) in settings.StyleLayers)
        {
            double n = grams[layer].shape[0];
            var m = positions[layer];
            var difference = grams[layer] - StyleTargets[layer];
            style += difference.square().sum() * (weight * settings.StyleWeight / (4.0 * n * n * m * m));
            factors[layer] = difference.mul_(weight * settings.StyleWeight / (n * n * m * m));
        }

        var content = zeros(1, dtype: float64, device: imageRgb.device);
        var pixelGradient = zeros_like(shifted);
        foreach (var tile in grid.Tiles)
        {
            using var tileScope = NewDisposeScope();
            var input = Crop(shifted, tile).clone().requires_grad_(true);
            Dictionary<string, Tensor> responses;
            using (enable_grad())
            {
                responses = network.Activations(input, settings.Layers);
            }

            var gradients = new List<Tensor>();
            foreach (var layer in settings.Layers)
            {
                var f = responses[layer];
                var gradient = zeros_like(f);
                var (rows, columns) = InnerRanges(f, tile, grid, layer);
                var inner = f[.., .., rows.Start..rows.End, columns.Start..columns.End];
                var innerGradient = gradient[.., .., rows.Start..rows.End, columns.Start..columns.End];
                if (settings.ContentLayers.Contains(layer))
                {
                    // Where the tile's inner part starts in the whole picture's responses at this layer.
                    var (top, left) = (tile.Rows.Start / Strides()[layer], tile.Columns.Start / Strides()[layer]);
                    var target = targets[layer][.., .., top..(top + rows.Length), left..(left + columns.Length)];
                    var weight = settings.ContentWeight / (settings.MeanContentLoss ? targets[layer].numel() : 1);
                    var (value, g) = Losses.ContentWithGradient(inner, target, weight);
                    content.add_(value);
                    innerGradient.add_(g);
                }

                if (factors.TryGetValue(layer, out var factor))
                {
                    var flat = inner.reshape(inner.shape[1], -1);
                    innerGradient.add_(factor.to(f.dtype).mm(flat).reshape(inner.shape));
                }

                gradients.Add(gradient);
            }

            if (imageRgb.requires_grad)
            {
                using (enable_grad())
                {
                    autograd.backward([.. settings.Layers.Select(l => responses[l])], gradients);
                }

                pixelGradient[.., .., tile.OuterRows.Start..tile.OuterRows.End, tile.OuterColumns.Start..tile.OuterColumns.End].add_(input.grad!);
            }
        }

        if (imageRgb.requires_grad)
        {
            // Through the shift, so that autograd adds it to the image's gradient as the whole evaluation's backward pass does.
            using (enable_grad())
            {
                autograd.backward([shift == default ? imageRgb : imageRgb.roll([shift.Rows, shift.Columns], [2, 3])], [pixelGradient]);
            }
        }

        return PixelTerms(imageRgb, evaluation, content, style);
    }

    // The Gram matrix of the whole picture's responses at each layer, added up over the tiles' inner
    // parts, and the layer's number of positions; in the caller's dispose scope.
    private (Dictionary<string, Tensor> Grams, Dictionary<string, double> Positions) TiledGrams(Tensor rgb, IReadOnlyList<string> layers)
    {
        var grid = Grid(rgb);
        var grams = new Dictionary<string, Tensor>();
        var positions = layers.ToDictionary(l => l, _ => 0.0);
        using var noGradient = no_grad();
        foreach (var tile in grid.Tiles)
        {
            using var tileScope = NewDisposeScope();
            var responses = network.Activations(Crop(rgb, tile), [.. layers]);
            foreach (var layer in layers)
            {
                var inner = Inner(responses[layer], tile, grid, layer);
                positions[layer] += inner.shape[2] * inner.shape[3];
                var gram = Losses.Gram(inner);
                if (grams.TryGetValue(layer, out var sum))
                {
                    sum.add_(gram);
                }
                else
                {
                    grams[layer] = gram.MoveToOuterDisposeScope();
                }
            }
        }

        return (grams, positions);
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

    // The whole picture's responses at the layers, put together from the tiles' inner parts.
    private Dictionary<string, Tensor> Stitched(Tensor rgb, IReadOnlyList<string> layers)
    {
        var grid = Grid(rgb);
        var parts = layers.ToDictionary(l => l, _ => new List<List<Tensor>>());
        using (no_grad())
        {
            var row = -1;
            foreach (var tile in grid.Tiles)
            {
                row += tile.Columns.Start == 0 ? 1 : 0;
                var responses = network.Activations(Crop(rgb, tile), [.. layers]);
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
}
