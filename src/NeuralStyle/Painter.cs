using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;
using NeuralStyle.Objective;
using NeuralStyle.Optimization;
using NeuralStyle.Planning;
using NeuralStyle.Platform;
using TorchSharp;
using static NeuralStyle.Images.ScaleImages;
using static TorchSharp.torch;

namespace NeuralStyle;

/// <summary>
/// Paints any number of photos in the style of the same paintings with the same options: the network
/// is loaded once, when the painter is made, and each painting is read by it once per size, the first
/// time a photo needs it at that size (unless <see cref="StyleTransferOptions.PreserveColors"/> changes
/// the paintings to fit each photo: luminance and histogram).
/// </summary>
/// <remarks>
/// A painter paints one photo at a time: <see cref="Paint(RgbImage, IProgress{StepProgress}?, Action{int, RgbImage}?, CancellationToken)"/> must not be called from two threads at
/// once, and the painter must not be disposed during a call. Separate painters share nothing but
/// libtorch's threads, so they may paint on separate threads (each then about half as fast on a CPU).
/// </remarks>
public sealed class Painter : IDisposable
{
    private readonly IFeatureNetwork network;
    private readonly Device device;
    private readonly ResolvedOptions job;
    private readonly List<(RgbImage Image, double Weight, RgbImage? Mask)> paintings;
    private readonly RgbImage? coarse;
    private readonly Dictionary<(int Side, int Tile), PaintingReadings> readings = [];
    private readonly LoadedNetwork? owned;

    /// <summary>Checks the options against the paintings, resolves them against the network's defaults and loads the network.</summary>
    /// <exception cref="StyleTransferException">
    /// Bad options (or options that do not match the paintings: blend shares, masks, a coarse painting),
    /// a missing or bad weights file, or layers the network lacks.
    /// </exception>
    public Painter(StyleSources styles, StyleTransferOptions options)
        : this(styles, options, LoadedNetwork.Load(Checked(styles, options)), ownsNetwork: true)
    {
    }

    /// <summary>
    /// Checks the options against the paintings and resolves them against the network's defaults,
    /// painting with <paramref name="network"/>, which stays its caller's: disposing the painter leaves
    /// it loaded for the next painter.
    /// </summary>
    /// <exception cref="StyleTransferException">
    /// Bad options (or options that do not match the paintings), options that ask for another network
    /// than <paramref name="network"/>, or layers the network lacks.
    /// </exception>
    public Painter(StyleSources styles, StyleTransferOptions options, LoadedNetwork network)
        : this(styles, Checked(styles, options), network, ownsNetwork: false)
    {
    }

    private Painter(StyleSources styles, StyleTransferOptions options, LoadedNetwork loaded, bool ownsNetwork)
    {
        try
        {
            if (!loaded.Serves(options))
            {
                throw new StyleTransferException($"the options ask for another network than the {loaded.Kind.ToString().ToLowerInvariant()} loaded{(loaded.WeightsFile is null ? "" : $" from {loaded.WeightsFile}")}");
            }

            options = options with { Precision = PrecisionChoice.Resolve(options.Precision, options.Device) };
            device = StyleTransfer.TorchDevice(options.Device);
            network = loaded.Network;
            job = ResolvedOptions.For(options, network, NetworkDefaults.For(loaded.Kind), styles.Coarse is not null);
        }
        catch when (ownsNetwork)
        {
            loaded.Dispose();
            throw;
        }

        owned = ownsNetwork ? loaded : null;
        paintings = Shares(styles, options);
        coarse = styles.Coarse;
    }

    // The painter's door, where its options are checked once, before anything is loaded.
    private static StyleTransferOptions Checked(StyleSources styles, StyleTransferOptions options)
    {
        StyleTransfer.Validate(options);
        StyleTransfer.Validate(styles, options);
        return options;
    }

    /// <summary>The network it paints with.</summary>
    public NetworkKind Network => job.Defaults.Network;

    /// <summary>The number type the network computes in (<see cref="Precision.Auto"/> resolved).</summary>
    public Precision Precision => job.Options.Precision;

    /// <summary>How many times a painting was read by the network (once per painting, size and reduction when the paintings do not depend on the photo).</summary>
    internal int PaintingReads => readings.Values.Sum(r => r.Reads);

