using System.Diagnostics;
using System.Text.Json;
using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Objective;
using NeuralStyle.Optimization;
using NeuralStyle.Platform;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace NeuralStyle.FastPainters;

/// <summary>
/// Trains a painter (Johnson, Alahi &amp; Fei-Fei 2016): a <see cref="TransformerNetwork"/> whose
/// pictures of random photo crops are scored by the objective's own terms against the paintings,
/// its weights moved by Adam. Several paintings make one painter with a style for each, the steps
/// taking them in turn.
/// </summary>
public static class PainterTraining
{
    private const int PreviewPhotos = 3;
    private const int ShiftRange = 32;
    private const int NormWindow = 50;
    private const double SpikeFactor = 10;

    /// <summary>Where a run writing the painter <paramref name="output"/> keeps its checkpoint, which <see cref="PainterTrainingOptions.Resume"/> goes on from.</summary>
    public static string CheckpointFor(string output) => TrainingCheckpoint.PathFor(output);

    /// <summary>
    /// Trains on <paramref name="photos"/> and writes the painter to <paramref name="output"/> (ONNX),
    /// its checkpoint beside it, and every <see cref="PainterTrainingOptions.PreviewEvery"/> steps
    /// <c>NAME.preview.png</c> and <c>NAME.loss.svg</c>. Cancelling saves the checkpoint and returns.
    /// With the temporal loss, <paramref name="clips"/> (pairs of consecutive frames of real clips and
    /// their flow) give every other step's crops and motion; without them, every step's motion is
    /// made from the photos.
    /// </summary>
    /// <exception cref="StyleTransferException">Bad options, an unwritable output, a bad loss network, no decodable photo, or a checkpoint that does not fit.</exception>
    public static TrainingResult Train(IReadOnlyList<(string Name, RgbImage Image)> paintings, TrainingPhotos photos, PainterTrainingOptions options, string output, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default, IReadOnlyList<ClipPair>? clips = null)
    {
        options.Validate();
        StyleTransfer.Require(paintings.Count is >= 1 and <= 256, "a painter learns 1 to 256 paintings");
        ImageFile.RequireWritableFolder(output);
        using var lossNetwork = LoadedNetwork.Load(options.LossOptions());
        using var run = new Run(paintings, photos, options, output, lossNetwork, ClipMotion.Prepare(clips ?? [], options.Size));
        return run.Train(progress, cancellation);
    }

    private sealed class Run : IDisposable
    {
        private readonly IReadOnlyList<(string Name, RgbImage Image)> paintings;
        private readonly TrainingPhotos photos;
        private readonly PainterTrainingOptions options;
        private readonly string output;
        private readonly LoadedNetwork lossNetwork;
        private readonly ObjectiveSettings objective;
        private readonly TransformerNetwork network;
        private readonly List<(string Name, Parameter Weights, Adam Adam)> weights = [];
        private readonly List<StyleImage> styles = [];
        private readonly List<PaintingReadings> readings = [];
        private readonly IReadOnlyList<string> previews;
        private readonly List<(int Step, double Loss)> curve = [];
        private readonly Random random;
        private readonly Queue<double> norms = [];
        private readonly IReadOnlyList<(Tensor First, Tensor Second, Tensor Flow, Tensor Reliable)> clips;

        // In an anti-aliased run's checkpoint, so that it resumes only as the network it was.
        private readonly Tensor antiAliasedMark = ones(1);

        public Run(IReadOnlyList<(string Name, RgbImage Image)> paintings, TrainingPhotos photos, PainterTrainingOptions options, string output, LoadedNetwork lossNetwork, IReadOnlyList<(Tensor First, Tensor Second, Tensor Flow, Tensor Reliable)> clips)
        {
            (this.paintings, this.photos, this.options, this.output, this.lossNetwork, this.clips) = (paintings, photos, options, output, lossNetwork, clips);
            var lossOptions = options.LossOptions();
            var defaults = NetworkDefaults.For(lossNetwork.Kind);
            var resolved = ResolvedOptions.For(lossOptions, lossNetwork.Network, defaults, coarsePainting: false).Objective;
            // A mean content loss averages over the batch while the style terms add its pictures: α
            // grows with the batch so that each crop weighs as one picture would. The hold reads one picture.
            objective = resolved with { Hold = null, ContentWeight = resolved.ContentWeight * (resolved.MeanContentLoss ? options.Batch : 1) };
            random = new Random(options.Seed);
            network = new TransformerNetwork(options.ShapeFor(paintings.Count));
            network.Initialise(options.Seed);
            foreach (var (name, parameter) in network.named_parameters())
            {
                weights.Add((name, parameter, new Adam(parameter, options.LearningRate)));
            }

            foreach (var (_, image) in paintings)
            {
                styles.Add(new StyleImage(ScaleImages.ScaledToSide(image, options.PhotoSide, CPU), GramScale: ScaleImages.GramScale(image, options.Size, options.Size, options.PhotoSide)));
                readings.Add(new PaintingReadings());
            }

            previews = photos.HoldOut(PreviewPhotos, every: 30);
        }

