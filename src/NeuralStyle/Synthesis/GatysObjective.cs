using NeuralStyle.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Synthesis;

/// <summary>One evaluation of the objective: each weighted term and their sum.</summary>
/// <param name="Content">α · L_content.</param>
/// <param name="Style">β · L_style.</param>
/// <param name="TotalVariation">The weighted total-variation term.</param>
/// <param name="Total">The sum.</param>
public sealed record LossTerms(double Content, double Style, double TotalVariation, double Total);

/// <summary>How the objective weighs and shapes its terms.</summary>
/// <param name="ContentLayers">Content layers (canonical names).</param>
/// <param name="StyleLayers">Style layers with their weights w_l.</param>
/// <param name="ContentWeight">α.</param>
/// <param name="StyleWeight">β.</param>
/// <param name="TvWeight">Weight of the total-variation term.</param>
/// <param name="MeanContentLoss">Average the content loss over the layer's elements instead of the paper's ½ Σ.</param>
/// <param name="SoftmaxSmoothing">
/// Replace each channel's responses by M · softmax over its M positions before both losses (after Wang,
/// Li &amp; Vasconcelos 2021, who smooth the peaky activations of residual networks this way).
/// </param>
/// <param name="PaletteWeight">
/// Weight of the palette term, reported with the style term: the mean squared gap between the
/// picture's colours and the painting's along directions in RGB (<see cref="Losses.PaletteWithGradient"/>),
/// 4 of a fixed 32 at each evaluation; 0 for none.
/// </param>
public sealed record ObjectiveSettings(
    IReadOnlyList<string> ContentLayers,
    IReadOnlyList<(string Layer, double Weight)> StyleLayers,
    double ContentWeight,
    double StyleWeight,
    double TvWeight,
    bool MeanContentLoss = false,
    bool SoftmaxSmoothing = false,
    double PaletteWeight = 0)
{
    /// <summary>Every layer the objective reads, content and style, each once.</summary>
    public IReadOnlyList<string> Layers => [.. ContentLayers.Union(StyleLayers.Select(s => s.Layer))];
}

/// <summary>
/// The paper's objective α L_content + β Σ_l w_l E_l (plus an optional total-variation term) for a
/// fixed photo and painting, whose targets P and A it computes once, without gradients, at construction.
/// </summary>
public sealed class GatysObjective : IDisposable
{
    // The palette term compares colours along directions in RGB: a fixed set of 32, of which each
    // evaluation takes the next 4 (a fifth of the cost of all of them; over the iterations that Adam's
    // moments average, the whole set acts).
    private const int PaletteDirections = 32;
    private const int PaletteDirectionsPerEvaluation = 4;
    private const int PaletteQuantiles = 1024;

    private readonly IFeatureNetwork network;
    private readonly ObjectiveSettings settings;
    private readonly Tensor contentRgb;
    private readonly Tensor? paletteDirections;
    private readonly Tensor? paletteTargets;

    /// <summary>Computes the targets from RGB 0–255 images [1, 3, H, W]; layer names must be canonical and within the network.</summary>
    public GatysObjective(IFeatureNetwork network, Tensor contentRgb, Tensor styleRgb, ObjectiveSettings settings)
    {
        this.network = network;
        this.settings = settings;
        using var scope = NewDisposeScope();
        this.contentRgb = contentRgb.detach().DetachFromDisposeScope();
        ContentTargets = ContentResponses(contentRgb).ToDictionary(t => t.Key, t => t.Value.DetachFromDisposeScope());
        using (no_grad())
        {
            var style = Smooth(network.Activations(styleRgb, settings.StyleLayers.Select(s => s.Layer).ToArray()));
            StyleTargets = settings.StyleLayers.ToDictionary(s => s.Layer, s => Losses.Gram(style[s.Layer]).DetachFromDisposeScope());
            if (settings.PaletteWeight > 0)
            {
                paletteDirections = Losses.RandomDirections(PaletteDirections, seed: 1).to(styleRgb.device).DetachFromDisposeScope();
                paletteTargets = Losses.ColorQuantiles(styleRgb, paletteDirections, PaletteQuantiles).DetachFromDisposeScope();
            }
        }
    }

    /// <summary>P: the photo's responses at each content layer.</summary>
    public IReadOnlyDictionary<string, Tensor> ContentTargets { get; }

    /// <summary>A: the Gram matrix of the painting's responses at each style layer.</summary>
    public IReadOnlyDictionary<string, Tensor> StyleTargets { get; }