    /// <summary>The network, loaded once.</summary>
    internal IFeatureNetwork FeatureNetwork => network;

    /// <summary>
    /// Paints <paramref name="photo"/>: scales it, optimises coarse to fine and returns the picture.
    /// Reports each iteration to <paramref name="progress"/> and, every <see cref="StyleTransferOptions.SaveEvery"/>
    /// iterations but the last, the image so far to <paramref name="snapshot"/>. Cancellation ends the
    /// run early with the image so far, enlarged to the final size when it came at a coarse scale.
    /// </summary>
    /// <exception cref="StyleTransferException">The photo's size does not fit in memory, whole or in tiles.</exception>
    public StyleTransferResult Paint(RgbImage photo, IProgress<StepProgress>? progress = null, Action<int, RgbImage>? snapshot = null, CancellationToken cancellation = default) =>
        Paint(photo, null, null, progress, snapshot, cancellation);

    /// <summary>
    /// Refuses, as <see cref="Paint(RgbImage, IProgress{StepProgress}?, Action{int, RgbImage}?, CancellationToken)"/> would, a photo of
    /// <paramref name="width"/> × <paramref name="height"/> pixels whose picture does not fit in this
    /// machine's memory, whole or in tiles; paints nothing. A server checks a job with it when the job is posted.
    /// </summary>
    /// <exception cref="StyleTransferException">The size does not fit; the message says what would.</exception>
    public void CheckFits(int width, int height) => Schedule((width, height), paintings, coarse, null);

    /// <summary>The options resolved against the network's defaults.</summary>
    internal ResolvedOptions Job => job;

    /// <summary>The map that gives every frame of a clip the colours it gives <paramref name="firstFrame"/>; null where the photo keeps its own colours.</summary>
    internal Func<RgbImage, RgbImage>? ClipColours(RgbImage firstFrame) => Recolouring.ClipMap(firstFrame, paintings, job.Options, job.Defaults);

    /// <summary>
    /// Paints <paramref name="photo"/> as <see cref="Paint(RgbImage, IProgress{StepProgress}?, Action{int, RgbImage}?, CancellationToken)"/>,
    /// recoloured by <paramref name="clipColours"/> when given; continued from a start of its own
    /// (<paramref name="continuation"/>, a video's later frame) at its final size only, with its terms.
    /// </summary>
    internal StyleTransferResult Paint(RgbImage photo, Func<RgbImage, RgbImage>? clipColours, Continuation? continuation, IProgress<StepProgress>? progress, Action<int, RgbImage>? snapshot, CancellationToken cancellation)
    {
        var (content, paintings, coarse) = Recolouring.ForSynthesis(photo, this.paintings, this.coarse, job.Options, job.Defaults, clipColours);
        var keepsPhotoChrominance = job.Options.PreserveColors is ColorPreservation.Luminance or ColorPreservation.Post;
        Func<RgbImage, RgbImage> restoreColors = keepsPhotoChrominance ? picture => Yiq.Join(picture, photo) : picture => picture;
        var shown = snapshot is null ? null : new Action<int, RgbImage>((iteration, picture) => snapshot(iteration, restoreColors(picture)));
        var schedule = Schedule((content.Width, content.Height), paintings, coarse, continuation);

        using var scope = NewDisposeScope();
        Tensor? image = null;
        var tally = new Tally();
        for (var scale = 0; scale < schedule.Sizes.Count; scale++)
        {
            var scaleRun = new ScaleRun(schedule, scale, tally, progress, Snapshots(schedule, scale, job.Options.SaveEvery, shown), cancellation);
            var result = TooSmallRefused(schedule.Sizes[scale], () => PaintScale(scaleRun, content, paintings, coarse, image, continuation));
            image?.Dispose();
            image = result.Image;
            if (result.Cancelled)
            {
                break;
            }
        }

        using var last = image!;
        return Finish(last, schedule, tally.Done, keepsPhotoChrominance ? photo : null);
    }

