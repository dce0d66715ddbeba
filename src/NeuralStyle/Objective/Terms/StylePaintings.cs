using NeuralStyle.Images;
using static TorchSharp.torch;

namespace NeuralStyle.Objective.Terms;

/// <summary>What a style term is made from: the paintings, the layers with their weights, and where its readings of the paintings are kept.</summary>
/// <param name="Styles">The paintings.</param>
/// <param name="Layers">Each style layer with its weight w_l (β applied on top).</param>
/// <param name="StyleWeight">β.</param>
/// <param name="Readings">Where the paintings' readings are kept between objectives; null: read for this one.</param>
/// <param name="Reduction">How many times the paintings are reduced before they are read (1: as given); reduced, a masked painting supplies no layer.</param>
internal sealed record StylePaintings(IReadOnlyList<StyleImage> Styles, IReadOnlyList<(string Layer, double Weight)> Layers, double StyleWeight, PaintingReadings? Readings, int Reduction = 1)
{
    /// <summary>
    /// Each painting's reading for <paramref name="statistic"/> at the style layers it supplies, from
    /// the readings when they hold it; <paramref name="read"/> reads a picture at layers.
    /// </summary>
    public List<IReadOnlyDictionary<string, PaintingReading>> Read(string statistic, Func<Tensor, string[], IReadOnlyDictionary<string, PaintingReading>> read)
    {
        var layers = Layers.Select(l => l.Layer).ToArray();
        return [.. Styles.Select((style, i) =>
        {
            // A masked painting's region keeps the full-size terms only: its mask would need reducing too.
            if (Reduction > 1 && style.Mask is not null)
            {
                return new Dictionary<string, PaintingReading>();
            }

            IReadOnlyDictionary<string, PaintingReading> Reading() => read(Reduction > 1 ? ScaleImages.Reduced(style.Rgb, Reduction) : style.Rgb, [.. layers.Where(style.Supplies)]);
            return Readings is null ? Reading() : Readings.For(statistic, i, Reduction, Reading);
        })];
    }

    /// <summary>The unmasked paintings whose readings supply <paramref name="layer"/>, with their shares normalised among them.</summary>
    public List<(StyleImage Style, int Index, double Share)> Blended(IReadOnlyList<IReadOnlyDictionary<string, PaintingReading>> readings, string layer)
    {
        var blended = Styles.Select((s, i) => (s, i)).Where(x => x.s.Mask is null && readings[x.i].ContainsKey(layer)).ToList();
        var total = blended.Sum(x => x.s.Weight);
        return total > 0 ? [.. blended.Select(x => (x.s, x.i, x.s.Weight / total))] : [];
    }
}
