using NeuralStyle.Networks.Onnx;
using NeuralStyle.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.FastPainters;

/// <summary>Runs a painter file this tool wrote with TorchSharp: its weights loaded, by name, into the training's own network.</summary>
internal sealed class TorchSharpEngine : IPainterEngine
{
    private readonly TransformerNetwork network;

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="StyleTransferException">The file is not readable ONNX, or not a painter this tool wrote.</exception>
    public TorchSharpEngine(string path)
    {
        var graph = OnnxGraph.Read(path);
        var metadata = Metadata = PainterMetadata.Of(graph.Metadata)
            ?? throw new StyleTransferException($"{path}: not a painter written by neural-style (no painter metadata); another ONNX painter runs with {{Engine}} onnxruntime");
        metadata.Shape.Validate();
        network = new TransformerNetwork(metadata.Shape);
        try
        {
            Load(path, graph, metadata.Shape.Styles);
        }
        catch
        {
            network.Dispose();
            throw;
        }

        network.eval();
    }

    /// <inheritdoc />
    public PainterMetadata? Metadata { get; }

    /// <inheritdoc />
    public int Styles => network.Shape.Styles;

    /// <inheritdoc />
    public float[] Paint(float[] rgb, int height, int width, float[] style)
    {
        using var noGradient = no_grad();
        using var scope = NewDisposeScope();
        var picture = network.forward(tensor(rgb, [1, 3, height, width]), tensor(style)).ClampedInPlace(0, 255);
        return picture.contiguous().data<float>().ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => network.Dispose();

    private void Load(string path, OnnxGraph graph, int styles)
    {
        using var noGradient = no_grad();
        for (var i = 0; i < network.Layers.Count; i++)
        {
            var name = network.Layers[i].Name;
            var convolution = network.Convolution(i);
            Copy(path, graph, $"{name}.weight", convolution.weight!);
            Copy(path, graph, $"{name}.bias", convolution.bias!);
            if (network.Norm(i) is { } norm)
            {
                Copy(path, graph, $"{name}.scale", styles == 1 ? norm.Scale[0] : norm.Scale);
                Copy(path, graph, $"{name}.shift", styles == 1 ? norm.Shift[0] : norm.Shift);
            }
        }
    }

    private static void Copy(string path, OnnxGraph graph, string name, Tensor into)
    {
        if (!graph.Initializers.TryGetValue(name, out var values) || !values.Shape.SequenceEqual(into.shape))
        {
            throw new StyleTransferException($"{path}: its weights do not match its metadata ({name})");
        }

        using var loaded = tensor(values.Values, values.Shape);
        into.copy_(loaded);
    }
}
