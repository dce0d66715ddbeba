using NeuralStyle.Networks;
using NeuralStyle.Objective.Terms;
using NeuralStyle.Planning;
using NeuralStyle.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Objective;

/// <summary>
/// The network as the objective reads it: its responses at named layers, smoothed when asked, for a
/// picture read whole or, when it is larger than a tile, tile by tile (<see cref="TileGrid"/>).
/// </summary>
internal sealed class ResponseReader(IFeatureNetwork network, ObjectiveSettings settings)
{
    // Each layer's stride in pixels, read from the shapes of one small run.
    private Dictionary<string, int>? strides;

    /// <summary>Whether responses are smoothed by a softmax over each channel's positions.</summary>
    public bool Smoothing => settings.SoftmaxSmoothing;

    /// <summary>Every layer the objective reads.</summary>
    public IReadOnlyList<string> Layers { get; } = settings.Layers;

    /// <summary>Whether a picture the size of <paramref name="rgb"/> is read tile by tile.</summary>
    public bool Tiles(Tensor rgb) => settings.Tile > 0 && Math.Max(rgb.shape[2], rgb.shape[3]) > settings.Tile;

    /// <summary>The whole picture's responses at <paramref name="layers"/>, smoothed as asked, differentiable.</summary>
    public Dictionary<string, Tensor> Whole(Tensor rgb, IReadOnlyCollection<string> layers) => Smooth(network.Activations(rgb, layers));

    /// <summary>
    /// The terms' values at the whole pictures' responses (the pictures shifted, then <paramref name="prepare"/>d
    /// when given) and, when asked, the gradient of their sum with respect to the pixels: the terms'
    /// gradients at the responses, their closed forms, handed to one backward pass, so that autograd
    /// records only the network and the smoothing.
    /// </summary>
    public (List<Tensor> Values, Tensor? Gradient) Evaluate(Tensor pictures, EvaluationContext context, IReadOnlyList<IResponseTerm> terms, IReadOnlyCollection<string> layers, bool withGradient, Func<Tensor, Tensor>? prepare = null)
    {
        using var gradientMode = enable_grad();
        var leaf = withGradient ? pictures.detach().requires_grad_(true) : pictures;
        var shifted = context.Shifted(leaf);
        var responses = Whole(prepare is null ? shifted : prepare(shifted), layers);
        var picture = new PictureResponses(responses, context);
        var gradients = new Dictionary<string, Tensor>();
        List<Tensor> values;
        using (no_grad())
        {
            values = [.. terms.Select(t => t.Evaluate(picture, gradients))];
        }

        var gradient = !withGradient ? null
            : gradients.Count == 0 ? zeros_like(pictures)
            : autograd.grad([.. gradients.Keys.Select(l => responses[l])], [leaf], [.. gradients.Values])[0];
        return (values, gradient);
    }

    /// <summary>
    /// The whole picture's responses at <paramref name="layers"/> without gradients: read whole, or
    /// put together from the tiles' inner parts.
    /// </summary>
    public Dictionary<string, Tensor> Responses(Tensor rgb, IReadOnlyList<string> layers)
    {
        using var noGradient = no_grad();
        if (!Tiles(rgb))
        {
            var responses = Whole(rgb, [.. layers]);
            return layers.ToDictionary(l => l, l => responses[l].detach());
        }

        var parts = layers.ToDictionary(l => l, _ => new List<List<Tensor>>());
        ReadTiles(rgb, layers, Smoothing ? Normalisers(rgb, layers) : null, bottomRightFirst: false, (tile, layer, inner, _) =>
        {
            if (tile.Columns.Start == 0)
            {
                parts[layer].Add([]);
            }

            parts[layer][^1].Add(inner.clone().MoveToOuterDisposeScope());
        });

        return layers.ToDictionary(l => l, l => cat([.. parts[l].Select(r => cat([.. r], 3))], 2));
    }

    /// <summary>
    /// The Gram matrix of the whole picture's responses at each of <paramref name="layers"/> and the
    /// layer's number of positions, without gradients: read whole, or summed over the tiles.
    /// </summary>
    public Dictionary<string, (Tensor Gram, double Positions)> Grams(Tensor rgb, IReadOnlyList<string> layers)
    {
        using var noGradient = no_grad();
        if (!Tiles(rgb))
        {
            var responses = Whole(rgb, [.. layers]);
            return layers.ToDictionary(l => l, l => (Losses.Gram(responses[l]), (double)responses[l].shape[2] * responses[l].shape[3]));
        }

        var sums = new Dictionary<string, (Tensor Gram, double Positions)>();
        ReadTiles(rgb, layers, Smoothing ? Normalisers(rgb, layers) : null, bottomRightFirst: true, (_, layer, inner, place) =>
        {
            var gram = Losses.Gram(inner);
            sums[layer] = sums.TryGetValue(layer, out var sum)
                ? (sum.Gram.PlusInPlace(gram), sum.Positions + place.Positions)
                : (gram.MoveToOuterDisposeScope(), place.Positions);
        });

        return sums;
    }

