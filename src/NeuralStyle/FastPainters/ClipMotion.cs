using NeuralStyle.Images;
using NeuralStyle.Platform;
using NeuralStyle.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.FastPainters;

/// <summary>
/// The motion of real clips for the temporal loss (Huang et al. 2017; Gao et al. 2018): crops of
/// pairs of consecutive frames at the same place, the first frames painted as the step's crops, the
/// second frames painted too, and their pictures held to the first frames' carried along the clip's
/// own flow where that flow is reliable.
/// </summary>
internal sealed class ClipMotion : ITrainingMotion
{
    private readonly Tensor second, grid;

    private ClipMotion(Tensor second, Tensor grid, Tensor inside) => (this.second, this.grid, Inside) = (second, grid, inside);

    /// <inheritdoc/>
    public Tensor Inside { get; }

    /// <summary>The frames' tensors, made once for a run: [1, 3, H, W] twice, the flow [1, H, W, 2] and its reliability [1, 1, H, W].</summary>
    public static IReadOnlyList<(Tensor First, Tensor Second, Tensor Flow, Tensor Reliable)> Prepare(IReadOnlyList<ClipPair> pairs, int size)
    {
        StyleTransfer.Require(pairs.All(p => Math.Min(p.First.Width, p.First.Height) >= size), "a clip's frames must be at least as large as the crops");
        return [.. pairs.Select(p => (ImageTensor.ToTensor(p.First, float32, CPU), ImageTensor.ToTensor(p.Second, float32, CPU), p.Backward.ToTensor(CPU), p.Reliable.ToTensor(CPU)))];
    }

    /// <summary>Crops of <paramref name="size"/> from <paramref name="batch"/> pairs drawn from <paramref name="pairs"/>: the first frames' crops (the step's scene) and their motion.</summary>
    public static (Tensor Scene, ClipMotion Motion) Draw(IReadOnlyList<(Tensor First, Tensor Second, Tensor Flow, Tensor Reliable)> pairs, Random draws, int batch, int size)
    {
        using var scope = NewDisposeScope();
        var (firsts, seconds, flows, reliables) = (new List<Tensor>(), new List<Tensor>(), new List<Tensor>(), new List<Tensor>());
        var flat = 0;
        while (firsts.Count < batch)
        {
            var (first, next, flow, reliable) = pairs[draws.Next(pairs.Count)];
            var (left, top) = (draws.Next((int)first.shape[3] - size + 1), draws.Next((int)first.shape[2] - size + 1));
            var crop = first[.., .., top..(top + size), left..(left + size)];
            // As with the photos: a flat crop (a black frame of a fade) is drawn again, a few times.
            if (!TrainingPhotos.Keeps(crop, ref flat))
            {
                continue;
            }

            firsts.Add(crop);
            seconds.Add(next[.., .., top..(top + size), left..(left + size)]);
            flows.Add(flow[.., top..(top + size), left..(left + size), ..]);
            reliables.Add(reliable[.., .., top..(top + size), left..(left + size)]);
        }

        // Where each pixel of a second crop lies in its first crop, as video's warping reads it; a pixel
        // whose place lies outside the crop is left out.
        var (x, y) = Warping.Positions(cat(flows, 0));
        var within = x.Clamped(0, size - 1).eq(x).logical_and(y.Clamped(0, size - 1).eq(y));
        var grid = Warping.Grid(x, y, size, size);
        var inside = cat(reliables, 0).mul(within.unsqueeze(1).to(float32));
        var motion = new ClipMotion(cat(seconds, 0).MoveToOuterDisposeScope(), grid.MoveToOuterDisposeScope(), inside.MoveToOuterDisposeScope());
        return (cat(firsts, 0).MoveToOuterDisposeScope(), motion);
    }

    /// <inheritdoc/>
    public Tensor First(Tensor scene) => scene;

    /// <inheritdoc/>
    public Tensor Second(Tensor scene) => second;

    /// <inheritdoc/>
    public Tensor Carried(Tensor picturesOfFirst) => Warping.Sample(picturesOfFirst, grid);

    /// <inheritdoc/>
    public Tensor Loss(Tensor picturesOfSecond, Tensor picturesCarried) => TemporalLoss.Of(picturesOfSecond, picturesCarried, Inside);

    /// <inheritdoc/>
    public Tensor FeatureLoss(Tensor featuresOfSecond, Tensor featuresOfFirst)
    {
        // The warping's grid aligns the corners' pixels; the same places without that are the grid scaled by (S − 1) / S.
        var size = (double)grid.shape[1];
        using var unaligned = grid.Times((size - 1) / size);
        return TemporalLoss.OfFeatures(featuresOfSecond, featuresOfFirst, unaligned, Inside);
    }

    public void Dispose()
    {
        second.Dispose();
        grid.Dispose();
        Inside.Dispose();
    }
}
