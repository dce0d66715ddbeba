using NeuralStyle.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Optimization;

/// <summary>
/// L-BFGS without line search, step for step as PyTorch's <c>torch.optim.LBFGS</c> runs it with
/// tolerances off (and so as the authors' code runs it): one gradient in, one update of the pixels out.
/// One difference: until a curvature pair is accepted every step is scaled as the first (see Step).
/// </summary>
/// <remarks>
/// Written here rather than taken from TorchSharp, whose LBFGS runs the closure from native code
/// (an exception there cannot unwind through libtorch) and prints a deprecation warning at every start.
/// All arithmetic stays in tensors on the image's device; the only host read per step is the
/// curvature test, so a GPU is not stalled by the two-loop recursion.
/// </remarks>
public sealed class Lbfgs : IDisposable
{
    private const double CurvatureThreshold = 1e-10;

    private readonly Tensor parameter;
    private readonly double learningRate;
    private readonly int historySize;
    private readonly double? largestStep;
    private readonly List<(Tensor Y, Tensor S, Tensor Rho)> history = [];
    private Tensor? direction;
    private Tensor? previousGradient;
    private Tensor? initialScale;
    private double stepLength;
    private int iteration;

    /// <summary>Optimises <paramref name="parameter"/> in place.</summary>
    /// <param name="parameter">The tensor it optimises.</param>
    /// <param name="learningRate">The step length once a curvature pair is stored.</param>
    /// <param name="historySize">Curvature pairs kept.</param>
    /// <param name="largestStep">
    /// When given, no element moves further than this in one step (the whole step shortened): for a run
    /// from a good start, where a full step on an estimate built from one tiny step can fling the
    /// parameter far off.
    /// </param>
    public Lbfgs(Tensor parameter, double learningRate, int historySize = 100, double? largestStep = null)
    {
        this.parameter = parameter;
        this.learningRate = learningRate;
        this.historySize = historySize;
        this.largestStep = largestStep;
    }

    /// <summary>Curvature pairs now stored: at most the history size, fewer while it fills or when pairs were rejected.</summary>
    public int StoredPairs => history.Count;

    /// <summary>Moves the parameter along the L-BFGS direction computed from its current gradient.</summary>
    public void Step(Tensor gradient)
    {
        using var scope = NewDisposeScope();
        var g = gradient.reshape(-1);
        iteration++;
        Tensor d;
        if (iteration == 1)
        {
            d = -g;
        }
        else
        {
            Remember(g - previousGradient!, direction!.Times(stepLength));
            d = TwoLoop(g);
        }

        Keep(ref previousGradient, g.clone());
        Keep(ref direction, d);
        // PyTorch scales only the first step by 1/|g|₁ and then takes the learning rate as the step,
        // which is right once a curvature pair gives the direction its units (γ = yᵀs / yᵀy). While
        // none has been accepted the direction is the raw −g, and a full step of it flung the image
        // to ±1e8 and stalled the run for good (2 seeds in 12 from noise at 128 px); so every step
        // without a pair is scaled as the first. With the first pair accepted, as usual, the steps
        // are PyTorch's.
        stepLength = history.Count == 0 ? Math.Min(1.0, 1.0 / g.abs().sum().Value()) * learningRate : learningRate;
        if (largestStep is { } bound)
        {
            stepLength = Math.Min(stepLength, bound / d.abs().max().Value());
        }

        using (no_grad())
        {
            parameter.PlusInPlace(d.view_as(parameter), stepLength);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (y, s, rho) in history)
        {
            y.Dispose();
            s.Dispose();
            rho.Dispose();
        }

        history.Clear();
        direction?.Dispose();
        previousGradient?.Dispose();
        initialScale?.Dispose();
    }

    private void Remember(Tensor y, Tensor s)
    {
        var ys = y.dot(s);
        var curvature = ys.Value();
        if (!(curvature > CurvatureThreshold && double.IsFinite(curvature)))
        {
            return;
        }

        if (history.Count == historySize)
        {
            var (oldY, oldS, oldRho) = history[0];
            oldY.Dispose();
            oldS.Dispose();
            oldRho.Dispose();
            history.RemoveAt(0);
        }

        history.Add((y.DetachFromDisposeScope(), s.DetachFromDisposeScope(), ys.reciprocal().DetachFromDisposeScope()));
        Keep(ref initialScale, ys / y.dot(y));
    }

    // The two-loop recursion: −H g with H the inverse-Hessian estimate from the stored pairs, starting
    // from γ I with γ = yᵀs / yᵀy of the newest pair (1 before any pair is stored). With a full history
    // it reads 200 image-sized vectors twice, so each update is one fused in-place pass (addcmul_)
    // rather than a product and a sum through temporaries: 69 to 33 ms at 512 px on this CPU.
    private Tensor TwoLoop(Tensor g)
    {
        var q = -g;
        var alphas = new Tensor[history.Count];
        for (var i = history.Count - 1; i >= 0; i--)
        {
            alphas[i] = history[i].S.dot(q) * history[i].Rho;
            q.PlusProductInPlace(history[i].Y, alphas[i], -1);
        }

        var r = initialScale is null ? q : q.mul_(initialScale);
        for (var i = 0; i < history.Count; i++)
        {
            var beta = history[i].Y.dot(r) * history[i].Rho;
            r.PlusProductInPlace(history[i].S, alphas[i] - beta, 1);
        }

        return r;
    }

    private static void Keep(ref Tensor? slot, Tensor value)
    {
        slot?.Dispose();
        slot = value.DetachFromDisposeScope();
    }
}
