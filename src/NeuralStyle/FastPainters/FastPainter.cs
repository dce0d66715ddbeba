using NeuralStyle.Images;

namespace NeuralStyle.FastPainters;

/// <summary>How a painter's picture is made of a photo.</summary>
/// <param name="StyleBlend">Each style's share (normalised), in the painter's order; null: its first style.</param>
/// <param name="Strength">How much of the painter's picture to keep over the photo, 0–1.</param>
/// <param name="PreserveColors">Give the picture the photo's colours (its luminance kept, YIQ), as the optimisation's <c>luminance</c> does.</param>
public sealed record FastPaintingOptions(IReadOnlyList<double>? StyleBlend = null, double Strength = 1, bool PreserveColors = false);

/// <summary>
/// A trained painter (an ONNX file): paints a photo in one pass of its network, in a tenth of a second
/// at 512 px on a CPU. Its pictures are the photo's size.
/// </summary>
/// <remarks>Not for two threads at once.</remarks>
public sealed class FastPainter : IDisposable
{
    private readonly IPainterEngine engine;

    private FastPainter(string path, IPainterEngine engine)
    {
        (Path, this.engine) = (path, engine);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>What the file says of itself; null for a painter this tool did not write (the ONNX model zoo's).</summary>
    public PainterMetadata? Metadata => engine.Metadata;

    /// <summary>How many styles it holds.</summary>
    public int Styles => engine.Styles;

    /// <summary>Opens a painter file with <paramref name="engine"/>.</summary>
    /// <exception cref="StyleTransferException">No such file, not readable ONNX, or not a painter.</exception>
    public static FastPainter Load(string path, PainterEngine engine = PainterEngine.OnnxRuntime)
    {
        if (!File.Exists(path))
        {
            throw new StyleTransferException($"{path}: no such painter file");
        }

        return new FastPainter(path, engine == PainterEngine.TorchSharp ? new TorchSharpEngine(path) : new OnnxRuntimeEngine(path));
    }

    /// <summary>Paints <paramref name="photo"/>.</summary>
    /// <exception cref="StyleTransferException">A style blend that does not fit the painter, or a strength outside 0–1.</exception>
    public RgbImage Paint(RgbImage photo, FastPaintingOptions? options = null)
    {
        options ??= new FastPaintingOptions();
        var blend = Blend(options.StyleBlend);
        StyleTransfer.Require(options.Strength is >= 0 and <= 1, nameof(FastPaintingOptions.Strength), "takes 0 to 1");
        var (height, width) = ((photo.Height + 3) / 4 * 4, (photo.Width + 3) / 4 * 4);
        var painted = engine.Paint(Planes(photo, width, height), height, width, blend);
        var picture = Picture(painted, photo, width, height, options.Strength);
        return options.PreserveColors ? Yiq.Join(picture, photo) : picture;
    }

    /// <inheritdoc />
    public void Dispose() => engine.Dispose();

    private float[] Blend(IReadOnlyList<double>? shares)
    {
        if (shares is null)
        {
            return [1f, .. new float[Styles - 1]];
        }

        StyleTransfer.Require(shares.Count == Styles, nameof(FastPaintingOptions.StyleBlend), $"gives {shares.Count} shares; this painter holds {Styles} style{(Styles == 1 ? "" : "s")}");
        StyleTransfer.Require(shares.All(s => s >= 0 && double.IsFinite(s)) && shares.Sum() > 0, nameof(FastPaintingOptions.StyleBlend), "takes shares of at least 0, not all 0");
        var total = shares.Sum();
        return [.. shares.Select(s => (float)(s / total))];
    }

    // The photo as planes R, G, B, padded to the network's multiple of 4 by reflecting its edges.
    private static float[] Planes(RgbImage photo, int width, int height)
    {
        var planes = new float[3 * width * height];
        var plane = width * height;
        for (var y = 0; y < height; y++)
        {
            var sy = Reflect(y, photo.Height);
            for (var x = 0; x < width; x++)
            {
                var source = ((sy * photo.Width) + Reflect(x, photo.Width)) * 3;
                var target = (y * width) + x;
                planes[target] = photo.Pixels[source];
                planes[plane + target] = photo.Pixels[source + 1];
                planes[(2 * plane) + target] = photo.Pixels[source + 2];
            }
        }

        return planes;
    }

    private static int Reflect(int i, int size) => i < size ? i : Math.Max(0, (2 * size) - 2 - i);

    // The painted planes cropped to the photo, mixed with it by the strength, rounded to 8 bits.
    private static RgbImage Picture(float[] painted, RgbImage photo, int width, int height, double strength)
    {
        var pixels = new byte[photo.Pixels.Length];
        var plane = width * height;
        for (var y = 0; y < photo.Height; y++)
        {
            for (var x = 0; x < photo.Width; x++)
            {
                var target = ((y * photo.Width) + x) * 3;
                for (var c = 0; c < 3; c++)
                {
                    var value = (strength * painted[(c * plane) + (y * width) + x]) + ((1 - strength) * photo.Pixels[target + c]);
                    pixels[target + c] = (byte)Math.Clamp(Math.Round(value), 0, 255);
                }
            }
        }

        return new RgbImage(photo.Width, photo.Height, pixels);
    }
}
