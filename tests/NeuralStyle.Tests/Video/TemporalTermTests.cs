using NeuralStyle.Tests.Optimization;
using NeuralStyle.Video;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Video;

public sealed class TemporalTermTests
{
    [Fact]
    public void GivenATemporalTerm_WhenEvaluated_ThenItsValueAndItsClosedFormGradientAreTheWeightedSquaredDifferencesToEachTarget()
    {
        using var scope = NewDisposeScope();
        const double Gamma = 0.5;
        using var problem = new SmallProblem(dtype: float64);
        var x = problem.Noise;
        var (first, second) = (problem.Photo, problem.Painting);
        var firstWeights = rand([1, 1, 24, 32], float64, generator: new Generator(7));
        var secondWeights = rand([1, 1, 24, 32], float64, generator: new Generator(8));
        var (plainTerms, plainGradient) = SmallProblem.GradientAt(problem.Objective, x);

        problem.Objective.Add(new TemporalTerm(Gamma, [(first, firstWeights), (second, secondWeights)]));
        var (terms, gradient) = SmallProblem.GradientAt(problem.Objective, x);

        // Autograd of γ/D Σ_j Σ c_j (x − t_j)², independently of the closed form.
        var leaf = x.detach().clone().requires_grad_(true);
        var expected = ((firstWeights * (leaf - first).square()).sum() + (secondWeights * (leaf - second).square()).sum()) * (Gamma / x.numel());
        expected.backward();
        Assert.Equal(0, plainTerms.Temporal);
        Assert.Equal(expected.ToDouble(), terms.Temporal, expected.ToDouble() * 1e-12);
        Assert.Equal(plainTerms.Total + terms.Temporal, terms.Total, terms.Total * 1e-12);
        Assert.InRange(Tolerance.RelativeError(gradient - plainGradient, leaf.grad!), 0, 1e-7);
    }
}
