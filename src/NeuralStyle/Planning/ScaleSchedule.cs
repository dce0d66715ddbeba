using NeuralStyle.Images;
using NeuralStyle.Optimization;

namespace NeuralStyle.Planning;

/// <summary>
/// Coarse to fine: the picture's size at each scale, the tile it is evaluated with, its iterations and
/// its share of the work, so that iterations, time and the fraction done count on across scales as one run.
/// </summary>
internal sealed class ScaleSchedule
{
    // Scales under this many pixels on their longest side are left out: the networks' deepest
    // layers would see a few positions only.
    private const int SmallestSide = 64;

    private readonly double[] workBefore;
    private readonly double[] workShare;

    /// <summary>
    /// Lays out the scales of <paramref name="sizes"/> with their <paramref name="tiles"/> (0: whole):
    /// <paramref name="iterations"/> at each, <paramref name="tiledIterations"/> at those evaluated in tiles.
    /// </summary>
    public ScaleSchedule(IReadOnlyList<(int Width, int Height)> sizes, IReadOnlyList<int> tiles, int iterations, int tiledIterations)
    {
        (Sizes, Tiles) = (sizes, tiles);
        Iterations = [.. sizes.Select((_, k) => IsTiled(k) ? tiledIterations : iterations)];
        var work = sizes.Select((s, k) => (double)s.Width * s.Height * Iterations[k]).ToArray();
        workShare = [.. work.Select(w => w / work.Sum())];
        workBefore = [.. Enumerable.Range(0, work.Length).Select(k => workShare[..k].Sum())];
    }

    /// <summary>Width and height at each scale, coarse to fine; the last is the result's.</summary>
    public IReadOnlyList<(int Width, int Height)> Sizes { get; }

    /// <summary>The tile each scale is evaluated with (<see cref="Objective.ObjectiveSettings.Tile"/>); 0: whole.</summary>
    public IReadOnlyList<int> Tiles { get; }

    /// <summary>Iterations at each scale.</summary>
    public IReadOnlyList<int> Iterations { get; }

    /// <summary>Iterations of the whole run.</summary>
    public int TotalIterations => Iterations.Sum();

    /// <summary>Width and height at each of <paramref name="scales"/> scales ending at <paramref name="size"/>, for the photo's aspect ratio.</summary>
    public static IReadOnlyList<(int Width, int Height)> SizesFor((int Width, int Height) content, int size, int scales) =>
        [.. LongestSides(size, scales).Select(side => RgbImage.SizeWithLongestSide(content.Width, content.Height, side))];

    /// <summary>The longest side at each scale, coarse to fine: halving from <paramref name="size"/>, none under 64 px but the last.</summary>
    public static IReadOnlyList<int> LongestSides(int size, int scales) =>
        [.. Enumerable.Range(0, scales).Select(k => (int)Math.Round(size / Math.Pow(2, scales - 1 - k))).Where(s => s >= SmallestSide || s == size)];

    /// <summary>Whether scale <paramref name="scale"/> is evaluated in tiles: its tile is smaller than its longest side.</summary>
    public bool IsTiled(int scale) => Tiles[scale] > 0 && Math.Max(Sizes[scale].Width, Sizes[scale].Height) > Tiles[scale];

    /// <summary>The run-wide iteration of iteration <paramref name="iteration"/> (1-based) of scale <paramref name="scale"/>.</summary>
    public int RunIteration(int scale, int iteration) => Iterations.Take(scale).Sum() + iteration;

    /// <summary>A scale's progress record as the whole run's, the scales before it having taken <paramref name="elapsedBefore"/>.</summary>
    public StepProgress RunWide(int scale, StepProgress record, TimeSpan elapsedBefore) => record with
    {
        Iteration = RunIteration(scale, record.Iteration),
        Iterations = TotalIterations,
        Elapsed = elapsedBefore + record.Elapsed,
        WorkDone = workBefore[scale] + (record.WorkDone * workShare[scale]),
        Stage = new ScaleStage(scale, Sizes.Count, Sizes[scale].Width, Sizes[scale].Height, IsTiled(scale) ? Tiles[scale] : 0, record.Iteration, record.Iterations, record.Elapsed),
    };
}
