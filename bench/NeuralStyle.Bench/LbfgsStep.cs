using System.Diagnostics;
using NeuralStyle.Optimization;
using NeuralStyle.Platform;
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
        var x = rand(1, 3, size, size, device: device).Times(255).requires_grad_(false);

        // Gradient of Σ c_i x_i² / 2 with c spread over six decades: yᵀs = Σ c s² is positive, and the
        // poor conditioning keeps it above the acceptance threshold long after the history is full
        // (a well-conditioned quadratic converged and had its later pairs rejected, so the timed
        // steps read a history that was not full).
        var curvature = rand(1, 3, size, size, device: device).Times(-6 * Math.Log(10)).exp_();
        using var lbfgs = new Lbfgs(x, 1, History);
        var seconds = new List<double>();
        for (var i = 0; seconds.Count < 7; i++)
        {
            using var step = NewDisposeScope();
            var gradient = curvature * x;
            var full = lbfgs.StoredPairs == History;
            var clock = Stopwatch.StartNew();
            lbfgs.Step(gradient);
            _ = x.sum().Value();
            if (full)
            {
                seconds.Add(clock.Elapsed.TotalSeconds);
            }
            else if (i > 10 * History)
            {
                throw new InvalidOperationException($"the L-BFGS history held {lbfgs.StoredPairs} of {History} pairs after {i} steps");
            }
        }

        return seconds.Order().ElementAt(seconds.Count / 2);
    }
}
