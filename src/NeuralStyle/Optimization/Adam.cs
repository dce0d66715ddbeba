using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Optimization;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) on one tensor (an image, or a painter's weight), with PyTorch's defaults (β₁ 0.9, β₂ 0.999, ε 1e-8, no
/// weight decay): the same operations in the same order as TorchSharp's <c>optim.Adam</c>, whose step
/// makes its numbers into scalars that nothing holds (<see cref="ScalarArithmetic"/>).
/// </summary>
internal sealed class Adam : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly Tensor parameter;
    private readonly Tensor average;
    private readonly Tensor averageSquare;
    private long steps;

    /// <summary>Adam on <paramref name="parameter"/>, moved in place at each <see cref="Step"/>.</summary>
    public Adam(Tensor parameter, double learningRate)
    {
        this.parameter = parameter;
        LearningRate = learningRate;
        using var scope = NewDisposeScope();
        average = zeros_like(parameter).DetachFromDisposeScope();
        averageSquare = zeros_like(parameter).DetachFromDisposeScope();
    }

    /// <summary>Steps taken (a resumed training run sets it to the steps it resumes from).</summary>
    public long Steps
    {
        get => steps;
        set => steps = value;
    }

    /// <summary>The two running averages, of the gradient and of its square: what a checkpoint keeps.</summary>
    public (Tensor Average, Tensor AverageSquare) State => (average, averageSquare);

    /// <summary>The rate of the next step; a schedule may change it between steps.</summary>
    public double LearningRate { get; set; }

    /// <summary>One step along <paramref name="gradient"/>, the parameter's.</summary>
    public void Step(Tensor gradient)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        steps++;
        var correction1 = 1.0 - Math.Pow(Beta1, steps);
        var correction2 = 1.0 - Math.Pow(Beta2, steps);
        average.TimesInPlace(Beta1).PlusInPlace(gradient, 1.0 - Beta1);
        averageSquare.TimesInPlace(Beta2).PlusProductInPlace(gradient, gradient, 1.0 - Beta2);
        var denominator = averageSquare.sqrt().Over(Math.Sqrt(correction2)).PlusInPlace(Epsilon);
        parameter.PlusQuotientInPlace(average, denominator, -(LearningRate / correction1));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        average.Dispose();
        averageSquare.Dispose();
    }
}
