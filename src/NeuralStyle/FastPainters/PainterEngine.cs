namespace NeuralStyle.FastPainters;

/// <summary>What runs a painter file.</summary>
public enum PainterEngine
{
    /// <summary>ONNX Runtime: any painter file, the ONNX model zoo's included (docs/fast-painters.md measures it the faster on this CPU).</summary>
    OnnxRuntime,

    /// <summary>TorchSharp's libtorch, the training's own network: painter files this tool wrote.</summary>
    TorchSharp,
}

/// <summary>One way of running a painter file: pictures in, pictures out.</summary>
internal interface IPainterEngine : IDisposable
{
    /// <summary>What the file says of itself; null for a painter this tool did not write.</summary>
    PainterMetadata? Metadata { get; }

    /// <summary>Styles it holds (1 for a file without a style input).</summary>
    int Styles { get; }

    /// <summary>Paints RGB 0–255 pictures, [1, 3, H, W] flattened (H and W multiples of 4), in the blend <paramref name="style"/> of its styles.</summary>
    float[] Paint(float[] rgb, int height, int width, float[] style);
}
