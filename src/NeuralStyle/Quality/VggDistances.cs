using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Objective;
using NeuralStyle.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Quality;

/// <summary>
/// Style and content distances of a result measured with a network that the optimisation need not
/// have used (for the README's comparisons: the real VGG-19 filters conv1_1 … conv3_1), and the
/// style distance at the painting's scale, where the same filters see the picture reduced.
/// </summary>
public static class VggDistances
{
    /// <summary>The deepest layer the distances read: the reference network must reach it.</summary>
    public const string DeepestLayer = "conv3_1";

    private const string ContentLayer = DeepestLayer;
    private static readonly string[] StyleLayers = ["conv1_1", "conv2_1", DeepestLayer];
    private static readonly int[] ReductionFactors = [2, 4];

    /// <summary>
    /// Style: the mean over conv1_1, conv2_1, conv3_1 of the paper's E_l between result and painting.
    /// Content: ‖F − P‖² / ‖P‖² at conv3_1 between result and photo (images RGB 0–255 [1, 3, H, W]).
    /// </summary>
    public static (double Style, double Content) Measure(Vgg network, Tensor result, Tensor photo, Tensor painting)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var r = network.Activations(result, StyleLayers);
        var p = network.Activations(photo, [ContentLayer]);
        var s = network.Activations(painting, StyleLayers);
        var style = StyleDistance(r, s);
        var content = (r[ContentLayer] - p[ContentLayer]).Squared().sum().Value() / p[ContentLayer].Squared().sum().Value();
        return (style, content);
    }

    /// <summary>
    /// Style at the painting's scale: the mean of the style distance of <see cref="Measure"/> with the
    /// picture and the painting both reduced (area averaging) to a half and to a quarter, so that the
    /// same small filters answer to strokes two and four times larger (images RGB 0–255 [1, 3, H, W]).
    /// </summary>
    public static double LargeScaleStyle(Vgg network, Tensor result, Tensor painting)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return ReductionFactors.Average(factor =>
            StyleDistance(network.Activations(ScaleImages.Reduced(result, factor), StyleLayers), network.Activations(ScaleImages.Reduced(painting, factor), StyleLayers)));
    }

    // The paper's E_l between a picture's and a painting's responses, averaged over the style layers.
    private static double StyleDistance(Dictionary<string, Tensor> result, Dictionary<string, Tensor> painting) =>
        StyleLayers.Average(l => Losses.StyleLayer(result[l], Losses.Gram(painting[l])).Value());
}
