using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Objective.Terms;

/// <summary>The gradients that the terms hand the network's backward pass, by layer.</summary>
internal static class Gradients
{
    /// <summary>Adds a term's gradient with respect to a layer's responses to those of the terms before it.</summary>
    public static void Add(Dictionary<string, Tensor> gradients, string layer, Tensor gradient) =>
        gradients[layer] = gradients.TryGetValue(layer, out var sum) ? sum.Plus(gradient) : gradient;

    /// <summary>
    /// A term that compares one picture's statistics with the paintings', applied to each picture of a
    /// batch [N, C, H, W]: the values summed, the gradients stacked.
    /// </summary>
    public static (Tensor Value, Tensor Gradient) PerPicture(Tensor responses, Func<Tensor, (Tensor Value, Tensor Gradient)> term)
    {
        if (responses.shape[0] == 1)
        {
            return term(responses);
        }

        var each = Enumerable.Range(0, (int)responses.shape[0]).Select(i => term(responses[i..(i + 1)])).ToList();
        return (each.Select(e => e.Value).Aggregate((a, b) => a.Plus(b)), cat([.. each.Select(e => e.Gradient)], 0));
    }
}
