using System.Text;
using NeuralStyle.Images;
using static TorchSharp.torch;

namespace NeuralStyle.Video;

/// <summary>
/// How far each pixel of a frame can be trusted to show the same point as the frame its flow leads to:
/// 1 where the flow is reliable, 0 where it is not, in between near the border of the two.
/// </summary>
public sealed class Reliability
{
    /// <summary>Wraps the weights; <paramref name="weights"/> must hold width × height values in 0–1.</summary>
    public Reliability(int width, int height, float[] weights)
    {
        if (width <= 0 || height <= 0 || weights.Length != width * height)
        {
            throw new ArgumentException($"a {width}×{height} map needs {width * height} weights, got {weights.Length}", nameof(weights));
        }

        (Width, Height, Weights) = (width, height, weights);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The weight of each pixel, row by row, 0–1.</summary>
    public float[] Weights { get; }

    /// <summary>The weights as a tensor [1, 1, H, W] on <paramref name="device"/>.</summary>
    public Tensor ToTensor(Device device)
    {
        using var cpu = tensor(Weights, [1, 1, Height, Width]);
        return cpu.to(device);
    }

    /// <summary>
    /// The reliability of <paramref name="flow"/> (from frame b to frame a: where each pixel of b lies in
    /// a) checked against <paramref name="reverse"/> (from a to b), as artistic-videos' consistency
    /// checker (Ruder, Dosovitskiy &amp; Brox 2016) makes it. A pixel is unreliable where its flow leaves
    /// the frame; where going there and back misses it, |w + ŵ(x + w)|² ≥ 0.01 (|w|² + |ŵ(x + w)|²) + 0.5
    /// (an occlusion, which the smoothing then widens); and at motion boundaries, where
    /// |∇u|² + |∇v|² &gt; 0.01 |w|² + 0.002. The map is then smoothed by a Gaussian of σ 0.8 and clipped.
    /// </summary>
    /// <exception cref="StyleTransferException">The two flows differ in size.</exception>
    public static Reliability Check(FlowField flow, FlowField reverse)
    {
        if (flow.Width != reverse.Width || flow.Height != reverse.Height)
        {
            throw new StyleTransferException($"the flows differ in size: {flow.Width}×{flow.Height} and {reverse.Width}×{reverse.Height}");
        }

        var (width, height) = (flow.Width, flow.Height);
        var motionEdge = MotionEdges(flow);
        var marks = new float[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                marks[(y * width) + x] = Mark(flow, reverse, motionEdge, x, y);
            }
        }

        var smoothed = Gaussian.Smooth(marks, width, height);
        return new Reliability(width, height, [.. smoothed.Select(m => Math.Clamp(m, 0f, 255f) / 255f)]);
    }

    // 255 reliable, 0 at a motion boundary or outside the frame, −255 where the check fails (so that the
    // smoothing spreads the occlusion outwards before the clip at 0), as the checker marks them.
    private static float Mark(FlowField flow, FlowField reverse, float[] motionEdge, int x, int y)
    {
        var (u, v) = (flow.U(x, y), flow.V(x, y));
        var (bx, by) = (x + u, y + v);
        var (x1, y1) = ((int)MathF.Floor(bx), (int)MathF.Floor(by));

        // The checker needs the four neighbours to interpolate, so the last column and row count as outside.
        if (x1 < 0 || x1 + 1 >= flow.Width || y1 < 0 || y1 + 1 >= flow.Height)
        {
            return 0;
        }

        var (ax, ay) = (bx - x1, by - y1);
        float Sample(Func<int, int, float> at) =>
            ((1 - ay) * (((1 - ax) * at(x1, y1)) + (ax * at(x1 + 1, y1)))) + (ay * (((1 - ax) * at(x1, y1 + 1)) + (ax * at(x1 + 1, y1 + 1))));
        var (ru, rv) = (Sample(reverse.U), Sample(reverse.V));
        var (dx, dy) = (u + ru, v + rv);
        if ((dx * dx) + (dy * dy) >= (0.01 * ((u * u) + (v * v) + (ru * ru) + (rv * rv))) + 0.5)
        {
            return -255;
        }

        return motionEdge[(y * flow.Width) + x] > (0.01 * ((u * u) + (v * v))) + 0.002 ? 0 : 255;
    }

