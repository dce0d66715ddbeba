using NeuralStyle.Platform;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.FastPainters;

/// <summary>
/// Instance normalisation with a scale and a shift for each style (Dumoulin, Shlens &amp; Kudlur 2017):
/// a blend of styles takes the blend of their scales and shifts.
/// </summary>
internal sealed class ConditionalInstanceNorm : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Parameter scale;
    private readonly Parameter shift;

    /// <summary>Ones and zeros for each of <paramref name="styles"/>: plain instance normalisation until trained.</summary>
    public ConditionalInstanceNorm(string name, long channels, long styles)
        : base(name)
    {
        scale = new Parameter(ones(styles, channels));
        shift = new Parameter(zeros(styles, channels));
        RegisterComponents();
    }

    /// <summary>[styles, channels].</summary>
    public Tensor Scale => scale;

    /// <summary>[styles, channels].</summary>
    public Tensor Shift => shift;

    /// <summary>Normalises each picture's channels over their positions, then scales and shifts them by the styles' blend <paramref name="styleWeights"/> [styles].</summary>
    public override Tensor forward(Tensor x, Tensor styleWeights)
    {
        using var scope = NewDisposeScope();
        var channels = scale.shape[1];
        var normalised = nn.functional.instance_norm(x, eps: Epsilon);
        var blendedScale = styleWeights.matmul(scale).reshape(1, channels, 1, 1);
        var blendedShift = styleWeights.matmul(shift).reshape(1, channels, 1, 1);
        return normalised.mul(blendedScale).Plus(blendedShift).MoveToOuterDisposeScope();
    }

    /// <summary>ONNX's and PyTorch's default.</summary>
    public const double Epsilon = 1e-5;
}
