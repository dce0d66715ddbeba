using System.Diagnostics;
using System.Globalization;
using NeuralStyle;
using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;
using NeuralStyle.Synthesis;
using TorchSharp;
using static TorchSharp.torch;

// Seconds per iteration (forward, losses, backward, update) of each network's default objective and
// optimiser, and the end-to-end time of the default job. VGG-19 uses random He-normal filters (speed
// does not depend on their values). Not a test: this machine is shared and noisy, so it reports
// minimum, median and maximum over repeated iterations.
// Usage: neural-style-bench [--sizes 256,512] [--iterations 10] [--warmup 2] [--threads N] [--device cpu|cuda]
//                           [--networks vgg19,resnet18] [--job CONTENT,STYLE] [--precision float32|bfloat16]
var settings = Settings.Parse(args);
var device = new Device(settings.Device);
if (settings.Threads is { } threads)
{
    set_num_threads(threads);
}

Console.WriteLine($"{(settings.BFloat16 ? "bfloat16 network, float32 losses" : "float32")}, {settings.Device} ({get_num_threads()} CPU threads); {settings.Iterations} timed iterations after {settings.Warmup} warm-up");
Console.WriteLine("network   optimiser  size       min s/it  median s/it  max s/it  peak working set");
foreach (var name in settings.Networks)
{
    var defaults = NetworkDefaults.For(name);
    using IFeatureNetwork network = name == "vgg19" ? new Vgg19(RandomVgg19Weights(), Pooling.Max) : BuiltInResNet18.Load();
    ((nn.Module)network).to(device);
    if (settings.BFloat16)
    {
        ((nn.Module)network).to(bfloat16);
    }

    foreach (var size in settings.Sizes)
    {
        using var scope = NewDisposeScope();
        var weight = 1.0 / defaults.StyleLayers.Count;
        using var objective = new GatysObjective(
            network,
            rand(1, 3, size, size, device: device) * 255,
            rand(1, 3, size, size, device: device) * 255,
            new ObjectiveSettings([.. defaults.ContentLayers.Select(l => network.Canonical(l)!)], [.. defaults.StyleLayers.Select(l => (network.Canonical(l)!, weight))], defaults.ContentWeight, defaults.StyleWeight, 0, defaults.MeanContentLoss));
        var stamps = new List<TimeSpan>();
        var synthesis = new SynthesisSettings(defaults.Optimizer, defaults.LearningRate(defaults.Optimizer, defaults.Init), settings.Warmup + settings.Iterations, defaults.Jitter, 1);
        using var result = Synthesizer.Run(objective, rand(1, 3, size, size, device: device) * 255, synthesis, new Stamps(stamps)).Image;
        var seconds = stamps.Zip(stamps.Skip(1), (a, b) => (b - a).TotalSeconds).Skip(settings.Warmup - 1).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-9} {defaults.Optimizer.ToString().ToLowerInvariant(),-10} {size,4}x{size,-4}  {seconds[0],8:0.000}  {seconds[seconds.Length / 2],11:0.000}  {seconds[^1],8:0.000}  {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20),10} MiB"));
    }
}

if (settings.Job is { } job)
{
    // The default job as the command line runs it: decode both images, load the network, optimise, save.
    var clock = Stopwatch.StartNew();
    var options = new StyleTransferOptions { Device = settings.Device, Seed = 1, Precision = settings.BFloat16 ? Precision.BFloat16 : Precision.Float32 };
    var result = StyleTransfer.Run(ImageFile.Load(job.Content), ImageFile.Load(job.Style), options);
    var output = Path.Combine(Path.GetTempPath(), $"neural-style-bench-{Environment.ProcessId}.png");
    ImageFile.SaveAtomically(result.Image, output);
    File.Delete(output);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"default job ({result.Network}, {result.Image.Width}x{result.Image.Height}, {result.IterationsRun} iterations): {clock.Elapsed.TotalSeconds:0.0} s end to end"));
}

static Vgg19Weights RandomVgg19Weights()
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

internal sealed record Settings(int[] Sizes, int Iterations, int Warmup, int? Threads, string Device, string[] Networks, (string Content, string Style)? Job, bool BFloat16)
{
    public static Settings Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        return new Settings(
            (Value("--sizes") ?? "256,512").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
            int.Parse(Value("--iterations") ?? "10", CultureInfo.InvariantCulture),
            Math.Max(1, int.Parse(Value("--warmup") ?? "2", CultureInfo.InvariantCulture)),
            Value("--threads") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : null,
            Value("--device") ?? "cpu",
            (Value("--networks") ?? "vgg19,resnet18").Split(','),
            Value("--job") is { } j && j.Split(',') is [var content, var style] ? (content, style) : null,
            Value("--precision") == "bfloat16");
    }
}

internal sealed class Stamps(List<TimeSpan> stamps) : IProgress<StepProgress>
{
    public void Report(StepProgress value) => stamps.Add(value.Elapsed);
}