    // |∂u/∂x|² + |∂v/∂x|² + |∂u/∂y|² + |∂v/∂y|², central differences, the border's value repeated.
    private static float[] MotionEdges(FlowField flow)
    {
        var (width, height) = (flow.Width, flow.Height);
        var edges = new float[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (left, right) = (Math.Max(x - 1, 0), Math.Min(x + 1, width - 1));
                var (up, down) = (Math.Max(y - 1, 0), Math.Min(y + 1, height - 1));
                var (ux, vx) = (0.5f * (flow.U(right, y) - flow.U(left, y)), 0.5f * (flow.V(right, y) - flow.V(left, y)));
                var (uy, vy) = (0.5f * (flow.U(x, down) - flow.U(x, up)), 0.5f * (flow.V(x, down) - flow.V(x, up)));
                edges[(y * width) + x] = (ux * ux) + (vx * vx) + (uy * uy) + (vy * vy);
            }
        }

        return edges;
    }

    /// <summary>
    /// This map, 0 wherever <paramref name="frame"/> and the earlier frame warped onto it
    /// (<paramref name="warpedEarlier"/>: the clip's own pictures, not results) differ by more than
    /// <paramref name="tolerance"/> in RGB distance (each channel 0–1). A flow that passes the check
    /// both ways can still be wrong: a thin figure that the flow smoothed away moves, and the pictures
    /// show it where the flow does not.
    /// </summary>
    /// <exception cref="StyleTransferException">The pictures are not of the map's size.</exception>
    public Reliability AgreeingWith(RgbImage frame, RgbImage warpedEarlier, double tolerance = 0.1)
    {
        if (frame.Width != Width || frame.Height != Height || warpedEarlier.Width != Width || warpedEarlier.Height != Height)
        {
            throw new StyleTransferException($"the frames are not of the {Width}×{Height} reliability map's size");
        }

        var limit = tolerance * tolerance * 255 * 255;
        var weights = new float[Weights.Length];
        for (var p = 0; p < weights.Length; p++)
        {
            var distance = 0.0;
            for (var ch = 0; ch < 3; ch++)
            {
                distance += Math.Pow(frame.Pixels[(p * 3) + ch] - warpedEarlier.Pixels[(p * 3) + ch], 2);
            }

            weights[p] = distance > limit ? 0f : Weights[p];
        }

        return new Reliability(Width, Height, weights);
    }

    /// <summary>Reads an 8-bit binary PGM (255: reliable), as artistic-videos' checker writes it.</summary>
    /// <exception cref="StyleTransferException">The file is missing or not an 8-bit binary PGM.</exception>
    public static Reliability ReadPgm(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StyleTransferException($"{path}: cannot read the reliability map ({e.Message})", e);
        }

        var (fields, start) = PgmHeader(bytes);
        if (fields is not ["P5", var w, var h, "255"] || !int.TryParse(w, out var width) || !int.TryParse(h, out var height) || width <= 0 || height <= 0
            || bytes.Length - start != (long)width * height)
        {
            throw new StyleTransferException($"{path}: not an 8-bit binary PGM of the size its header gives");
        }

        return new Reliability(width, height, [.. bytes.Skip(start).Select(b => b / 255f)]);
    }

    /// <summary>Writes the map as an 8-bit binary PGM (255: reliable), through a temporary file renamed over <paramref name="path"/>.</summary>
    public void WritePgm(string path)
    {
        var header = Encoding.ASCII.GetBytes($"P5\n{Width} {Height}\n255\n");
        var pixels = Weights.Select(w => (byte)MathF.Round(Math.Clamp(w, 0f, 1f) * 255f)).ToArray();
        ImageFile.WriteAtomically(path, stream => { stream.Write(header); stream.Write(pixels); }, "the reliability map");
    }

    // The header's four fields (magic, width, height, maximum) and where the pixels start: one whitespace byte after the last.
    private static (List<string> Fields, int Start) PgmHeader(byte[] bytes)
    {
        var fields = new List<string>();
        var i = 0;
        while (fields.Count < 4 && i < bytes.Length)
        {
            while (i < bytes.Length && char.IsWhiteSpace((char)bytes[i]))
            {
                i++;
            }

            var start = i;
            while (i < bytes.Length && !char.IsWhiteSpace((char)bytes[i]) && i - start < 16)
            {
                i++;
            }

            fields.Add(Encoding.ASCII.GetString(bytes, start, i - start));
        }

        return (fields, i + 1);
    }
}
