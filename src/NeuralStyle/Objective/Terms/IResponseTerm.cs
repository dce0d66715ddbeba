using static TorchSharp.torch;

namespace NeuralStyle.Objective.Terms;

/// <summary>
/// A term of the objective that reads the network's responses to the picture at some layers: it
/// prepares its targets from the photo and the paintings when it is made, and gives its value and its
/// gradient with respect to those responses, for a batch [N, C, H, W] of pictures or tile by tile.
/// </summary>
internal interface IResponseTerm : IDisposable
{
    /// <summary>Where its value is reported.</summary>
    TermGroup Group { get; }

    /// <summary>The layers it reads (canonical names).</summary>
    IReadOnlyCollection<string> Layers { get; }

    /// <summary>
    /// Its value at the whole pictures' responses; the gradient with respect to each layer's responses
    /// added to <paramref name="gradients"/> (by layer).
    /// </summary>
    Tensor Evaluate(PictureResponses picture, Dictionary<string, Tensor> gradients);

    /// <summary>Its share of one tiled evaluation of one picture (<see cref="ITiledTerm"/>).</summary>
    ITiledTerm Tiled(EvaluationContext context);

    /// <summary>Told each evaluation's values once they are read (a term whose weight follows them).</summary>
    void Observe(LossTerms values)
    {
    }
}
