using NeuralStyle.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.FastPainters;

/// <summary>
/// A small random motion of each crop of a batch whose flow is known exactly: a shift, a zoom and a
/// turn about the centre, as between two frames of a clip (Ruder, Dosovitskiy &amp; Brox 2018 make
/// their training pairs from still pictures so). A painter that paints the moved crop as it painted
/// the crop, moved, is steady on video with no flow at painting time (Huang et al. 2017).
/// </summary>
internal sealed class KnownMotion : IDisposable
{
    private const double MostShift = 4;
    private const double MostZoom = 0.03;
    private const double MostTurnDegrees = 2;

    private readonly Tensor grid;

    private KnownMotion(Tensor grid, Tensor inside)
    {
        (this.grid, Inside) = (grid, inside);
    }

    /// <summary>[N, 1, H, W]: 1 where the moved picture comes from inside the crop, else 0.</summary>
    public Tensor Inside { get; }

    /// <summary>A motion for each of <paramref name="batch"/> crops of <paramref name="height"/> × <paramref name="width"/>, drawn from <paramref name="draws"/>.</summary>
    public static KnownMotion Draw(Random draws, int batch, int height, int width)
    {
        using var scope = NewDisposeScope();
        var theta = new float[batch * 6];
        for (var i = 0; i < batch; i++)
        {
            double Uniform(double most) => ((2 * draws.NextDouble()) - 1) * most;
            var (zoom, turn) = (1 + Uniform(MostZoom), Uniform(MostTurnDegrees) * Math.PI / 180);
            var (shiftX, shiftY) = (Uniform(MostShift), Uniform(MostShift));
            // affine_grid maps each output position (−1…1 across the crop) to where it samples the input.
            theta[(i * 6) + 0] = (float)(Math.Cos(turn) / zoom);
            theta[(i * 6) + 1] = (float)(-Math.Sin(turn) / zoom * height / width);
            theta[(i * 6) + 2] = (float)(-2 * shiftX / width);
            theta[(i * 6) + 3] = (float)(Math.Sin(turn) / zoom * width / height);
            theta[(i * 6) + 4] = (float)(Math.Cos(turn) / zoom);
            theta[(i * 6) + 5] = (float)(-2 * shiftY / height);
        }

        var grid = nn.functional.affine_grid(tensor(theta, [batch, 2, 3]), [batch, 1, height, width], align_corners: false);
        var coverage = nn.functional.grid_sample(ones(batch, 1, height, width), grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
        var inside = coverage.Above(0.999).to(float32);
        return new KnownMotion(grid.MoveToOuterDisposeScope(), inside.MoveToOuterDisposeScope());
    }

    /// <summary>Pictures [N, C, H, W] moved by the motion (bilinear; 0 outside the crop).</summary>
    public Tensor Move(Tensor pictures) =>
        nn.functional.grid_sample(pictures, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);

    /// <summary>
    /// The temporal loss: the mean over the positions inside of the squared difference between the
    /// pictures of the moved crops and the pictures moved, RGB in 0–1, summed over the channels.
    /// </summary>
    public Tensor Loss(Tensor picturesOfMoved, Tensor picturesMoved)
    {
        using var scope = NewDisposeScope();
        var difference = picturesOfMoved.sub(picturesMoved).Over(255).Squared().sum(1, keepdim: true);
        return difference.mul(Inside).sum().div(Inside.sum().AtLeast(1)).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        grid.Dispose();
        Inside.Dispose();
    }
}