        private string CheckpointPath => TrainingCheckpoint.PathFor(output);

        // Steps of this run whose gradient was clipped, or left out for not being finite.
        private int Clipped { get; set; }

        public TrainingResult Train(IProgress<TrainingProgress>? progress, CancellationToken cancellation)
        {
            var start = options.Resume ? TrainingCheckpoint.Load(CheckpointPath, State()) : 0;
            foreach (var (_, _, adam) in weights)
            {
                adam.Steps = start;
            }

            // The crops continue where a resumed run's left off in the same sequence of draws.
            for (var skip = 0; skip < start; skip++)
            {
                _ = random.Next();
            }

            var clock = Stopwatch.StartNew();
            for (var step = start; step < options.Iterations; step++)
            {
                if (cancellation.IsCancellationRequested)
                {
                    TrainingCheckpoint.Save(CheckpointPath, State(), step);
                    return new TrainingResult(step, Stopped: true, CheckpointPath, Clipped);
                }

                var loss = Step(step);
                curve.Add((step + 1, loss.Total));
                var done = step + 1 - start;
                progress?.Report(new TrainingProgress(step + 1, options.Iterations, loss, clock.Elapsed, clock.Elapsed.TotalSeconds / done, Clipped));
                if (options.CheckpointEvery > 0 && (step + 1) % options.CheckpointEvery == 0)
                {
                    TrainingCheckpoint.Save(CheckpointPath, State(), step + 1);
                }

                if (options.PreviewEvery > 0 && ((step + 1) % options.PreviewEvery == 0 || step + 1 == options.Iterations))
                {
                    TrainingPreview.Save(output, Preview(), curve);
                }
            }

            TrainingCheckpoint.Save(CheckpointPath, State(), options.Iterations);
            PainterOnnxWriter.Write(output, network, Metadata().Entries());
            return new TrainingResult(options.Iterations, Stopped: false, CheckpointPath, Clipped);
        }

        // One step: a batch of crops painted in one style, scored by the objective, the score's
        // gradient at the pictures carried back through the network to its weights.
        private LossTerms Step(int step)
        {
            using var scope = NewDisposeScope();
            var style = step % paintings.Count;
            var draws = new Random(random.Next());
            var (scene, motion) = Frames(step, draws);
            using var disposeMotion = motion;
            var crops = motion?.First(scene) ?? scene;
            var (pictures, features) = network.Paint(crops, OneHot(style));
            using var terms = new GatysObjective(lossNetwork.Network, crops, [styles[style]], objective, readings[style]);
            // A random roll at each step, as the optimisation's jitter: a strided loss network would
            // otherwise print its grid into the weights.
            var shift = (draws.Next(ShiftRange), draws.Next(ShiftRange));
            var (loss, gradient) = terms.EvaluateWithGradient(pictures, shift, step);
            if (motion is not null)
            {
                loss = WithTemporal(loss, motion, scene, (pictures, features), gradient, style);
            }
            else
            {
                pictures.backward([gradient]);
            }

            var scale = Clipping(GradientNorm());
            Clipped += double.IsFinite(loss.Total) && scale == 1 ? 0 : 1;
            foreach (var (_, parameter, adam) in weights)
            {
                if (scale > 0 && double.IsFinite(loss.Total))
                {
                    adam.Step(scale == 1 ? parameter.grad! : parameter.grad!.Times(scale));
                }

                parameter.grad!.zero_();
            }

            return loss with { Content = loss.Content / options.Batch, Style = loss.Style / options.Batch, TotalVariation = loss.TotalVariation / options.Batch, Temporal = loss.Temporal / options.Batch, Total = loss.Total / options.Batch };
        }

        // The step's crops and, with the temporal loss, their motion: every other step's from the real
        // clips when there are any, the others' made from the photos.
        private (Tensor Scene, ITrainingMotion? Motion) Frames(int step, Random draws)
        {
            if (options.Steadied && clips.Count > 0 && step % 2 == 1)
            {
                return ClipMotion.Draw(clips, draws, options.Batch, options.Size);
            }

            var scene = photos.Crops(options.Batch, options.Size, options.PhotoSide, draws, () => draws.Next(photos.Files.Count));
            return (scene, options.Steadied ? KnownMotion.Draw(draws, options.Batch, options.Size, options.Size) : null);
        }

