using static TorchSharp.torch;

namespace NeuralStyle.Objective.Terms;

/// <summary>
/// A term of the objective that reads the pixels themselves (or runs the network on a picture of its
/// own, such as a reduced copy), evaluated after the terms on the network's responses.
/// </summary>
internal interface IPixelTerm : IDisposable
{
    /// <summary>Where its value is reported.</summary>
    TermGroup Group { get; }

    /// <summary>
    /// Its value at the pictures (RGB 0–255 [N, 3, H, W]); when <paramref name="gradient"/> is given,
    /// the gradient with respect to the pixels is added to it.
    /// </summary>
    Tensor Evaluate(Tensor pictures, EvaluationContext context, Tensor? gradient);
}