    // A picture as thin as a strip (1 × 512) passes the size check, and a network's pooling leaves
    // nothing of it at the deeper layers: libtorch's refusal, said as a problem with the size.
    private T TooSmallRefused<T>((int Width, int Height) size, Func<T> paint)
    {
        try
        {
            return paint();
        }
        catch (System.Runtime.InteropServices.ExternalException e) when (e.Message.Contains("Output size is too small", StringComparison.Ordinal))
        {
            throw StyleTransferException.About(nameof(StyleTransferOptions.Size), $"{job.Options.Size} makes the picture {size.Width}×{size.Height}, too thin for {Network.Name()}'s pooling; give a larger {{Size}} or a less narrow photo");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var reading in readings.Values)
        {
            reading.Dispose();
        }

        readings.Clear();
        owned?.Dispose();
    }

    // Each scale whole where it fits, else in the largest tiles that do (on a GPU, as asked); a
    // continued picture (a video's later frame) at the final size only, with its iterations.
    private ScaleSchedule Schedule((int Width, int Height) content, List<(RgbImage Image, double Weight, RgbImage? Mask)> paintings, RgbImage? coarse, Continuation? continuation)
    {
        var sizes = ScaleSchedule.SizesFor(content, job.Options.Size, continuation is null ? job.Options.Scales ?? job.Defaults.Scales : 1);
        RgbImage[] read = [.. paintings.Select(p => p.Image), .. coarse is null ? [] : new[] { coarse }];
        // The final scale is planned first, so that a size that cannot fit is refused with its own numbers.
        var tiles = device.type == DeviceType.CPU
            ? Enumerable.Reverse(sizes).Select(size => TooSmallRefused(size, () => MemoryPlan.TileFor(job, network, size, read, paintings.Count(p => p.Mask is not null)))).Reverse().ToArray()
            : [.. sizes.Select(_ => job.Options.Tile)];
        return continuation is null
            ? new ScaleSchedule(sizes, tiles, job.Synthesis.Iterations, job.Options.TiledIterations ?? job.Synthesis.Iterations)
            : new ScaleSchedule(sizes, tiles, continuation.Iterations, continuation.Iterations);
    }

    private SynthesisResult PaintScale(ScaleRun run, RgbImage content, List<(RgbImage Image, double Weight, RgbImage? Mask)> paintings, RgbImage? coarse, Tensor? previous, Continuation? continuation)
    {
        var (schedule, scale) = (run.Schedule, run.Scale);
        var (width, height) = schedule.Sizes[scale];
        if (schedule.IsTiled(scale))
        {
            // Before the targets: the whole scale before this one left its peak in the heap.
            GlibcHeap.ReleaseFreedMemory();
        }

        var contentTensor = Scaled(content, width, height, device);
        var initial = previous is not null ? Enlarge(previous, height, width)
            : continuation is not null ? continuation.StartAt(contentTensor)
            : InitialImage(job.Options.Init ?? job.Defaults.Init, job.Options, contentTensor, paintings[0].Image, device);
        var styleSide = StyleTransfer.PaintingSide(job.Options, width, height);
        var objective = job.ObjectiveAt(scale, schedule.Sizes.Count, schedule.Tiles[scale]);
        using var gatys = new GatysObjective(network, contentTensor, StyleImages(paintings, coarse, width, height, styleSide), objective, ReadingsAt(styleSide, objective.Tile));
        if (continuation is not null)
        {
            gatys.Add(continuation.Term(width, height, device, gatys.Evaluate(initial).Total));
        }

        if (gatys.Movable is { } movable)
        {
            // Where no painting's mask reaches, the picture is the photo from the start.
            initial = where(movable.to(ScalarType.Bool), initial, contentTensor);
        }

        var elapsedBefore = run.Tally.Elapsed;
        var scaleProgress = new SynchronousProgress<StepProgress>(p =>
        {
            var whole = schedule.RunWide(scale, p, elapsedBefore);
            (run.Tally.Done, run.Tally.Elapsed) = (whole.Iteration, whole.Elapsed);
            run.Progress?.Report(whole);
        });
        return Synthesizer.Run(gatys, initial, continuation is null ? job.Synthesis with { Iterations = schedule.Iterations[scale] } : ContinuedSynthesis(continuation), scaleProgress, run.Snapshots, run.Cancellation);
    }

    // A continued picture (a video's later frame) starts from a good picture, where L-BFGS without a line search overshoots: its first
    // full step, on a curvature estimate from one tiny step, flung VGG-19's frames to 100 times their loss
    // and on to NaN (frame 17 of 20 of vtest.avi); so no pixel moves more than 4 levels a step, Adam's
    // rate from the content start. Adam's own steps are bounded by its rate already.
    private SynthesisSettings ContinuedSynthesis(Continuation continuation) => job.Synthesis with
    {
        Iterations = continuation.Iterations,
        LargestStep = job.Defaults.LearningRate(OptimizerKind.Adam, InitialImage.Content),
    };