    /// <summary>
    /// Reads a picture tile by tile without gradients: each tile's inner responses at
    /// <paramref name="layers"/> (smoothed with the whole picture's normalisers when given) handed to
    /// <paramref name="read"/> with the tile and their place, each tile in a dispose scope of its own
    /// (what <paramref name="read"/> keeps it moves to the caller's); the bottom-right tile first when asked.
    /// </summary>
    public void ReadTiles(Tensor rgb, IReadOnlyList<string> layers, IReadOnlyDictionary<string, SoftmaxNormaliser>? normalisers, bool bottomRightFirst, Action<TileBox, string, Tensor, TilePlace> read)
    {
        var grid = Grid(rgb);
        using var noGradient = no_grad();
        foreach (var tile in bottomRightFirst ? grid.Tiles.Reverse() : grid.Tiles)
        {
            using var tileScope = NewDisposeScope();
            var responses = TileResponses(Crop(rgb, tile), layers, normalisers);
            foreach (var layer in layers)
            {
                var place = Place(responses[layer], tile, grid, layer);
                read(tile, layer, place.Inner(responses[layer]), place);
            }
        }
    }

    /// <summary>
    /// A tile's responses (its crop of the picture) at <paramref name="layers"/> (differentiable when grad mode is on), smoothed
    /// with the whole picture's normalisers when given.
    /// </summary>
    public Dictionary<string, Tensor> TileResponses(Tensor crop, IReadOnlyList<string> layers, IReadOnlyDictionary<string, SoftmaxNormaliser>? normalisers)
    {
        var responses = network.Activations(crop, [.. layers]);
        return normalisers is null ? responses : responses.ToDictionary(r => r.Key, r => normalisers[r.Key].Smooth(r.Value));
    }

    /// <summary>Each layer's softmax normaliser over the whole picture, read tile by tile (in the caller's dispose scope).</summary>
    public Dictionary<string, SoftmaxNormaliser> Normalisers(Tensor rgb, IReadOnlyList<string> layers)
    {
        var normalisers = layers.ToDictionary(l => l, _ => new SoftmaxNormaliser());
        ReadTiles(rgb, layers, null, bottomRightFirst: false, (_, layer, inner, _) => normalisers[layer].Add(inner));
        return normalisers;
    }

    /// <summary>The tiles of a picture the size of <paramref name="rgb"/>.</summary>
    public TileGrid Grid(Tensor rgb) => new((int)rgb.shape[2], (int)rgb.shape[3], settings.Tile, network.TileMargin(Layers), network.TileAlignment);

    /// <summary>The part of the picture a tile reads.</summary>
    public static Tensor Crop(Tensor rgb, TileBox tile) =>
        rgb[.., .., tile.OuterRows.Start..tile.OuterRows.End, tile.OuterColumns.Start..tile.OuterColumns.End];

    /// <summary>Where a tile's inner responses lie, in its own responses at a layer and in the whole picture's.</summary>
    public TilePlace Place(Tensor responses, TileBox tile, TileGrid grid, string layer)
    {
        var stride = Strides()[layer];
        var rows = TileGrid.AtLayer(tile.Rows, tile.OuterRows, grid.Height, stride, (int)responses.shape[2]);
        var columns = TileGrid.AtLayer(tile.Columns, tile.OuterColumns, grid.Width, stride, (int)responses.shape[3]);
        return new TilePlace(rows.Start, columns.Start, tile.Rows.Start / stride, tile.Columns.Start / stride, rows.Length, columns.Length);
    }

    /// <summary>Responses smoothed by M · softmax over each channel's M positions, when asked.</summary>
    public Dictionary<string, Tensor> Smooth(Dictionary<string, Tensor> responses) => !Smoothing
        ? responses
        : responses.ToDictionary(r => r.Key, r =>
        {
            var positions = r.Value.shape[2] * r.Value.shape[3];
            return nn.functional.softmax(r.Value.flatten(2), 2).reshape(r.Value.shape).Times(positions);
        });

    private Dictionary<string, int> Strides()
    {
        if (strides is null)
        {
            using var scope = NewDisposeScope();
            using var noGradient = no_grad();
            var side = 4 * network.TileAlignment;
            var device = ((nn.Module)network).parameters().First().device;
            var probe = network.Activations(zeros(1, 3, side, side, device: device), Layers);
            strides = Layers.ToDictionary(l => l, l => side / (int)probe[l].shape[2]);
        }

        return strides;
    }
}
