using SkiaSharp;

namespace NeuralStyle.Images;

/// <summary>A grid of labelled pictures in one PNG, to compare methods or settings side by side.</summary>
public static class ContactSheet
{
    private const int Gap = 8;
    private const int LabelHeight = 34;

    // SkiaSharp's Linux build has no font discovery; use a common system font when there is one.
    private static readonly string[] FontFiles =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    ];

    /// <summary>
    /// Lays out rows of (label, image) tiles, each image scaled to <paramref name="tile"/> pixels on its
    /// longest side with its label (up to two lines) below, and writes the sheet atomically. Labels
    /// need a system font (DejaVu or Liberation); without one the tiles stay unlabelled.
    /// </summary>
    public static void Save(IReadOnlyList<IReadOnlyList<(string Label, RgbImage Image)>> rows, int tile, string path)
    {
        var columns = rows.Max(r => r.Count);
        var width = Gap + (columns * (tile + Gap));
        var height = Gap + (rows.Count * (tile + LabelHeight + Gap));
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        var fontFile = FontFiles.FirstOrDefault(File.Exists);
        using var typeface = fontFile is null ? null : SKTypeface.FromFile(fontFile);
        using var font = new SKFont(typeface ?? SKTypeface.Default, 13);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        for (var row = 0; row < rows.Count; row++)
        {
            for (var column = 0; column < rows[row].Count; column++)
            {
                var (label, image) = rows[row][column];
                var (w, h) = image.SizeWithLongestSide(tile);
                var x = Gap + (column * (tile + Gap));
                var y = Gap + (row * (tile + LabelHeight + Gap));
                using var bitmap = ImageFile.ToBitmap(ImageFile.Resize(image, w, h));
                canvas.DrawBitmap(bitmap, x + ((tile - w) / 2), y + ((tile - h) / 2));
                if (typeface is not null)
                {
                    var lines = label.Split('\n');
                    for (var line = 0; line < Math.Min(2, lines.Length); line++)
                    {
                        canvas.DrawText(lines[line], x, y + tile + 14 + (line * 15), SKTextAlign.Left, font, ink);
                    }
                }
            }
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmapOut = new SKBitmap(info);
        surface.ReadPixels(info, bitmapOut.GetPixels(), info.RowBytes, 0, 0);
        ImageFile.SaveAtomically(ImageFile.FromBitmap(bitmapOut), path);
    }
}
