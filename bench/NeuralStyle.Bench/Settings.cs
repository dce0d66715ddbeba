using System.Globalization;
using NeuralStyle.Networks;

namespace NeuralStyle.Bench;

/// <summary>The benchmark's command line.</summary>
internal sealed record Settings(
    int[] Sizes,
    int Iterations,
    int Warmup,
    int? Threads,
    string Device,
    NetworkKind[] Networks,
    (string Content, string Style)? Job,
    Precision Precision,
    double? PeakGflops,
    string? PyTorch,
    int Tile)
{
    /// <summary>True when the network runs in bfloat16 (asked for, or chosen by auto).</summary>
    public bool BFloat16 => Precision == Precision.BFloat16;

    public const string Usage =
        "neural-style-bench [--sizes 256,512] [--iterations 10] [--warmup 2] [--threads N] [--device cpu|cuda] [--networks vgg19,vgg16,resnet18] " +
        "[--job CONTENT,STYLE] [--precision auto|float32|bfloat16] [--peak-gflops G] [--pytorch PYTHON] [--tile N]";

    public static Settings Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        return new Settings(
            (Value("--sizes") ?? "256,512").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
            int.Parse(Value("--iterations") ?? "10", CultureInfo.InvariantCulture),
            Math.Max(1, int.Parse(Value("--warmup") ?? "2", CultureInfo.InvariantCulture)),
            Value("--threads") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : null,
            Value("--device") ?? "cpu",
            (Value("--networks") ?? "vgg19,resnet18").Split(',').Select(n => Enum.Parse<NetworkKind>(n, ignoreCase: true)).ToArray(),
            Value("--job") is { } j && j.Split(',') is [var content, var style] ? (content, style) : null,
            PrecisionChoice.Resolve(Enum.Parse<Precision>(Value("--precision") ?? "auto", ignoreCase: true), ComputeDevice.Parse(Value("--device") ?? "cpu")),
            Value("--peak-gflops") is { } g ? double.Parse(g, CultureInfo.InvariantCulture) : null,
            Value("--pytorch"),
            int.Parse(Value("--tile") ?? "0", CultureInfo.InvariantCulture));
    }
}
