namespace NeuralStyle.Synthesis;

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
/// <param name="Scale">Which scale of a coarse-to-fine run the iteration belongs to, 0 the coarsest.</param>
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
    int Scale = 0)
{
    /// <summary>Iterations per second so far.</summary>
    public double IterationsPerSecond => Iteration / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>Estimated time to the last iteration at the rate of work so far.</summary>
    public TimeSpan Remaining => TimeSpan.FromSeconds(Elapsed.TotalSeconds * (1 - WorkDone) / Math.Max(WorkDone, 1e-9));
}
