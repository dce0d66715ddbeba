using NeuralStyle.Objective.Terms;
using NeuralStyle.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Objective;

/// <summary>The objective evaluated tile by tile (<see cref="ObjectiveSettings.Tile"/>), in memory that a tile bounds.</summary>
public sealed partial class GatysObjective
{
    // Smoothed, a first pass reads each layer's softmax normaliser over the whole picture. Pass 1 hands
    // each tile's inner responses to the terms that sum something over the whole picture; pass 2 runs
    // each tile again, asks every term for the gradient at its inner responses, and adds the pixel
    // gradient the tile sends back into the whole picture's: the margins' gradients overlap and add up.
    private (List<Tensor> Values, Tensor? Gradient) EvaluateTiled(Tensor imageRgb, EvaluationContext context, bool withGradient)
    {
        if (imageRgb.shape[0] != 1)
        {
            throw new ArgumentException("a tiled evaluation takes one picture at a time", nameof(imageRgb));
        }

        var grid = reader.Grid(imageRgb);
        using var noGradient = no_grad();
        var shifted = context.Shifted(imageRgb).detach();
        var normalisers = reader.Smoothing ? reader.Normalisers(shifted, reader.Layers) : null;
        var parts = responseTerms.Select(t => t.Tiled(context)).ToList();
        Gather(shifted, parts, normalisers);
        var values = parts.Select(p => p.Conclude()).ToList();
        var corrections = normalisers is null ? null : reader.Layers.ToDictionary(l => l, l => SmoothingCorrection(parts, l, normalisers[l].Positions));
        var pixelGradient = zeros_like(shifted);
        foreach (var tile in grid.Tiles)
        {
            using var tileScope = NewDisposeScope();
            var input = ResponseReader.Crop(shifted, tile).clone().requires_grad_(true);
            Dictionary<string, Tensor> responses;
            using (enable_grad())
            {
                responses = reader.TileResponses(input, reader.Layers, normalisers);
            }

            var gradients = reader.Layers.Select(layer => TileGradient(responses[layer], reader.Place(responses[layer], tile, grid, layer), layer, parts, values, corrections?[layer])).ToList();
            if (withGradient)
            {
                using (enable_grad())
                {
                    var tileGradient = autograd.grad([.. reader.Layers.Select(l => responses[l])], [input], gradients)[0];
                    pixelGradient[.., .., tile.OuterRows.Start..tile.OuterRows.End, tile.OuterColumns.Start..tile.OuterColumns.End].PlusInPlace(tileGradient);
                }
            }
        }

        // Back through the shift, as the whole evaluation's backward pass goes.
        var gradient = !withGradient ? null : context.Shift == default ? pixelGradient : pixelGradient.roll([-context.Shift.Rows, -context.Shift.Columns], [2, 3]);
        return (values, gradient);
    }

    // Pass 1, the bottom-right tile first, for the terms that gather.
    private void Gather(Tensor shifted, List<ITiledTerm> parts, Dictionary<string, SoftmaxNormaliser>? normalisers)
    {
        var gathered = reader.Layers.Where(l => parts.Any(p => p.Gathered.Contains(l))).ToList();
        if (gathered.Count == 0)
        {
            return;
        }

        reader.ReadTiles(shifted, gathered, normalisers, bottomRightFirst: true, (_, layer, inner, place) =>
        {
            foreach (var part in parts.Where(p => p.Gathered.Contains(layer)))
            {
                part.Gather(layer, inner, place);
            }
        });
    }

    // The terms' gradient at one layer's responses f of a tile: nonzero at its inner part only (the
    // margins belong to other tiles); each term's share of the value is added to its value.
    private Tensor TileGradient(Tensor f, TilePlace place, string layer, List<ITiledTerm> parts, List<Tensor> values, Tensor? correction)
    {
        var gradient = zeros_like(f);
        var (inner, innerGradient) = (place.Inner(f), place.Inner(gradient));
        for (var i = 0; i < parts.Count; i++)
        {
            if (responseTerms[i].Layers.Contains(layer) && parts[i].AddGradient(layer, inner, place, innerGradient) is { } value)
            {
                values[i].PlusInPlace(value);
            }
        }

        if (correction is not null)
        {
            innerGradient.sub_(correction.to(f.dtype).reshape(1, -1, 1, 1));
        }

        return gradient;
    }

    // The softmax's gradient subtracts from each channel's gradient g at the smoothed responses s the
    // mean over the whole picture of g s: the terms' sums of it over the positions.
    private static Tensor? SmoothingCorrection(List<ITiledTerm> parts, string layer, double positions)
    {
        var sums = parts.Select(p => p.SmoothingSum(layer)).OfType<Tensor>().ToList();
        return sums.Count == 0 ? null : sums.Aggregate((a, b) => a.Plus(b)).Over(positions);
    }
}
