using NeuralStyle.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.FastPainters;

/// <summary>
/// A small random motion of each crop of a batch whose flow is known exactly: a shift, a zoom and a
/// turn about the centre, as between two frames of a clip (Ruder, Dosovitskiy &amp; Brox 2018 make
/// their training pairs from still pictures so), and an object pasted from another crop that moves
/// its own way in front of it, so that the second frame uncovers what the first hid. A painter that
/// paints the second frame as it painted the first, moved, is steady on video with no flow at
/// painting time (Huang et al. 2017); where the second frame shows what the first did not, nothing
/// is asked of it. The second frame also has its own sensor noise, as a camera's frames do, so
/// that the painter learns to paint the noise of a still scene as no change at all.
/// </summary>
internal sealed class KnownMotion : ITrainingMotion
{
    private const double MostShift = 4;
    private const double MostZoom = 0.03;
    private const double MostTurnDegrees = 2;
    private const double MostObjectShift = 6;
    private const double SmallestObject = 0.2, LargestObject = 0.35;

    // Grey levels (of 255): the deviation of the second frame's noise, drawn for each crop up to this.
    private const double MostNoise = 3;

    private readonly Tensor grid;
    private readonly Tensor firstObject, secondObject;
    private readonly (int X, int Y)[] objectShifts;
    private readonly Tensor noise;

    private KnownMotion(Tensor grid, Tensor firstObject, Tensor secondObject, (int X, int Y)[] objectShifts, Tensor noise, Tensor inside)
    {
        (this.grid, this.firstObject, this.secondObject, this.objectShifts, this.noise, Inside) = (grid, firstObject, secondObject, objectShifts, noise, inside);
    }

    /// <inheritdoc/>
    /// <remarks>Here the object, and the background that comes from inside the crop and from behind no object.</remarks>
    public Tensor Inside { get; }

