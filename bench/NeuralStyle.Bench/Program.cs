using System.Diagnostics;
using System.Globalization;
using NeuralStyle;
using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;
using NeuralStyle.Synthesis;
using TorchSharp;
using static TorchSharp.torch;

// Seconds per L-BFGS iteration (forward, losses, backward, update) of the paper's VGG-19 objective,
// with random He-normal filters (speed does not depend on their values). Not a test: this machine
// is shared and noisy, so it reports minimum, median and maximum over repeated iterations.
// Usage: neural-style-bench [--sizes 256,512] [--iterations 10] [--warmup 2] [--threads N] [--device cpu|cuda]
var settings = Settings.Parse(args);
var device = new Device(settings.Device);
if (settings.Threads is { } threads)
{
    set_num_threads(threads);
}

Console.WriteLine($"VGG-19 to conv5_1, paper layers, L-BFGS, float32, {settings.Device} ({get_num_threads()} CPU threads); {settings.Iterations} timed iterations after {settings.Warmup} warm-up");
Console.WriteLine("size       min s/it  median s/it  max s/it  peak working set");
var weights = RandomWeights();
foreach (var size in settings.Sizes)
{
    using var network = new Vgg19(weights, Pooling.Max);
    network.to(device);
    using var scope = NewDisposeScope();
    using var objective = new GatysObjective(
        network,
        rand(1, 3, size, size, device: device) * 255,
        rand(1, 3, size, size, device: device) * 255,
        StyleTransferOptions.PaperContentLayers,
        StyleTransferOptions.PaperStyleLayers.Select(l => (l, 0.2)).ToArray(),
        contentWeight: 1,
        styleWeight: 1e3,
        tvWeight: 0);
    var stamps = new List<TimeSpan>();
    using var result = Synthesizer.Run(objective, rand(1, 3, size, size, device: device) * 255, OptimizerKind.Lbfgs, 1.0, settings.Warmup + settings.Iterations, new Stamps(stamps)).Image;
    var seconds = stamps.Zip(stamps.Skip(1), (a, b) => (b - a).TotalSeconds).Skip(settings.Warmup - 1).Order().ToArray();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{size,4}x{size,-4}  {seconds[0],8:0.000}  {seconds[seconds.Length / 2],11:0.000}  {seconds[^1],8:0.000}  {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20),10} MiB"));
}

static Vgg19Weights RandomWeights()
{
    var random = new Random(20151126);
    var tensors = new Dictionary<string, WeightTensor>();
    foreach (var (name, inChannels, outChannels) in Vgg19Layout.Convolutions)
    {
        var fanIn = inChannels * 9;
        var values = new float[outChannels * fanIn];
        for (var i = 0; i < values.Length; i++)
        {
            // Box–Muller; He-normal scale keeps activations in a realistic range through 16 layers.
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) * Math.Sqrt(2.0 / fanIn));
        }

        tensors[name + ".weight"] = new WeightTensor([outChannels, inChannels, 3, 3], values);
        tensors[name + ".bias"] = new WeightTensor([outChannels], new float[outChannels]);
    }

    return Vgg19Weights.FromTensors("random He-normal", tensors);
}

internal sealed record Settings(int[] Sizes, int Iterations, int Warmup, int? Threads, string Device)
{
    public static Settings Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        return new Settings(
            (Value("--sizes") ?? "256,512").Split(',').Select(int.Parse).ToArray(),
            int.Parse(Value("--iterations") ?? "10", CultureInfo.InvariantCulture),
            Math.Max(1, int.Parse(Value("--warmup") ?? "2", CultureInfo.InvariantCulture)),
            Value("--threads") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : null,
            Value("--device") ?? "cpu");
    }
}

internal sealed class Stamps(List<TimeSpan> stamps) : IProgress<StepProgress>
{
    public void Report(StepProgress value) => stamps.Add(value.Elapsed);
}
