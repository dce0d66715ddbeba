using NeuralStyle.Images;
using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Video;

/// <summary>Brings a picture of one frame onto another along a flow.</summary>
public static class Warping
{
    /// <summary>
    /// ω(x): at each pixel p, <paramref name="image"/> [1, C, H, W] sampled at p + flow(p) (bilinear;
    /// outside the frame, the nearest border pixel), where <paramref name="flow"/> leads from the frame
    /// being made to the frame <paramref name="image"/> belongs to.
    /// </summary>
    /// <exception cref="StyleTransferException">The flow's size is not the image's.</exception>
    public static Tensor Warp(Tensor image, FlowField flow)
    {
        var (height, width) = (image.shape[2], image.shape[3]);
        if (flow.Width != width || flow.Height != height)
        {
            throw new StyleTransferException($"a {flow.Width}×{flow.Height} flow cannot warp a {width}×{height} frame");
        }

        using var scope = NewDisposeScope();
        var (x, y) = Positions(flow.ToTensor(image.device).to(image.dtype));
        return Sample(image, Grid(x, y, width, height)).MoveToOuterDisposeScope();
    }

    /// <summary>Where each pixel lies in the other frame, in pixels: x and y [N, H, W] of a flow's vectors [N, H, W, 2].</summary>
    internal static (Tensor X, Tensor Y) Positions(Tensor vectors)
    {
        var (height, width) = (vectors.shape[1], vectors.shape[2]);
        var columns = ScalarArithmetic.Range(0, width, 1, vectors.dtype, vectors.device).reshape(1, 1, width);
        var rows = ScalarArithmetic.Range(0, height, 1, vectors.dtype, vectors.device).reshape(1, height, 1);
        return (vectors.select(3, 0).Plus(columns), vectors.select(3, 1).Plus(rows));
    }

    /// <summary>Positions in pixels as grid_sample reads them: −1…1 from the first pixel's centre to the last's.</summary>
    internal static Tensor Grid(Tensor x, Tensor y, long width, long height) =>
        stack([x.Times(2.0 / Math.Max(width - 1, 1)).Minus(1), y.Times(2.0 / Math.Max(height - 1, 1)).Minus(1)], 3);

    /// <summary>Pictures [N, C, H, W] sampled at a <see cref="Grid"/> (bilinear; outside the frame, the nearest border pixel).</summary>
    internal static Tensor Sample(Tensor pictures, Tensor grid) =>
        nn.functional.grid_sample(pictures, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: true);

    /// <summary>The picture <paramref name="image"/> warped along <paramref name="flow"/> (see <see cref="Warp(Tensor, FlowField)"/>).</summary>
    public static RgbImage Warp(RgbImage image, FlowField flow)
    {
        using var pixels = ImageTensor.ToTensor(image, float32, CPU);
        using var warped = Warp(pixels, flow);
        return ImageTensor.ToImage(warped);
    }
}
