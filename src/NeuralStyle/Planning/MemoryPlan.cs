using NeuralStyle.Images;
using NeuralStyle.Networks;

namespace NeuralStyle.Planning;

/// <summary>
/// The memory and tile plan of one scale: whole where the job fits in the memory available, else in
/// the largest tiles that fit, else refused with a line that says what would fit.
/// </summary>
internal static class MemoryPlan
{
    // The tile the run evaluates with: the one asked for; else none when the whole picture fits; else,
    // when it does not, the largest tile that fits.
    public static int TileFor(ResolvedOptions job, IFeatureNetwork network, (int Width, int Height) size, IReadOnlyList<RgbImage> paintings, int maskedPaintings)
    {
        var (kind, objective, synthesis, options) = (job.Defaults.Network, job.Objective, job.Synthesis, job.Options);
        if (Budget(job.Options) is not { } available)
        {
            return options.Tile;
        }

        var bfloat16 = options.Precision == Precision.BFloat16;
        var side = StyleTransfer.PaintingSide(options, size.Width, size.Height);
        var largest = paintings.Select(p => p.SizeWithLongestSide(side)).MaxBy(s => (long)s.Width * s.Height);
        StyleTransferException? Refusal(int tile, double budget)
        {
            // Tiled, the network holds one tile with its margins at a time; the optimiser, the whole picture.
            var reach = tile == 0 ? int.MaxValue : tile + (2 * network.TileMargin([.. objective.Layers])) + network.TileAlignment;
            var cost = NetworkCost.Count(network, [.. objective.Layers], Math.Min(size.Height, reach), Math.Min(size.Width, reach));
            var whole = MemoryEstimate.For(kind, cost, size.Height, size.Width, synthesis, bfloat16, maskedPaintings);
            var estimate = tile == 0 ? whole : whole with { NetworkBytes = whole.NetworkBytes + (2 * whole.ImageBytes) };

            // The paintings' targets are computed before each scale's synthesis, one painting at a time,
            // from the painting itself, whole: its bytes, its RGBA copy while resized and its float32 tensor.
            var styleCost = NetworkCost.Count(network, [.. objective.StyleLayers.Select(s => s.Layer)], Math.Min(largest.Height, reach), Math.Min(largest.Width, reach));
            var targets = MemoryEstimate.ForTargets(kind, styleCost, bfloat16);
            targets = targets with { NetworkBytes = targets.NetworkBytes + (19.0 * largest.Width * largest.Height) };
            return estimate.Refusal(options.Size, size.Width, size.Height, synthesis.Optimizer, budget)
                ?? targets.Refusal(options.StyleScale, largest.Width, largest.Height, budget);
        }

        if (options.Tile > 0)
        {
            return Refusal(options.Tile, available) is { } refusal ? throw refusal : options.Tile;
        }

        if (Refusal(0, available) is null)
        {
            return 0;
        }

        // A tile chosen here leaves a fifth of the memory free: the estimate's factors were measured on
        // whole pictures, and VGG-19 at 3000 × 2001 in tiles of 2384 px, estimated at 22.9 of 23.2 GiB,
        // was killed at 22.7 GiB resident. When no tile fits, the optimiser's state is what does not:
        // the refusal for the smallest tile names the L-BFGS history, or Adam, that would.
        var budget = 0.8 * available;
        return MemoryEstimate.LargestTile(t => Refusal(t, budget) is null, Math.Max(size.Width, size.Height), network.TileAlignment) is { } chosen ? chosen
            : throw InTiles(Refusal(MemoryEstimate.SmallestTile, budget)!);
    }

    // What is free, or the job's own limit when that is lower.
    private static double? Budget(StyleTransferOptions options) => (MemoryEstimate.AvailableBytes(), options.MaxMemory) switch
    {
        ({ } free, { } limit) => Math.Min(free, limit),
        (var free, var limit) => free ?? limit,
    };

    private static StyleTransferException InTiles(StyleTransferException refusal) =>
        StyleTransferException.About(refusal.Setting!, $"{refusal.Detail} (in tiles of {MemoryEstimate.SmallestTile} px)");
}
