using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Synthesis;

/// <summary>The style terms on reduced copies of the picture and the paintings (<see cref="ObjectiveSettings.Reduced"/>).</summary>
public sealed partial class GatysObjective
{
    // Below this, the deepest of the built-in network's style layers would see the reduced picture
    // in one or two positions a side: no statistics to match.
    private const int SmallestReducedSide = 16;

    /// <summary>
    /// The unmasked paintings' Gram matrices, blended by their shares, at each style layer of the copies
    /// reduced <see cref="ReducedStyle.Factor"/> times; empty when the term does not apply at this size.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> ReducedTargets { get; }

    private Dictionary<string, Tensor> ReducedTargetsFor(Tensor contentRgb, IReadOnlyList<StyleImage> styles, string[] styleLayers, PaintingReadings? readings)
    {
        if (settings.Reduced is not { Factor: var factor })
        {
            return [];
        }

        var picture = ScaleImages.Reduced(contentRgb, factor);
        if (Math.Min(picture.shape[2], picture.shape[3]) < SmallestReducedSide || Tiles(picture))
        {
            return [];
        }

        // A masked painting's region keeps the full-size terms only: its mask would need reducing too.
        IReadOnlyDictionary<string, (Tensor Gram, double Positions)> Reading(StyleImage style, int index)
        {
            if (style.Mask is not null)
            {
                return new Dictionary<string, (Tensor Gram, double Positions)>();
            }

            var reduced = () => Read(style with { Rgb = ScaleImages.Reduced(style.Rgb, factor) }, styleLayers);
            return readings is null ? reduced() : readings.For(index, factor, reduced);
        }

        return BlendedTargets(styles, [.. styles.Select(Reading)], styleLayers);
    }

    // β · share · Σ w_l E_l of the picture reduced against the paintings reduced alike, shifted as
    // the full-size picture is; its gradient, through the reduction, added to the image's.
    private Tensor ReducedStyleTerm(Tensor imageRgb, (int Rows, int Columns) shift)
    {
        var value = zeros(1, dtype: float64, device: imageRgb.device);
        if (settings.Reduced is not { } reduced || ReducedTargets.Count == 0)
        {
            return value;
        }

        using (enable_grad())
        {
            var shifted = shift == default ? imageRgb : imageRgb.roll([shift.Rows, shift.Columns], [2, 3]);
            var responses = Smooth(network.Activations(ScaleImages.Reduced(shifted, reduced.Factor), [.. ReducedTargets.Keys]));
            var gradients = new Dictionary<string, Tensor>();
            using (no_grad())
            {
                foreach (var (layer, weight) in settings.StyleLayers)
                {
                    value.PlusInPlace(BlendedStyleTerm(responses, ReducedTargets, layer, weight * reduced.Share * settings.StyleWeight, gradients));
                }
            }

            if (imageRgb.requires_grad)
            {
                autograd.backward([.. gradients.Keys.Select(l => responses[l])], [.. gradients.Values]);
            }
        }

        return value;
    }
}
