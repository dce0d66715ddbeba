using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Synthesis;

/// <summary>What an optimisation run ended with.</summary>
/// <param name="Image">The final image, RGB 0–255 [1, 3, H, W]; the caller disposes it.</param>
/// <param name="IterationsRun">Iterations completed.</param>
/// <param name="Cancelled">True when cancellation stopped the run early.</param>
public sealed record SynthesisResult(Tensor Image, int IterationsRun, bool Cancelled);

/// <summary>The optimisation loop: changes the pixels of an image to minimise a <see cref="GatysObjective"/>.</summary>
public static class Synthesizer
{
    /// <summary>
    /// Optimises a copy of <paramref name="initial"/> for <paramref name="iterations"/> iterations of one
    /// evaluation each, reporting every iteration and handing the current image to <paramref name="snapshots"/>
    /// every so many; cancellation stops between iterations and keeps the image.
    /// </summary>
    public static SynthesisResult Run(
        GatysObjective objective,
        Tensor initial,
        OptimizerKind optimizerKind,
        double learningRate,
        int iterations,
        IProgress<StepProgress>? progress = null,
        (int Every, Action<int, Tensor> Receive)? snapshots = null,
        CancellationToken cancellation = default,
        int lbfgsHistory = 100)
    {
        using var image = NewParameter(initial);
        using var lbfgs = optimizerKind == OptimizerKind.Lbfgs ? new Lbfgs(image, learningRate, lbfgsHistory) : null;
        using var adam = optimizerKind == OptimizerKind.Adam ? optim.Adam([image], lr: learningRate) : null;
        var clock = Stopwatch.StartNew();
        var done = 0;
        while (done < iterations && !cancellation.IsCancellationRequested)
        {
            using var scope = NewDisposeScope();
            image.grad?.zero_();
            var terms = objective.Evaluate(image);
            terms.Total.backward();
            var losses = (Content: terms.Content.ToDouble(), Style: terms.Style.ToDouble(), TotalVariation: terms.TotalVariation.ToDouble(), Total: terms.Total.ToDouble());
            if (lbfgs is not null)
            {
                lbfgs.Step(image.grad!);
            }
            else
            {
                adam!.step();
            }

            done++;
            progress?.Report(new StepProgress(
                done,
                iterations,
                losses.Content,
                losses.Style,
                losses.TotalVariation,
                losses.Total,
                clock.Elapsed,
                Environment.WorkingSet));
            if (snapshots is { } s && done % s.Every == 0 && done < iterations)
            {
                s.Receive(done, image.detach());
            }
        }

        using (NewDisposeScope())
        {
            return new SynthesisResult(image.detach().clone().DetachFromDisposeScope(), done, done < iterations);
        }
    }

    private static Parameter NewParameter(Tensor initial)
    {
        using var scope = NewDisposeScope();
        return (Parameter)new Parameter(initial.detach().clone(), requires_grad: true).DetachFromDisposeScope();
    }
}
