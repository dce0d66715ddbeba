using NeuralStyle.Images;
using NeuralStyle.Video;

namespace NeuralStyle.Tests.Video;

/// <summary>
/// A clip whose motion is known: the photo panned 2 px right and 1 px down a frame, with a square of
/// the painting moving 5 px right a frame across it, so that it covers and uncovers the background.
/// </summary>
internal sealed class MovingClip(int width, int height)
{
    private const int PanX = 2;
    private const int PanY = 1;
    private const int ObjectStep = 5;
    private const int Margin = 40;

    private readonly RgbImage background = ImageFile.Resize(TestImages.Photo, width + (2 * Margin), height + (2 * Margin));
    private readonly RgbImage square = ImageFile.Resize(TestImages.Painting, height / 3, height / 3);

    public int Width => width;

    public int Height => height;

    /// <summary>Frame <paramref name="t"/>, from 0.</summary>
    public RgbImage Frame(int t)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (source, sx, sy) = OnObject(x, y, t)
                    ? (square, x - ObjectLeft(t), y - ObjectTop)
                    : (background, x + Margin - (PanX * t), y + Margin - (PanY * t));
                Array.Copy(source.Pixels, ((sy * source.Width) + sx) * 3, pixels, ((y * width) + x) * 3, 3);
            }
        }

        return new RgbImage(width, height, pixels);
    }

    /// <summary>The true flow from frame <paramref name="t"/> back to frame t − 1.</summary>
    public FlowField Backward(int t) => Flow((x, y) => OnObject(x, y, t) ? (-ObjectStep, 0) : (-PanX, -PanY));

    /// <summary>The true flow from frame <paramref name="t"/> − 1 on to frame t.</summary>
    public FlowField Forward(int t) => Flow((x, y) => OnObject(x, y, t - 1) ? (ObjectStep, 0) : (PanX, PanY));

    /// <summary>Whether pixel (x, y) of frame <paramref name="t"/> shows a point that frame t − 1 does not: background the square covered, or background that came in at the edge.</summary>
    public bool Occluded(int x, int y, int t) =>
        !OnObject(x, y, t) && (x - PanX < 0 || y - PanY < 0 || OnObject(x - PanX, y - PanY, t - 1));

    /// <summary>Whether pixel (x, y) of frame <paramref name="t"/> lies on the moving square.</summary>
    public bool OnObject(int x, int y, int t) =>
        x >= ObjectLeft(t) && x < ObjectLeft(t) + square.Width && y >= ObjectTop && y < ObjectTop + square.Height;

    private int ObjectTop => height / 3;

    private static int ObjectLeft(int t) => 4 + (ObjectStep * t);

    private FlowField Flow(Func<int, int, (int U, int V)> at)
    {
        var vectors = new float[width * height * 2];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (u, v) = at(x, y);
                (vectors[((y * width) + x) * 2], vectors[(((y * width) + x) * 2) + 1]) = (u, v);
            }
        }

        return new FlowField(width, height, vectors);
    }
}
