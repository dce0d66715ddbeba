using System.Globalization;
using System.Text;
using NeuralStyle.Images;

namespace NeuralStyle.FastPainters;

/// <summary>What a training run shows as it goes: the painter's pictures of held-out photos, and its loss curve.</summary>
internal static class TrainingPreview
{
    private const int Tile = 256;
    private const int Width = 640;
    private const int Height = 240;

    /// <summary>Writes <c>NAME.preview.png</c> and <c>NAME.loss.svg</c> beside the painter <paramref name="output"/>.</summary>
    public static void Save(string output, IReadOnlyList<(string Label, RgbImage Image)> pictures, IReadOnlyList<(int Step, double Loss)> curve)
    {
        var stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, Path.GetFileNameWithoutExtension(output));
        ContactSheet.Save([pictures], Tile, stem + ".preview.png");
        ImageFile.WriteAtomically(stem + ".loss.svg", stream => stream.Write(Encoding.UTF8.GetBytes(Svg(curve))), "the loss curve");
    }

    // The total loss per step on a logarithmic scale, the steps along the bottom.
    private static string Svg(IReadOnlyList<(int Step, double Loss)> curve)
    {
        var points = curve.Where(c => c.Loss > 0 && double.IsFinite(c.Loss)).ToList();
        var svg = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\"><rect width=\"100%\" height=\"100%\" fill=\"white\"/>"));
        if (points.Count > 1)
        {
            var (low, high) = (Math.Log10(points.Min(p => p.Loss)), Math.Log10(points.Max(p => p.Loss)));
            var span = Math.Max(high - low, 1e-9);
            var last = points[^1].Step;
            var line = string.Join(' ', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{40 + ((Width - 50) * p.Step / (double)last):0.#},{10 + ((Height - 40) * (high - Math.Log10(p.Loss)) / span):0.#}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"#2060c0\" stroke-width=\"1\" points=\"{line}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"40\" y=\"{Height - 8}\" font-size=\"12\" font-family=\"sans-serif\">loss per crop (log scale) over {last} steps: {points[0].Loss:G3} to {points[^1].Loss:G3}</text>");
        }

        return svg.Append("</svg>").ToString();
    }
}
