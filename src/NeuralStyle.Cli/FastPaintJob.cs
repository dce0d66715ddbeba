using System.Diagnostics;
using System.Globalization;
using NeuralStyle.FastPainters;
using NeuralStyle.Images;

namespace NeuralStyle.Cli;

/// <summary><c>neural-style PHOTO --painter NAME.onnx -o OUT</c>: one pass of a trained painter.</summary>
internal static class FastPaintJob
{
    public static int Run(string photoPath, string painterPath, PainterEngine engine, string output, StyleTransferOptions options)
    {
        ImageFile.RequireWritable(output);
        var paintingOptions = PaintingOptions(options);
        using var painter = FastPainter.Load(painterPath, engine);
        var photo = ImageFile.Load(photoPath, options.Size);
        photo = FastPainterBatch.Fit(photo, options.Size);
        var clock = Stopwatch.StartNew();
        var picture = painter.Paint(photo, paintingOptions);
        var seconds = clock.Elapsed.TotalSeconds;
        ImageFile.SaveAtomically(picture, output);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"neural-style: wrote {output} ({picture.Width}×{picture.Height}, painter {Path.GetFileName(painterPath)}, {seconds:0.00} s)"));
        return 0;
    }

    /// <summary>The options a painter takes of the command line's: the blend of its styles, the strength and the photo's colours.</summary>
    /// <exception cref="StyleTransferException">A colour preservation a painter cannot do.</exception>
    public static FastPaintingOptions PaintingOptions(StyleTransferOptions options) => new(
        options.StyleBlend,
        options.StyleStrength,
        options.PreserveColors switch
        {
            ColorPreservation.None => false,
            ColorPreservation.Luminance or ColorPreservation.Post => true,
            _ => throw new StyleTransferException("--preserve-colors histogram: a painter keeps the photo's colours with luminance (or post, the same for a painter)"),
        });
}
