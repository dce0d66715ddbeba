using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Platform;

/// <summary>
/// Tensor arithmetic with numbers, written so that no <see cref="Scalar"/> can be finalised while
/// libtorch reads it. The library calls these in place of TorchSharp's operators and methods that
/// take a number.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 turns every number given to a tensor operation into a native <see cref="Scalar"/>
/// that nothing references once its handle has been read, and <c>a + b</c> and <c>a.add_(b)</c> make
/// one of their own for the factor 1. Once the handle is read the object is garbage, so a collection
/// started by another thread during the native call lets the finaliser free the scalar while libtorch
/// uses it: c10's <c>Scalar::toDouble</c> then fails with "Expected false to be true", or worse. A
/// loop of <c>a + b</c> with <c>GC.Collect</c> running on another thread failed within seconds.
/// Here every scalar is either held in a static field for the process's life or disposed after the
/// call (which keeps it referenced until then). A test reads the library's compiled code and fails on
/// any other way of making a scalar, and on any TorchSharp member that makes one inside.
/// </remarks>
internal static class ScalarArithmetic
{
    private static readonly Scalar One = 1.ToScalar();
    private static readonly Scalar Two = 2.ToScalar();

    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a + b, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary>a + α b, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b, double alpha)
    {
        using var scalar = alpha.ToScalar();
        return a.add_(b, scalar);
    }

    /// <summary>a + b, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, double b)
    {
        using var scalar = b.ToScalar();
        return a.add_(scalar, One);
    }

    /// <summary>a + v · b / c (elementwise), in place.</summary>
    public static Tensor PlusQuotientInPlace(this Tensor a, Tensor b, Tensor c, double value)
    {
        using var scalar = value.ToScalar();
        return a.addcdiv_(b, c, scalar);
    }

    /// <summary>a + v · b · c (elementwise), in place.</summary>
    public static Tensor PlusProductInPlace(this Tensor a, Tensor b, Tensor c, double value)
    {
        using var scalar = value.ToScalar();
        return a.addcmul_(b, c, scalar);
    }

    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, double b)
    {
        using var scalar = b.ToScalar();
        return a.add(scalar, One);
    }

    /// <summary>a + b, keeping an integer tensor's type.</summary>
    public static Tensor Plus(this Tensor a, long b)
    {
        using var scalar = b.ToScalar();
        return a.add(scalar, One);
    }

    /// <summary>a − b.</summary>
    public static Tensor Minus(this Tensor a, double b)
    {
        using var scalar = b.ToScalar();
        return a.sub(scalar);
    }

    /// <summary>a · b.</summary>
    public static Tensor Times(this Tensor a, double b)
    {
        using var scalar = b.ToScalar();
        return a.mul(scalar);
    }

    /// <summary>a · b, in place.</summary>
    public static Tensor TimesInPlace(this Tensor a, double b)
    {
        using var scalar = b.ToScalar();
        return a.mul_(scalar);
    }

    /// <summary>a / b.</summary>
    public static Tensor Over(this Tensor a, double b)
    {
        using var scalar = b.ToScalar();
        return a.div(scalar);
    }

    /// <summary>a / b, in place.</summary>
    public static Tensor OverInPlace(this Tensor a, double b)
    {
        using var scalar = b.ToScalar();
        return a.div_(scalar);
    }

    /// <summary>aᵖ, elementwise.</summary>
    public static Tensor Power(this Tensor a, double p)
    {
        using var scalar = p.ToScalar();
        return a.pow(scalar);
    }

    /// <summary>a², elementwise (as <c>square()</c>, which raises to a scalar 2 of its own).</summary>
    public static Tensor Squared(this Tensor a) => a.pow(Two);

    /// <summary>a clipped to [min, max].</summary>
    public static Tensor Clamped(this Tensor a, double min, double max)
    {
        using var low = min.ToScalar();
        using var high = max.ToScalar();
        return a.clamp(low, high);
    }

    /// <summary>a clipped to [min, max], in place.</summary>
    public static Tensor ClampedInPlace(this Tensor a, double min, double max)
    {
        using var low = min.ToScalar();
        using var high = max.ToScalar();
        return a.clamp_(low, high);
    }

    /// <summary>a, no element below <paramref name="min"/>.</summary>
    public static Tensor AtLeast(this Tensor a, double min)
    {
        using var low = min.ToScalar();
        return a.clamp_min(low);
    }

    /// <summary>a, no element above <paramref name="max"/>.</summary>
    public static Tensor AtMost(this Tensor a, double max)
    {
        using var high = max.ToScalar();
        return a.clamp_max(high);
    }

    /// <summary>a, no element above <paramref name="max"/>, keeping an integer tensor's type.</summary>
    public static Tensor AtMost(this Tensor a, long max)
    {
        using var high = max.ToScalar();
        return a.clamp_max(high);
    }

    /// <summary>Where a &gt; b: a boolean tensor.</summary>
    public static Tensor Above(this Tensor a, double b)
    {
        using var scalar = b.ToScalar();
        return a.gt(scalar);
    }

    /// <summary>start, start + step, … below stop, of <paramref name="dtype"/>.</summary>
    public static Tensor Range(double start, double stop, double step, ScalarType dtype, Device? device = null)
    {
        using var first = start.ToScalar();
        using var end = stop.ToScalar();
        using var increment = step.ToScalar();
        return arange(first, end, increment, dtype, device);
    }

    /// <summary>The value of a one-element tensor, as a double.</summary>
    public static double Value(this Tensor t)
    {
        using var scalar = t.ToScalar();
        return scalar.ToDouble();
    }
}