    private List<StyleImage> StyleImages(List<(RgbImage Image, double Weight, RgbImage? Mask)> paintings, RgbImage? coarse, int width, int height, int styleSide)
    {
        var coarseLayers = job.CoarseLayers;
        var fineLayers = coarseLayers is null ? null : job.Objective.StyleLayers.Select(s => s.Layer).Except(coarseLayers).ToArray();
        return
        [
            .. paintings.Select(p => new StyleImage(
                ScaledToSide(p.Image, styleSide, device), p.Weight, p.Mask is null ? null : MaskTensor(p.Mask, width, height, device), fineLayers, GramScale: GramScale(p.Image, width, height, styleSide))),
            .. coarse is null ? [] : new[] { new StyleImage(ScaledToSide(coarse, styleSide, device), 1, null, coarseLayers, Colors: false, GramScale(coarse, width, height, styleSide)) },
        ];
    }

    // The paintings as read at this size, kept for the next photo; none when the paintings change with each photo.
    private PaintingReadings? ReadingsAt(int styleSide, int tile)
    {
        if (Recolouring.ChangesPaintings(job.Options))
        {
            return null;
        }

        if (!readings.TryGetValue((styleSide, tile), out var kept))
        {
            kept = new PaintingReadings();
            readings[(styleSide, tile)] = kept;
        }

        return kept;
    }

    private StyleTransferResult Finish(Tensor last, ScaleSchedule schedule, int done, RgbImage? chrominanceFrom)
    {
        var (finalWidth, finalHeight) = schedule.Sizes[^1];
        var final = last.shape[2] == finalHeight && last.shape[3] == finalWidth ? last : Enlarge(last, finalHeight, finalWidth);
        var rows = ImageTensor.ToPixelRows(final);
        if (chrominanceFrom is not null)
        {
            rows = Yiq.Join(rows, finalWidth, finalHeight, chrominanceFrom);
        }

        return new StyleTransferResult(ImageTensor.FromPixelRows(rows, finalWidth, finalHeight), done, schedule.TotalIterations, done < schedule.TotalIterations, job.Defaults.Network)
        {
            Image16 = ImageTensor.FromPixelRows16(rows, finalWidth, finalHeight),
            Tile = schedule.Tiles[^1],
            Precision = job.Options.Precision,
        };
    }

    // The paintings with their shares, normalised to sum 1 (a painting given 0 left out), and their
    // masks; with masks, each share times the number of paintings, so that equal shares pull each region
    // as hard as one painting pulls a whole picture.
    private static List<(RgbImage Image, double Weight, RgbImage? Mask)> Shares(StyleSources styles, StyleTransferOptions options)
    {
        var blend = options.StyleBlend ?? styles.Paintings.Select(_ => 1.0).ToArray();
        var total = blend.Sum();
        var factor = styles.Masks is null ? 1.0 : styles.Paintings.Count;
        return styles.Paintings
            .Select((painting, i) => (painting, blend[i] / total * factor, styles.Masks?[i]))
            .Where(p => p.Item2 > 0)
            .ToList();
    }

    // Snapshots are numbered by the run's iteration; the last is the result itself.
    private static Action<int, Tensor>? Snapshots(ScaleSchedule schedule, int scale, int every, Action<int, RgbImage>? snapshot) =>
        snapshot is null || every == 0
            ? null
            : (iteration, picture) =>
            {
                var whole = schedule.RunIteration(scale, iteration);
                if (whole % every == 0 && whole < schedule.TotalIterations)
                {
                    snapshot(whole, ImageTensor.ToImage(picture));
                }
            };

    // The iterations done and the time spent so far, across the scales of one photo.
    private sealed class Tally
    {
        public int Done { get; set; }

        public TimeSpan Elapsed { get; set; }
    }

    // What one scale's synthesis reports to and is stopped by.
    private sealed record ScaleRun(ScaleSchedule Schedule, int Scale, Tally Tally, IProgress<StepProgress>? Progress, Action<int, Tensor>? Snapshots, CancellationToken Cancellation);
}
