using System.Diagnostics;
using System.Globalization;
using NeuralStyle;
using NeuralStyle.Bench;
using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Objective;
using NeuralStyle.Optimization;
using NeuralStyle.Planning;
using NeuralStyle.Platform;
using TorchSharp;
using static TorchSharp.torch;

// Seconds per iteration (forward, losses, backward, update) of each network's default objective and
// optimiser, with the arithmetic done per iteration and the fraction of the machine's peak; the
// L-BFGS step with a full history; the end-to-end time of the default job; and the same VGG-19 loop
// in PyTorch when a Python with torch is given. VGG-19 uses random He-normal filters (speed does not
// depend on their values). Not a test: this machine is shared and noisy, so it reports minimum,
// median and maximum over repeated iterations. Usage: see Settings.Usage.
if (args is ["painters", .. var painterArgs])
{
    return PainterBench.Run(painterArgs);
}

var settings = Settings.Parse(args);
var device = new Device(settings.Device);
if (settings.Threads is { } threads)
{
    set_num_threads(threads);
}

// The peak is probed at the start and again after each row, and each row is set against the best
// probe so far: a probe that a busy moment of this shared machine slowed reads low only once.
var peakType = settings.BFloat16 ? bfloat16 : float32;
var peak = settings.PeakGflops ?? PeakFlops.Measure(peakType, device);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(settings.BFloat16 ? "bfloat16 network, float32 loss values" : "float32")}, {settings.Device} ({get_num_threads()} CPU threads); {settings.Iterations} timed iterations after {settings.Warmup} warm-up"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{PeakFlops.Processor(device)}; peak {peak:0} GFLOP/s ({(settings.PeakGflops is null ? $"the faster of a {PeakFlops.Side}² matrix product and a 3x3 convolution, in {(settings.BFloat16 ? "bfloat16" : "float32")}" : "--peak-gflops")})"));
// Resident memory is sampled after each iteration; freed tensors stay in the heap (GlibcHeap), so the
// samples hold the iteration's peak, and a size run after a larger one reports the larger's.
Console.WriteLine("network   optimiser  size       min s/it  median s/it  max s/it  GFLOP/it  GFLOP/s  of peak  resident (host)");
foreach (var kind in settings.Networks)
{
    var defaults = NetworkDefaults.For(kind);
    using IFeatureNetwork network = kind == NetworkKind.ResNet18 ? BuiltInResNet18.Load() : new Vgg(RandomVgg.Weights(VggLayout.Of(kind)), Pooling.Max);
    ((TorchSharp.torch.nn.Module)network).to(device);
    if (settings.BFloat16)
    {
        ((TorchSharp.torch.nn.Module)network).to(bfloat16);
    }

    // With --tile, each size larger than the tile is timed again in tiles, on the row below the whole one.
    foreach (var (size, tile) in settings.Sizes.SelectMany(size => settings.Tile > 0 && size > settings.Tile ? new[] { (size, 0), (size, settings.Tile) } : [(size, 0)]))
    {
        using var scope = NewDisposeScope();
        var weight = 1.0 / defaults.StyleLayers.Count;
        var objectiveSettings = new ObjectiveSettings([.. defaults.ContentLayers.Select(l => network.Canonical(l)!)], [.. defaults.StyleLayers.Select(l => (network.Canonical(l)!, weight))], defaults.ContentWeight, defaults.StyleWeight, 0, defaults.MeanContentLoss, Tile: tile);
        using var objective = new GatysObjective(network, rand(1, 3, size, size, device: device).Times(255), rand(1, 3, size, size, device: device).Times(255), objectiveSettings);
        var stamps = new Stamps();
        var synthesis = new SynthesisSettings(defaults.Optimizer, defaults.LearningRate(defaults.Optimizer, defaults.Init), settings.Warmup + settings.Iterations, defaults.Jitter, 1);
        using var result = Synthesizer.Run(objective, rand(1, 3, size, size, device: device).Times(255), synthesis, stamps).Image;
        var seconds = stamps.Elapsed.Zip(stamps.Elapsed.Skip(1), (a, b) => (b - a).TotalSeconds).Skip(settings.Warmup - 1).Order().ToArray();
        var median = seconds[seconds.Length / 2];
        var gflop = (tile == 0 ? IterationFlops(network, objectiveSettings, size) : TiledIterationFlops(network, objectiveSettings, size)) / 1e9;
        var label = tile == 0 ? $"{size}x{size}" : $"  tiles {tile}";
        peak = settings.PeakGflops ?? Math.Max(peak, PeakFlops.Measure(peakType, device));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind.Name(),-9} {defaults.Optimizer.ToString().ToLowerInvariant(),-10} {label,-10} {seconds[0],8:0.000}  {median,11:0.000}  {seconds[^1],8:0.000}  {gflop,8:0.0}  {gflop / median,7:0}  {(gflop / median / peak).ToString("0%", CultureInfo.InvariantCulture),7}  {stamps.MostResident / (1 << 20),8} MiB"));
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak, best of the probes: {peak:0} GFLOP/s"));
foreach (var size in settings.Sizes)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"L-BFGS step alone, {LbfgsStep.History} curvature pairs full, {size}x{size}: {LbfgsStep.Seconds(size, device) * 1000:0.0} ms"));
}

