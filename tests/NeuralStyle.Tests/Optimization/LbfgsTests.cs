using NeuralStyle.Optimization;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Optimization;

// The steps that follow PyTorch exactly are checked against its runs in SynthesizerReferenceTests.
public sealed class LbfgsTests
{
    [Fact]
    public void GivenAFirstCurvaturePairThatIsRejected_WhenTheNextStepIsTaken_ThenItIsScaledLikeTheFirstInsteadOfAFullRawGradient()
    {
        using var scope = NewDisposeScope();
        var x = zeros(1000);
        var gradient = full(1000, 10f);
        using var lbfgs = new Lbfgs(x, learningRate: 1);

        lbfgs.Step(gradient);
        var first = x.clone();
        // The same gradient again: yᵀs = 0, so the pair is rejected and the history stays empty.
        lbfgs.Step(gradient);

        // 1 / |g|₁ = 1e-4 of the gradient, -1e-3 per element, each time; PyTorch's second step is -10.
        Assert.Equal(0, lbfgs.StoredPairs);
        Assert.Equal(-1e-3, first.max().ToDouble(), 1e-9);
        Assert.Equal(-2e-3, x.max().ToDouble(), 1e-9);
    }

    [Fact]
    public void GivenAQuadratic_WhenStepped_ThenItConvergesToItsMinimum()
    {
        using var scope = NewDisposeScope();
        var curvature = linspace(1, 4, 100);
        var x = ones(100) * 5;
        using var lbfgs = new Lbfgs(x, learningRate: 1);

        for (var i = 0; i < 30; i++)
        {
            lbfgs.Step(curvature * x);
        }

        Assert.True(x.abs().max().ToDouble() < 1e-4, $"largest |x| {x.abs().max().ToDouble()}");
    }

    [Fact]
    public void GivenMoreAcceptedPairsThanTheHistoryHolds_WhenStepped_ThenTheHistoryStaysAtItsSize()
    {
        using var scope = NewDisposeScope();
        // Six decades of curvature: convergence is slow, so every pair passes the curvature test.
        var curvature = pow(10.0, linspace(0, -6, 1000));
        var x = ones(1000) * 100;
        using var lbfgs = new Lbfgs(x, learningRate: 1, historySize: 5);
        var stored = new List<int>();

        for (var i = 0; i < 8; i++)
        {
            lbfgs.Step(curvature * x);
            stored.Add(lbfgs.StoredPairs);
        }

        // No pair before the second step; then one more a step until the fifth is kept.
        Assert.Equal([0, 1, 2, 3, 4, 5, 5, 5], stored);
    }
}
