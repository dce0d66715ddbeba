using NeuralStyle.Objective;

namespace NeuralStyle.FastPainters;

/// <summary>One step of a training run.</summary>
/// <param name="Step">Steps taken, this one included.</param>
/// <param name="Steps">Steps the run takes in all.</param>
/// <param name="Loss">The step's weighted terms, averaged over its crops.</param>
/// <param name="Elapsed">Time since this run (or its resumption) began.</param>
/// <param name="SecondsPerStep">This run's pace so far.</param>
/// <param name="Clipped">Steps of this run clipped or left out so far (see <see cref="TrainingResult.Clipped"/>).</param>
public sealed record TrainingProgress(int Step, int Steps, LossTerms Loss, TimeSpan Elapsed, double SecondsPerStep, int Clipped = 0)
{
    /// <summary>The time left at this run's pace so far.</summary>
    public TimeSpan Remaining => TimeSpan.FromSeconds(SecondsPerStep * (Steps - Step));
}

/// <summary>How a training run ended.</summary>
/// <param name="Steps">Steps taken in all (those before a resumption included).</param>
/// <param name="Stopped">Whether it was stopped before its last step (its checkpoint saved, the painter not written).</param>
/// <param name="Checkpoint">Where its state is saved.</param>
/// <param name="Clipped">Steps of this run whose gradient was more than ten times the usual and was scaled down to that, or was not finite and was left out.</param>
public sealed record TrainingResult(int Steps, bool Stopped, string Checkpoint, int Clipped = 0);
