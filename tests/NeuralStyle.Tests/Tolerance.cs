using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Tests;

/// <summary>Relative errors as the reference comparisons state them.</summary>
internal static class Tolerance
{
    /// <summary>‖actual − expected‖ / ‖expected‖ (Frobenius), computed in float64.</summary>
    public static double RelativeError(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var a = actual.detach().to(float64, CPU).reshape(-1);
        var e = expected.detach().to(float64, CPU).reshape(-1);
        return (a - e).norm().ToDouble() / e.norm().ToDouble();
    }

    public static double RelativeError(double actual, double expected) => Math.Abs(actual - expected) / Math.Abs(expected);
}