if (settings.Job is { } job)
{
    // The default job as the command line runs it: decode both images, load the network, optimise, save.
    var clock = Stopwatch.StartNew();
    var options = new StyleTransferOptions { Device = ComputeDevice.Parse(settings.Device), Seed = 1, Precision = settings.Precision };
    var result = StyleTransfer.Run(ImageFile.Load(job.Content), ImageFile.Load(job.Style), options);
    var output = Path.Combine(Path.GetTempPath(), $"neural-style-bench-{Environment.ProcessId}.png");
    ImageFile.SaveAtomically(result.Image, output);
    File.Delete(output);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"default job ({result.Network.Name()}, {result.Image.Width}x{result.Image.Height}, {result.IterationsRun} iterations): {clock.Elapsed.TotalSeconds:0.0} s end to end"));
}

if (settings.PyTorch is { } python)
{
    PyTorchReference.Run(python, settings);
}

return 0;

// One iteration: the convolutions forward and again for the gradient of their input (the filters
// need none), and per style layer the Gram matrix F Fᵀ and the gradient product, 2N²M each.
static double IterationFlops(IFeatureNetwork network, ObjectiveSettings objective, int size) =>
    (NetworkCost.Count(network, [.. objective.Layers], size, size).ForwardFlops * 2) + GramFlops(network, objective, size);

// One tiled iteration: each tile with its margins forward to the style layers (pass 1), then forward
// to every layer and back (pass 2); the Gram matrices as whole, over the tiles' inner parts.
static double TiledIterationFlops(IFeatureNetwork network, ObjectiveSettings objective, int size)
{
    var grid = new TileGrid(size, size, objective.Tile, network.TileMargin(objective.Layers), network.TileAlignment);
    string[] styleLayers = [.. objective.StyleLayers.Select(s => s.Layer)];
    var convolutions = grid.Tiles.Sum(t =>
        NetworkCost.Count(network, styleLayers, t.OuterRows.Length, t.OuterColumns.Length).ForwardFlops
        + (NetworkCost.Count(network, [.. objective.Layers], t.OuterRows.Length, t.OuterColumns.Length).ForwardFlops * 2));
    return convolutions + GramFlops(network, objective, size);
}

static double GramFlops(IFeatureNetwork network, ObjectiveSettings objective, int size)
{
    using var scope = NewDisposeScope();
    using (no_grad())
    {
        var device = ((TorchSharp.torch.nn.Module)network).parameters().First().device;
        var responses = network.Activations(zeros(1, 3, size, size, device: device), [.. objective.StyleLayers.Select(s => s.Layer)]);
        return responses.Values.Sum(r => 4.0 * r.shape[1] * r.shape[1] * r.shape[2] * r.shape[3]);
    }
}

internal sealed class Stamps : IProgress<StepProgress>
{
    public List<TimeSpan> Elapsed { get; } = [];

    public long MostResident { get; private set; }

    public void Report(StepProgress value)
    {
        Elapsed.Add(value.Elapsed);
        MostResident = Math.Max(MostResident, value.WorkingSetBytes);
    }
}