    /// <summary>
    /// The weighted loss terms at an RGB 0–255 image [1, 3, H, W]; when the image requires gradients,
    /// the gradient of the total is added to its <c>grad</c>.
    /// </summary>
    /// <param name="imageRgb">The image being made.</param>
    /// <param name="shift">
    /// Rows and columns to roll the image (and the photo, for the content target) by before the network
    /// sees it: random shifts at each evaluation keep a strided network from imprinting its grid.
    /// The Gram matrices do not depend on position, so the style targets stay.
    /// </param>
    /// <param name="evaluation">Which evaluation of a run this is (from 0): it picks the palette term's directions.</param>
    public LossTerms Evaluate(Tensor imageRgb, (int Rows, int Columns) shift = default, int evaluation = 0)
    {
        using var scope = NewDisposeScope();
        var shifted = shift == default ? imageRgb : imageRgb.roll([shift.Rows, shift.Columns], [2, 3]);
        var targets = shift == default ? ContentTargets : ContentResponses(contentRgb.roll([shift.Rows, shift.Columns], [2, 3]));
        var responses = Smooth(network.Activations(shifted, settings.Layers));
        var tv = settings.TvWeight == 0 ? null : Losses.TotalVariation(imageRgb) * settings.TvWeight;

        // The losses' gradients with respect to each layer's responses are known in closed form, so
        // autograd records only the network (and the optional smoothing and total variation).
        var gradients = new Dictionary<string, Tensor>();
        Tensor content, style;
        using (no_grad())
        {
            content = zeros(1, dtype: float64, device: imageRgb.device);
            foreach (var layer in settings.ContentLayers)
            {
                var weight = settings.ContentWeight / (settings.MeanContentLoss ? responses[layer].numel() : 1);
                var (value, gradient) = Losses.ContentWithGradient(responses[layer], targets[layer], weight);
                content += value;
                Accumulate(gradients, layer, gradient);
            }

            style = zeros(1, dtype: float64, device: imageRgb.device);
            foreach (var (layer, weight) in settings.StyleLayers)
            {
                var (value, gradient) = Losses.StyleLayerWithGradient(responses[layer], StyleTargets[layer], weight * settings.StyleWeight);
                style += value;
                Accumulate(gradients, layer, gradient);
            }
        }

        // The palette term reads the pixels themselves, so its gradient is added to theirs directly.
        Tensor? paletteGradient = null;
        if (paletteTargets is not null)
        {
            using (no_grad())
            {
                var first = evaluation % (PaletteDirections / PaletteDirectionsPerEvaluation) * PaletteDirectionsPerEvaluation;
                (var value, paletteGradient) = Losses.PaletteWithGradient(
                    imageRgb, paletteDirections!.narrow(0, first, PaletteDirectionsPerEvaluation), paletteTargets.narrow(0, first, PaletteDirectionsPerEvaluation), settings.PaletteWeight);
                style += value;
            }
        }

        if (imageRgb.requires_grad)
        {
            var outputs = gradients.Keys.Select(l => responses[l]).ToList();
            var outputGradients = gradients.Values.ToList();
            if (tv is not null)
            {
                outputs.Add(tv);
                outputGradients.Add(ones_like(tv));
            }

            autograd.backward(outputs, outputGradients);
            if (paletteGradient is not null)
            {
                using (no_grad())
                {
                    imageRgb.grad!.add_(paletteGradient);
                }
            }
        }

        // One transfer for all values: each read of a scalar on a GPU waits for the device.
        var values = cat([content, style, tv?.detach().to(float64).reshape(1) ?? zeros(1, dtype: float64, device: imageRgb.device)]).cpu().data<double>().ToArray();
        return new LossTerms(values[0], values[1], values[2], values[0] + values[1] + values[2]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        contentRgb.Dispose();
        paletteDirections?.Dispose();
        paletteTargets?.Dispose();
        foreach (var target in ContentTargets.Values.Concat(StyleTargets.Values))
        {
            target.Dispose();
        }
    }

    private static void Accumulate(Dictionary<string, Tensor> gradients, string layer, Tensor gradient) =>
        gradients[layer] = gradients.TryGetValue(layer, out var sum) ? sum + gradient : gradient;

    private Dictionary<string, Tensor> Smooth(Dictionary<string, Tensor> responses) => !settings.SoftmaxSmoothing
        ? responses
        : responses.ToDictionary(r => r.Key, r =>
        {
            var positions = r.Value.shape[2] * r.Value.shape[3];
            return nn.functional.softmax(r.Value.flatten(2), 2).reshape(r.Value.shape) * positions;
        });

    private Dictionary<string, Tensor> ContentResponses(Tensor rgb)
    {
        using (no_grad())
        {
            var responses = Smooth(network.Activations(rgb, settings.ContentLayers.ToArray()));
            return settings.ContentLayers.ToDictionary(l => l, l => responses[l].detach());
        }
    }
}
