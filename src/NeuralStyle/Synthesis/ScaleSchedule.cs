using NeuralStyle.Images;

namespace NeuralStyle.Synthesis;

/// <summary>
/// Coarse to fine: the picture's size at each scale and each scale's share of the work, so that
/// iterations, time and the fraction done count on across scales as one run.
/// </summary>
internal sealed class ScaleSchedule
{
    // Scales under this many pixels on their longest side are left out: the networks' deepest
    // layers would see a few positions only.
    private const int SmallestSide = 64;

    private readonly double[] workBefore;
    private readonly double[] workShare;

    /// <summary>Lays out <paramref name="scales"/> scales ending at <paramref name="size"/> for the photo's aspect ratio.</summary>
    public ScaleSchedule(RgbImage content, int size, int scales, int iterationsPerScale)
    {
        Sizes = [.. LongestSides(size, scales).Select(content.SizeWithLongestSide)];
        IterationsPerScale = iterationsPerScale;
        var areas = Sizes.Select(s => (double)s.Width * s.Height).ToArray();
        workShare = [.. areas.Select(a => a / areas.Sum())];
        workBefore = [.. Enumerable.Range(0, areas.Length).Select(k => workShare[..k].Sum())];
    }

    /// <summary>Width and height at each scale, coarse to fine; the last is the result's.</summary>
    public IReadOnlyList<(int Width, int Height)> Sizes { get; }

    /// <summary>Iterations at each scale.</summary>
    public int IterationsPerScale { get; }

    /// <summary>Iterations of the whole run.</summary>
    public int TotalIterations => IterationsPerScale * Sizes.Count;

    /// <summary>The longest side at each scale, coarse to fine: halving from <paramref name="size"/>, none under 64 px but the last.</summary>
    public static IReadOnlyList<int> LongestSides(int size, int scales) =>
        [.. Enumerable.Range(0, scales).Select(k => (int)Math.Round(size / Math.Pow(2, scales - 1 - k))).Where(s => s >= SmallestSide || s == size)];

    /// <summary>The run-wide iteration of iteration <paramref name="iteration"/> (1-based) of scale <paramref name="scale"/>.</summary>
    public int RunIteration(int scale, int iteration) => (scale * IterationsPerScale) + iteration;

    /// <summary>A scale's progress record as the whole run's, the scales before it having taken <paramref name="elapsedBefore"/>.</summary>
    public StepProgress RunWide(int scale, StepProgress record, TimeSpan elapsedBefore) => record with
    {
        Scale = scale,
        Iteration = RunIteration(scale, record.Iteration),
        Iterations = TotalIterations,
        Elapsed = elapsedBefore + record.Elapsed,
        WorkDone = workBefore[scale] + (record.WorkDone * workShare[scale]),
    };
}
