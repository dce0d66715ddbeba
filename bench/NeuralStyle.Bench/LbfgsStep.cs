using System.Diagnostics;
using NeuralStyle.Synthesis;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Bench;

/// <summary>
/// The L-BFGS update alone once its history is full: its two-loop recursion reads every stored pair
/// twice, so its cost grows with the history while the network's does not.
/// </summary>
internal static class LbfgsStep
{
    public const int History = 100;

    /// <summary>Median seconds of a step on a 3 × size × size image, after filling the history on a quadratic.</summary>
    public static double Seconds(int size, Device device)
    {
        using var scope = NewDisposeScope();
        var x = (rand(1, 3, size, size, device: device) * 255).requires_grad_(false);

        // Gradient of Σ c_i x_i² / 2 with c in [1, 2]: the curvature condition holds at every step.
        var curvature = rand(1, 3, size, size, device: device) + 1;
        using var lbfgs = new Lbfgs(x, 1e-3, History);
        var seconds = new List<double>();
        for (var i = 0; i < History + 6; i++)
        {
            using var step = NewDisposeScope();
            var gradient = curvature * x;
            var clock = Stopwatch.StartNew();
            lbfgs.Step(gradient);
            _ = x.sum().ToDouble();
            if (i > History)
            {
                seconds.Add(clock.Elapsed.TotalSeconds);
            }
        }

        return seconds.Order().ElementAt(seconds.Count / 2);
    }
}
