using NeuralStyle.Networks.Onnx;

namespace NeuralStyle.Networks;

/// <summary>The ResNet-18 that ships with the tool (from NuGet), found beside the assemblies.</summary>
public static class BuiltInResNet18
{
    /// <summary>The model: ResNet-18's graph and weights, copied by the build beside the assemblies.</summary>
    public static string ModelPath => Path.Combine(AppContext.BaseDirectory, "models", "resnet18", "ResNet18.onnx");

    /// <summary>The preprocessing graph, whose mean image the model expects subtracted.</summary>
    public static string PreprocessPath => Path.Combine(AppContext.BaseDirectory, "models", "resnet18", "ResNetPreprocess.onnx");

    /// <summary>Reads the model and the per-channel means of its preprocessing's mean image.</summary>
    /// <exception cref="StyleTransferException">The files are missing or unreadable.</exception>
    public static ResNet18 Load() =>
        new(OnnxGraph.Read(ModelPath), ChannelMeans(OnnxGraph.Read(PreprocessPath), PreprocessPath), ModelPath);

    /// <summary>The BGR channel means (0–255) of the preprocessing graph's mean image [1, 3, H, W].</summary>
    public static double[] ChannelMeans(OnnxGraph preprocess, string source)
    {
        var mean = preprocess.Initializers.Values.SingleOrDefault(t => t.Shape is [1, 3, _, _])
            ?? throw new StyleTransferException($"{source}: no mean image [1, 3, H, W] in the preprocessing graph");
        var plane = mean.Values.Length / 3;
        return [.. Enumerable.Range(0, 3).Select(c => mean.Values.AsSpan(c * plane, plane).ToArray().Average(v => (double)v))];
    }
}
