namespace NeuralStyle.Images;

/// <summary>
/// Which of the three ways of Gatys, Bethge, Hertzmann &amp; Shechtman, "Preserving Color in Neural
/// Artistic Style Transfer" (2016), keeps the photo's colours; chrominance and luminance are YIQ's (<see cref="Yiq"/>).
/// </summary>
public enum ColorPreservation
{
    /// <summary>The painting's colours, as the method gives them.</summary>
    None,

    /// <summary>
    /// Synthesis on luminance only: the photo and the painting as grey pictures of their Y, the
    /// painting's Y first matched in mean and standard deviation to the photo's; the result's Y is then
    /// joined with the photo's I and Q.
    /// </summary>
    Luminance,

    /// <summary>
    /// Before synthesis, the painting's colours mapped linearly so that their mean and covariance are
    /// the photo's (<see cref="ColorTransfer.Matching(RgbImage, RgbImage, double)"/>: symmetric square roots by eigendecomposition).
    /// </summary>
    Histogram,

    /// <summary>The result's Y joined with the photo's I and Q afterwards (neural-style's <c>-original_colors 1</c>).</summary>
    Post,
}
