using NeuralStyle.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Quality;

/// <summary>
/// Style and content distances of a result measured with a network that the optimisation need not
/// have used (for the README's comparisons: the real VGG-19 filters conv1_1 … conv3_1).
/// </summary>
public static class VggDistances
{
    /// <summary>The deepest layer the distances read: the reference network must reach it.</summary>
    public const string DeepestLayer = "conv3_1";

    private const string ContentLayer = DeepestLayer;
    private static readonly string[] StyleLayers = ["conv1_1", "conv2_1", DeepestLayer];

    /// <summary>
    /// Style: the mean over conv1_1, conv2_1, conv3_1 of the paper's E_l between result and painting.
    /// Content: ‖F − P‖² / ‖P‖² at conv3_1 between result and photo (images RGB 0–255 [1, 3, H, W]).
    /// </summary>
    public static (double Style, double Content) Measure(Vgg19 network, Tensor result, Tensor photo, Tensor painting)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var r = network.Activations(result, StyleLayers);
        var p = network.Activations(photo, [ContentLayer]);
        var s = network.Activations(painting, StyleLayers);
        var style = StyleLayers.Average(l => Losses.StyleLayer(r[l], Losses.Gram(s[l])).Value());
        var content = (r[ContentLayer] - p[ContentLayer]).Squared().sum().Value() / p[ContentLayer].Squared().sum().Value();
        return (style, content);
    }
}
