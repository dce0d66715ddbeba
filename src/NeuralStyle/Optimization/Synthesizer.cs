using System.Diagnostics;
using NeuralStyle.Objective;
using NeuralStyle.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Optimization;

/// <summary>What an optimisation run ended with.</summary>
/// <param name="Image">The final image, RGB 0–255 [1, 3, H, W]; the caller disposes it.</param>
/// <param name="IterationsRun">Iterations completed.</param>
/// <param name="Cancelled">True when cancellation stopped the run early.</param>
public sealed record SynthesisResult(Tensor Image, int IterationsRun, bool Cancelled);

/// <summary>How the loop optimises.</summary>
/// <param name="Optimizer">L-BFGS or Adam.</param>
/// <param name="LearningRate">The optimiser's learning rate (pixel units for Adam).</param>
/// <param name="Iterations">Iterations, one evaluation each.</param>
/// <param name="Jitter">Largest random shift in pixels of the image at each evaluation; 0 none.</param>
/// <param name="Seed">Seed of the shifts; null draws one.</param>
/// <param name="AverageDecay">
/// Return an exponential moving average of the iterates with this decay (0: the last iterate), which
/// smooths away the step-to-step noise that Adam and random shifts leave.
/// </param>
/// <param name="LbfgsHistory">Curvature pairs L-BFGS keeps.</param>
/// <param name="LearningRateEnd">
/// Adam's learning rate falls along a half cosine from <paramref name="LearningRate"/> at the first
/// iteration to this fraction of it at the last (1: constant). A constant rate leaves every pixel
/// moving by about the rate at each step, a noise that only a falling rate removes.
/// </param>
/// <param name="GradientSmoothing">
/// How much of the image's gradient is replaced by its <see cref="Binomial"/> filtering before each
/// step (0: none, 1: all): at 1 the steps carry nothing at the two-pixel period and half at four,
/// where a strided network imprints its grid; at ½, half and three quarters, which leaves the
/// painting's finest strokes more room.
/// </param>
/// <param name="LargestStep">When given, L-BFGS moves no pixel further than this in one step (<see cref="Lbfgs"/>): for a video's later frames, which start from a good picture.</param>
public sealed record SynthesisSettings(
    OptimizerKind Optimizer,
    double LearningRate,
    int Iterations,
    int Jitter = 0,
    int? Seed = null,
    double AverageDecay = 0,
    int LbfgsHistory = 100,
    double LearningRateEnd = 1,
    double GradientSmoothing = 0,
    double? LargestStep = null);

/// <summary>The optimisation loop: changes the pixels of an image to minimise a <see cref="GatysObjective"/>.</summary>
public static class Synthesizer
{
    /// <summary>
    /// Optimises a copy of <paramref name="initial"/> as <paramref name="settings"/> say, one evaluation per
    /// iteration, reporting every iteration to <paramref name="progress"/> and then handing the iteration's
    /// number and the image it returns so far to <paramref name="observe"/> (the tensor lives only
    /// during the call); cancellation stops between iterations and keeps the image. With jitter each
    /// evaluation sees the image rolled by a random offset of up to that many pixels.
    /// </summary>
    public static SynthesisResult Run(
        GatysObjective objective,
        Tensor initial,
        SynthesisSettings settings,
        IProgress<StepProgress>? progress = null,
        Action<int, Tensor>? observe = null,
        CancellationToken cancellation = default)
    {
        // Tiles of several sizes would leave a kept heap fragmented at several times a tile's peak, so a
        // tiled evaluation hands large blocks back when freed, and the rest after each iteration.
        var tiled = objective.Tiles(initial);
        if (tiled)
        {
            GlibcHeap.HandBackLargeBlocks();
        }
        else
        {
            GlibcHeap.KeepFreedMemory();
        }

        var (iterations, jitter) = (settings.Iterations, settings.Jitter);
        using var image = NewImage(initial);
        using var lbfgs = settings.Optimizer == OptimizerKind.Lbfgs ? new Lbfgs(image, settings.LearningRate, settings.LbfgsHistory, settings.LargestStep) : null;
        using var adam = settings.Optimizer == OptimizerKind.Adam ? new Adam(image, settings.LearningRate) : null;
        using var average = settings.AverageDecay > 0 ? image.detach().clone() : null;
        var (result, stepper) = (average ?? image, new Stepper(lbfgs, adam));
        var shifts = new Random(settings.Seed ?? Random.Shared.Next());
        var clock = Stopwatch.StartNew();
        var done = 0;
        while (done < iterations && !cancellation.IsCancellationRequested)
        {
            using var scope = NewDisposeScope();
            var shift = jitter > 0 ? (shifts.Next(-jitter, jitter + 1), shifts.Next(-jitter, jitter + 1)) : default;
            var losses = Iterate(objective, image, shift, done, settings, stepper, average);
            done++;
            if (tiled)
            {
                GlibcHeap.ReleaseFreedMemory();
            }

            progress?.Report(new StepProgress(
                done,
                iterations,
                losses.Content,
                losses.Style,
                losses.TotalVariation,
                losses.Total,
                clock.Elapsed,
                Environment.WorkingSet,
                (double)done / iterations));
            observe?.Invoke(done, result.detach());
        }

        using (NewDisposeScope())
        {
            return new SynthesisResult(result.detach().clone().DetachFromDisposeScope(), done, done < iterations);
        }
    }

    // One iteration: the objective and its gradient, the gradient smoothed and masked, the optimiser's
    // step (Adam's rate then set for the next one along its half cosine), the average moved.
    private static LossTerms Iterate(GatysObjective objective, Tensor image, (int, int) shift, int done, SynthesisSettings settings, Stepper stepper, Tensor? average)
    {
        var (losses, gradient) = objective.EvaluateWithGradient(image, shift, done);
        using var noGradient = no_grad();
        if (settings.GradientSmoothing > 0)
        {
            gradient.lerp_(Binomial.Smooth(gradient), settings.GradientSmoothing);
        }

        if (objective.Movable is { } movable)
        {
            gradient.mul_(movable);
        }

        if (stepper.Lbfgs is { } lbfgs)
        {
            lbfgs.Step(gradient);
        }
        else
        {
            stepper.Adam!.Step(gradient);
            var nextStep = (double)(done + 1) / Math.Max(1, settings.Iterations - 1);
            stepper.Adam.LearningRate = settings.LearningRate * CosineFraction(Math.Min(1, nextStep), settings.LearningRateEnd);
        }

        average?.lerp_(image, 1 - settings.AverageDecay);

        return losses;
    }

    private static double CosineFraction(double progress, double end) => end + ((1 - end) * 0.5 * (1 + Math.Cos(Math.PI * progress)));

    // The optimiser of a run: one of the two.
    private sealed record Stepper(Lbfgs? Lbfgs, Adam? Adam);

    private static Tensor NewImage(Tensor initial)
    {
        using var scope = NewDisposeScope();
        return initial.detach().clone().DetachFromDisposeScope();
    }
}
