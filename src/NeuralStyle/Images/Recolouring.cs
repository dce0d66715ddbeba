using NeuralStyle.Images;
using NeuralStyle.Networks;

namespace NeuralStyle.Images;

/// <summary>The photo and the paintings in the colours the synthesis works with.</summary>
internal static class Recolouring
{
    /// <summary>Whether <see cref="ForSynthesis"/> changes the paintings, which then depend on the photo.</summary>
    public static bool ChangesPaintings(StyleTransferOptions options) => options.PreserveColors is ColorPreservation.Luminance or ColorPreservation.Histogram;

    // The photo and the paintings as the synthesis sees them: with the photo's colours kept (Gatys et al.
    // 2016), or else, where the network's defaults say so, the photo in the paintings' colours (each
    // painting's in its own region when there are masks), by the clip's one map when a clip gives one.
    public static (RgbImage Content, List<(RgbImage Image, double Weight, RgbImage? Mask)> Paintings, RgbImage? Coarse) ForSynthesis(
        RgbImage content, List<(RgbImage Image, double Weight, RgbImage? Mask)> paintings, RgbImage? coarse, StyleTransferOptions options, NetworkDefaults defaults, Func<RgbImage, RgbImage>? clipMap = null)
    {
        List<(RgbImage, double, RgbImage?)> Each(Func<RgbImage, RgbImage> change) => [.. paintings.Select(p => (change(p.Image), p.Weight, p.Mask))];
        switch (options.PreserveColors)
        {
            case ColorPreservation.Luminance:
                return (Yiq.Grey(content), Each(p => Yiq.GreyMatching(p, content)), coarse is null ? null : Yiq.GreyMatching(coarse, content));
            case ColorPreservation.Histogram:
                return (content, Each(p => ColorTransfer.Matching(p, content)), coarse is null ? null : ColorTransfer.Matching(coarse, content));
            case ColorPreservation.None when (options.PaintingColors ?? defaults.PaintingColors) && options.StyleStrength > 0:
                var amount = Math.Min(1, options.StyleStrength);
                var recoloured = clipMap is not null ? clipMap(content) : paintings.Any(p => p.Mask is not null)
                    ? ColorTransfer.MatchingRegions(content, [.. paintings.Select(p => (p.Image, ImageFile.Resize(p.Mask!, content.Width, content.Height)))], amount)
                    : ColorTransfer.Matching(content, [.. paintings.Select(p => (p.Image, p.Weight))], amount);
                return (recoloured, paintings, coarse);
            default:
                return (content, paintings, coarse);
        }
    }

    // The map that recolours every frame of a clip as its first: where the photo is given the paintings'
    // colours without masks (null otherwise, each frame then recoloured as a photo would be).
    public static Func<RgbImage, RgbImage>? ClipMap(
        RgbImage firstFrame, List<(RgbImage Image, double Weight, RgbImage? Mask)> paintings, StyleTransferOptions options, NetworkDefaults defaults) =>
        options.PreserveColors == ColorPreservation.None && (options.PaintingColors ?? defaults.PaintingColors) && options.StyleStrength > 0 && paintings.All(p => p.Mask is null)
            ? ColorTransfer.MapOf(firstFrame, [.. paintings.Select(p => (p.Image, p.Weight))], Math.Min(1, options.StyleStrength))
            : null;
}
