namespace NeuralStyle.Optimization;

/// <summary>What happened at one iteration; one record per iteration feeds every front end.</summary>
/// <param name="Iteration">1-based iteration just finished.</param>
/// <param name="Iterations">Iterations asked for.</param>
/// <param name="ContentLoss">α · L_content at the image evaluated in this iteration.</param>
/// <param name="StyleLoss">β · L_style.</param>
/// <param name="TvLoss">Weighted total-variation loss.</param>
/// <param name="TotalLoss">The sum that is minimised.</param>
/// <param name="Elapsed">Time since the optimisation started.</param>
/// <param name="WorkingSetBytes">The process's working set after the iteration.</param>
/// <param name="WorkDone">
/// Fraction of the run's work finished, 0–1: iterations weighted by the pixels they process, so that
/// coarse scales, which cost a quarter as much per halving, count for that much.
/// </param>
/// <param name="Stage">The scale of a coarse-to-fine run the iteration belongs to; null for a synthesis run alone.</param>
public sealed record StepProgress(
    int Iteration,
    int Iterations,
    double ContentLoss,
    double StyleLoss,
    double TvLoss,
    double TotalLoss,
    TimeSpan Elapsed,
    long WorkingSetBytes,
    double WorkDone,
    ScaleStage? Stage = null)
{
    /// <summary>Iterations per second so far.</summary>
    public double IterationsPerSecond => Iteration / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>Estimated time to the last iteration at the rate of work so far.</summary>
    public TimeSpan Remaining => TimeSpan.FromSeconds(Elapsed.TotalSeconds * (1 - WorkDone) / Math.Max(WorkDone, 1e-9));

    /// <summary>Which scale the iteration belongs to, 0 the coarsest.</summary>
    public int Scale => Stage?.Index ?? 0;
}

/// <summary>One scale of a coarse-to-fine run as an iteration of it sees it.</summary>
/// <param name="Index">Which scale, 0 the coarsest.</param>
/// <param name="Count">Scales in the run.</param>
/// <param name="Width">The picture's width at this scale.</param>
/// <param name="Height">Its height.</param>
/// <param name="Tile">The tile it is evaluated with; 0: whole.</param>
/// <param name="Iteration">1-based iteration within the scale.</param>
/// <param name="Iterations">Iterations at this scale.</param>
/// <param name="Elapsed">Time since the scale's optimisation started.</param>
public sealed record ScaleStage(int Index, int Count, int Width, int Height, int Tile, int Iteration, int Iterations, TimeSpan Elapsed)
{
    /// <summary>Seconds per iteration at this scale so far.</summary>
    public double SecondsPerIteration => Elapsed.TotalSeconds / Math.Max(Iteration, 1);
}
