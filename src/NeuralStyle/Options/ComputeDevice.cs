using System.Globalization;

namespace NeuralStyle;

/// <summary>The kind of processor the network runs on.</summary>
public enum DeviceKind
{
    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>An NVIDIA GPU through CUDA.</summary>
    Cuda,
}

/// <summary>The processor the whole synthesis runs on: the CPU, or a CUDA GPU by index.</summary>
/// <param name="Kind">CPU or CUDA.</param>
/// <param name="Index">The GPU's index among CUDA devices (0 for the CPU).</param>
public sealed record ComputeDevice(DeviceKind Kind, int Index = 0)
{
    /// <summary>The CPU.</summary>
    public static ComputeDevice Cpu { get; } = new(DeviceKind.Cpu);

    /// <summary>The command line's form: <c>cpu</c>, <c>cuda</c> (the first GPU) or <c>cuda:N</c>.</summary>
    /// <exception cref="FormatException">The text is none of these.</exception>
    public static ComputeDevice Parse(string text) => text switch
    {
        "cpu" => Cpu,
        "cuda" => new(DeviceKind.Cuda),
        _ when text.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(text[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var index) => new(DeviceKind.Cuda, index),
        _ => throw new FormatException($"'{text}' is not a device (cpu, cuda or cuda:N)"),
    };

    /// <inheritdoc />
    public override string ToString() => Kind == DeviceKind.Cpu ? "cpu" : string.Create(CultureInfo.InvariantCulture, $"cuda:{Index}");
}