    /// <summary>A motion for each of <paramref name="batch"/> crops of <paramref name="height"/> × <paramref name="width"/>, drawn from <paramref name="draws"/>.</summary>
    public static KnownMotion Draw(Random draws, int batch, int height, int width)
    {
        using var scope = NewDisposeScope();
        double Uniform(double most) => ((2 * draws.NextDouble()) - 1) * most;
        var theta = new float[batch * 6];
        var (firstObject, secondObject) = (new float[batch * height * width], new float[batch * height * width]);
        var shifts = new (int X, int Y)[batch];
        var deviations = new float[batch];
        for (var i = 0; i < batch; i++)
        {
            var (zoom, turn) = (1 + Uniform(MostZoom), Uniform(MostTurnDegrees) * Math.PI / 180);
            var (shiftX, shiftY) = (Uniform(MostShift), Uniform(MostShift));
            // affine_grid maps each output position (−1…1 across the crop) to where it samples the input.
            theta[(i * 6) + 0] = (float)(Math.Cos(turn) / zoom);
            theta[(i * 6) + 1] = (float)(-Math.Sin(turn) / zoom * height / width);
            theta[(i * 6) + 2] = (float)(-2 * shiftX / width);
            theta[(i * 6) + 3] = (float)(Math.Sin(turn) / zoom * width / height);
            theta[(i * 6) + 4] = (float)(Math.Cos(turn) / zoom);
            theta[(i * 6) + 5] = (float)(-2 * shiftY / height);
            shifts[i] = DrawObject(draws, height, width, firstObject.AsSpan(i * height * width, height * width), secondObject.AsSpan(i * height * width, height * width));
            deviations[i] = (float)(MostNoise * draws.NextDouble());
        }

        using var generator = new Generator((ulong)draws.Next(), CPU);
        var noise = randn([batch, 3, height, width], generator: generator).mul(tensor(deviations, [batch, 1, 1, 1]));

        var (first, second) = (tensor(firstObject, [batch, 1, height, width]), tensor(secondObject, [batch, 1, height, width]));

        var grid = nn.functional.affine_grid(tensor(theta, [batch, 2, 3]), [batch, 1, height, width], align_corners: false);
        Tensor Sampled(Tensor mask) => nn.functional.grid_sample(mask, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
        var coverage = Sampled(ones(batch, 1, height, width));
        // The background seen in the second frame, where it came from the crop and was not behind the object.
        var background = coverage.Above(0.999).to(float32).mul(Sampled(first).Above(0.001).logical_not().to(float32)).mul(second.Times(-1).Plus(1));
        var inside = background.Plus(second);
        return new KnownMotion(grid.MoveToOuterDisposeScope(), first.MoveToOuterDisposeScope(), second.MoveToOuterDisposeScope(), shifts, noise.MoveToOuterDisposeScope(), inside.MoveToOuterDisposeScope());
    }

    // A rectangle a fifth to a third of the crop's sides, inside it in both frames, moved by up to
    // MostObjectShift pixels each way; its masks are written into the two frames' H × W, row by row.
    private static (int X, int Y) DrawObject(Random draws, int height, int width, Span<float> first, Span<float> second)
    {
        int Side(int of) => (int)(of * (SmallestObject + ((LargestObject - SmallestObject) * draws.NextDouble())));
        var (objectHeight, objectWidth) = (Side(height), Side(width));
        var most = (int)MostObjectShift;
        var (x, y) = (most + draws.Next(width - objectWidth - (2 * most)), most + draws.Next(height - objectHeight - (2 * most)));
        var (dx, dy) = (draws.Next(-most, most + 1), draws.Next(-most, most + 1));
        for (var row = 0; row < objectHeight; row++)
        {
            first.Slice(((y + row) * width) + x, objectWidth).Fill(1);
            second.Slice(((y + dy + row) * width) + x + dx, objectWidth).Fill(1);
        }

        return (dx, dy);
    }

    /// <summary>The first frames: the crops [N, C, H, W] with each one's object, taken from the next crop, pasted in.</summary>
    public Tensor First(Tensor crops) => Pasted(crops, crops.roll(1, 0), firstObject);

    /// <summary>The second frames: the crops moved by the motion, with each object pasted where it has moved, and their noise.</summary>
    public Tensor Second(Tensor crops) => Pasted(Move(crops), ObjectsMoved(crops.roll(1, 0)), secondObject).Plus(noise).Clamped(0, 255);

    /// <summary>
    /// The pictures of the first frames carried along the motion to the second frames: the
    /// background moved as the crops were, each object's picture moved as its object.
    /// </summary>
    public Tensor Carried(Tensor picturesOfFirst) => Pasted(Move(picturesOfFirst), ObjectsMoved(picturesOfFirst), secondObject);

    /// <summary>Pictures [N, C, H, W] moved by the background's motion (bilinear; 0 outside the crop).</summary>
    public Tensor Move(Tensor pictures) =>
        nn.functional.grid_sample(pictures, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);

    private static Tensor Pasted(Tensor under, Tensor over, Tensor mask) => under.mul(mask.Times(-1).Plus(1)).Plus(over.mul(mask));

    // Each picture shifted by its object's whole-pixel motion (what leaves one side enters the
    // other, which the object's mask never reaches).
    private Tensor ObjectsMoved(Tensor pictures) =>
        cat([.. objectShifts.Select((d, i) => pictures[i..(i + 1)].roll([d.Y, d.X], [2, 3]))], 0);

    /// <inheritdoc/>
    public Tensor Loss(Tensor picturesOfSecond, Tensor picturesCarried) => TemporalLoss.Of(picturesOfSecond, picturesCarried, Inside);

    /// <inheritdoc/>
    /// <remarks>Only the background counts: an object's whole-pixel motion is no whole number of cells.</remarks>
    public Tensor FeatureLoss(Tensor featuresOfSecond, Tensor featuresOfFirst) => TemporalLoss.OfFeatures(featuresOfSecond, featuresOfFirst, grid, Inside.sub(secondObject));

    public void Dispose()
    {
        grid.Dispose();
        firstObject.Dispose();
        secondObject.Dispose();
        noise.Dispose();
        Inside.Dispose();
    }
}