        // The objective's gradient at the pictures and the temporal loss's, carried back together: the
        // second frames of a known motion are painted too, and their pictures held to the first
        // frames' carried along it (KnownMotion), and their features to the first frames' with the
        // feature-level term. The terms count once for each crop, as the objective's do.
        private LossTerms WithTemporal(LossTerms loss, ITrainingMotion motion, Tensor scene, (Tensor Pictures, Tensor Features) first, Tensor gradient, int style)
        {
            var (ofSecond, featuresOfSecond) = network.Paint(motion.Second(scene), OneHot(style));
            var temporal = motion.Loss(ofSecond, motion.Carried(first.Pictures)).Times(options.TemporalWeight * options.Batch);
            if (options.FeatureTemporalWeight > 0)
            {
                temporal = temporal.Plus(motion.FeatureLoss(featuresOfSecond, first.Features).Times(options.FeatureTemporalWeight * options.Batch));
            }

            first.Pictures.mul(gradient).sum().Plus(temporal).backward();
            var value = temporal.item<float>();
            return loss with { Temporal = value, Total = loss.Total + value };
        }

        private double GradientNorm()
        {
            using var scope = NewDisposeScope();
            return weights.Select(w => w.Weights.grad!.to(float64).Squared().sum()).Aggregate((a, b) => a.Plus(b)).sqrt().item<double>();
        }

        // A nearly flat crop (a clear sky, a wallpaper's gradient) is stretched by instance
        // normalisation into noise whose style term is thousands of times the usual, and its
        // gradient grows layer by layer back to the first: such steps put 1e38 into Adam's squared
        // averages, which froze the first layers and then turned them to NaN (step 611 of the first
        // Starry Night run). A step's gradient is scaled down to at most SpikeFactor times the
        // median norm of the last steps (clipping by the global norm, its bound following the
        // run), and a step whose gradient is not finite is left out: the factor it is taken at.
        private double Clipping(double norm)
        {
            if (!double.IsFinite(norm))
            {
                return 0;
            }

            var bound = norms.Count < NormWindow / 2 ? double.PositiveInfinity : SpikeFactor * norms.Order().ElementAt(norms.Count / 2);
            norms.Enqueue(norm);
            if (norms.Count > NormWindow)
            {
                norms.Dequeue();
            }

            return norm <= bound ? 1 : bound / norm;
        }

        private Tensor OneHot(int style)
        {
            var blend = new float[paintings.Count];
            blend[style] = 1;
            return tensor(blend);
        }

        private List<(string Label, RgbImage Image)> Preview()
        {
            using var noGradient = no_grad();
            using var scope = NewDisposeScope();
            var shown = previews.Count > 0 ? previews : photos.Files.Take(PreviewPhotos).ToList();
            var row = new List<(string, RgbImage)>();
            foreach (var file in shown)
            {
                var photo = ImageFile.Load(file, options.Size);
                var (width, height) = photo.SizeWithLongestSide(options.Size);
                var input = ScaleImages.Scaled(photo, width / 4 * 4, height / 4 * 4, CPU);
                for (var style = 0; style < paintings.Count; style++)
                {
                    row.Add(($"{Path.GetFileName(file)} · {paintings[style].Name}", ImageTensor.ToImage(network.forward(input, OneHot(style)))));
                }
            }

            return row;
        }

        private Dictionary<string, Tensor> State()
        {
            var state = new Dictionary<string, Tensor>();
            foreach (var (name, parameter, adam) in weights)
            {
                state[$"network.{name}"] = parameter;
                state[$"adam.average.{name}"] = adam.State.Average;
                state[$"adam.square.{name}"] = adam.State.AverageSquare;
            }

            if (options.AntiAliased)
            {
                state["network.anti-aliased"] = antiAliasedMark;
            }

            return state;
        }

        private PainterMetadata Metadata() => new(
            [.. paintings.Select(p => p.Name)],
            network.Shape,
            lossNetwork.WeightsFile is { } file ? Path.GetFileName(file) : lossNetwork.Kind.Name(),
            JsonSerializer.Serialize(new { options.Size, options.PhotoSide, options.Batch, options.Iterations, options.LearningRate, objective.ContentWeight, objective.StyleWeight, objective.TvWeight, objective.PaletteWeight, options.TemporalWeight, options.FeatureTemporalWeight, options.Seed }),
            PainterMetadata.ToolVersion);

        public void Dispose()
        {
            antiAliasedMark.Dispose();
            foreach (var (_, _, adam) in weights)
            {
                adam.Dispose();
            }

            foreach (var (first, second, flow, reliable) in clips)
            {
                first.Dispose();
                second.Dispose();
                flow.Dispose();
                reliable.Dispose();
            }

            foreach (var reading in readings)
            {
                reading.Dispose();
            }

            foreach (var style in styles)
            {
                style.Rgb.Dispose();
            }

            network.Dispose();
        }
    }
}
