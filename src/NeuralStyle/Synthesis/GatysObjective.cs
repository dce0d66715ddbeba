using NeuralStyle.Networks;
using static TorchSharp.torch;

namespace NeuralStyle.Synthesis;

/// <summary>One evaluation of the objective: each weighted term and their sum, as scalar tensors.</summary>
/// <param name="Content">α · L_content.</param>
/// <param name="Style">β · L_style.</param>
/// <param name="TotalVariation">The weighted total-variation term.</param>
/// <param name="Total">The sum.</param>
public sealed record LossTerms(Tensor Content, Tensor Style, Tensor TotalVariation, Tensor Total);

/// <summary>
/// The paper's objective α L_content + β Σ_l w_l E_l (plus an optional total-variation term) for a
/// fixed photo and painting, whose targets P and A it computes once, without gradients, at construction.
/// </summary>
public sealed class GatysObjective : IDisposable
{
    private readonly Vgg19 network;
    private readonly IReadOnlyList<(string Layer, double Weight)> styleLayers;
    private readonly double contentWeight;
    private readonly double styleWeight;
    private readonly double tvWeight;
    private readonly string[] layers;

    /// <summary>Computes the targets from RGB 0–255 images [1, 3, H, W]; layer names must be canonical and within the network.</summary>
    public GatysObjective(
        Vgg19 network,
        Tensor contentRgb,
        Tensor styleRgb,
        IReadOnlyList<string> contentLayers,
        IReadOnlyList<(string Layer, double Weight)> styleLayers,
        double contentWeight,
        double styleWeight,
        double tvWeight)
    {
        this.network = network;
        this.styleLayers = styleLayers;
        this.contentWeight = contentWeight;
        this.styleWeight = styleWeight;
        this.tvWeight = tvWeight;
        layers = contentLayers.Union(styleLayers.Select(s => s.Layer)).ToArray();
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            var content = network.Activations(contentRgb, contentLayers.ToArray());
            ContentTargets = contentLayers.ToDictionary(l => l, l => content[l].detach().DetachFromDisposeScope());
            var style = network.Activations(styleRgb, styleLayers.Select(s => s.Layer).ToArray());
            StyleTargets = styleLayers.ToDictionary(s => s.Layer, s => Losses.Gram(style[s.Layer]).DetachFromDisposeScope());
        }
    }

    /// <summary>P: the photo's responses at each content layer.</summary>
    public IReadOnlyDictionary<string, Tensor> ContentTargets { get; }

    /// <summary>A: the Gram matrix of the painting's responses at each style layer.</summary>
    public IReadOnlyDictionary<string, Tensor> StyleTargets { get; }

    /// <summary>The weighted loss terms at an RGB 0–255 image [1, 3, H, W]; differentiable with respect to it.</summary>
    public LossTerms Evaluate(Tensor imageRgb)
    {
        var responses = network.Activations(imageRgb, layers);
        var content = ContentTargets.Select(t => Losses.Content(responses[t.Key], t.Value)).Aggregate((a, b) => a + b) * contentWeight;
        var style = styleLayers.Select(s => Losses.StyleLayer(responses[s.Layer], StyleTargets[s.Layer]) * s.Weight).Aggregate((a, b) => a + b) * styleWeight;
        var tv = tvWeight == 0 ? zeros_like(content) : Losses.TotalVariation(imageRgb) * tvWeight;
        return new LossTerms(content, style, tv, content + style + tv);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var target in ContentTargets.Values.Concat(StyleTargets.Values))
        {
            target.Dispose();
        }
    }
}
