namespace NeuralStyle.FastPainters;

/// <summary>The size of a painter's transformer network.</summary>
/// <param name="Widths">
/// Channels at full, half and quarter resolution (three numbers): the first and last convolutions work
/// at the first, the residual blocks at the last.
/// </param>
/// <param name="ResidualBlocks">Residual blocks at quarter resolution.</param>
/// <param name="Styles">Paintings it holds a style for (each with its own instance normalisation's scale and shift).</param>
/// <param name="AntiAliased">
/// Whether its resolution changes are anti-aliased: a binomial blur before each stride-2 convolution and
/// bilinear instead of nearest enlargements, so that a picture moved by a pixel is painted moved by a
/// pixel rather than with other strokes (painters written before it have neither).
/// </param>
public sealed record TransformerShape(IReadOnlyList<int> Widths, int ResidualBlocks, int Styles, bool AntiAliased = true)
{
    /// <summary>
    /// Widths 8, 16, 32 (a quarter of Johnson's paper's, half his instance-normalised models') and his
    /// five residual blocks, for one painting, anti-aliased: the widest that paints 512×384 at ten
    /// frames a second and 1920×1080 at one on a 2-core CPU (docs/fast-painters.md measures the others).
    /// </summary>
    public static TransformerShape Default { get; } = new([8, 16, 32], 5, 1);

    /// <summary>Checks that the shape can be built.</summary>
    /// <exception cref="StyleTransferException">A width or count out of range.</exception>
    public void Validate()
    {
        StyleTransfer.Require(Widths.Count == 3 && Widths.All(w => w is >= 1 and <= 1024), nameof(PainterTrainingOptions.Widths), "takes three widths from 1 to 1024, e.g. 16,32,64");
        StyleTransfer.Require(ResidualBlocks is >= 0 and <= 32, nameof(PainterTrainingOptions.ResidualBlocks), "takes 0 to 32 blocks");
        StyleTransfer.Require(Styles is >= 1 and <= 256, "a painter holds 1 to 256 styles");
    }
}
