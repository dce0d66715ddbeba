using Microsoft.ML.OnnxRuntime;

namespace NeuralStyle.FastPainters;

/// <summary>Runs a painter file with ONNX Runtime on the CPU.</summary>
internal sealed class OnnxRuntimeEngine : IPainterEngine
{
    private readonly InferenceSession session;
    private readonly string input;
    private readonly string? styleInput;
    private readonly string output;

    /// <summary>Opens <paramref name="path"/> and checks that it takes and gives a picture.</summary>
    /// <exception cref="StyleTransferException">The file is not a readable ONNX model, or not a painter.</exception>
    public OnnxRuntimeEngine(string path)
    {
        try
        {
            session = new InferenceSession(path, new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR });
        }
        catch (OnnxRuntimeException e)
        {
            throw new StyleTransferException($"{path}: not a readable ONNX model ({FirstLine(e.Message)})", e);
        }

        try
        {
            var pictures = session.InputMetadata.Where(i => IsPicture(i.Value.Dimensions)).Select(i => i.Key).ToList();
            var others = session.InputMetadata.Keys.Except(pictures).ToList();
            var outputs = session.OutputMetadata.Where(o => IsPicture(o.Value.Dimensions)).Select(o => o.Key).ToList();
            if (pictures.Count != 1 || outputs.Count == 0 || others.Any(o => o != "style") || session.InputMetadata[pictures[0]].ElementType != typeof(float))
            {
                var shapes = string.Join(", ", session.OutputMetadata.Select(o => $"[{string.Join(", ", o.Value.Dimensions)}]"));
                throw new StyleTransferException($"{path}: not a painter: a painter takes one picture [N, 3, H, W] and gives one; this gives {shapes}");
            }

            (input, output, styleInput) = (pictures[0], outputs[0], others.SingleOrDefault());
            Metadata = PainterMetadata.Of(session.ModelMetadata.CustomMetadataMap);
            Styles = styleInput is null ? 1 : session.InputMetadata[styleInput].Dimensions[0];
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public PainterMetadata? Metadata { get; }

    /// <inheritdoc />
    public int Styles { get; }

    /// <inheritdoc />
    public float[] Paint(float[] rgb, int height, int width, float[] style)
    {
        using var photo = OrtValue.CreateTensorValueFromMemory(rgb, [1, 3, height, width]);
        using var blend = OrtValue.CreateTensorValueFromMemory(style, [style.Length]);
        var inputs = new Dictionary<string, OrtValue> { [input] = photo };
        if (styleInput is not null)
        {
            inputs[styleInput] = blend;
        }

        using var options = new RunOptions();
        using var results = session.Run(options, inputs, [output]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => session.Dispose();

    // Rank 4 with 3 channels (or a symbolic channel count): what a picture is.
    private static bool IsPicture(int[] dimensions) => dimensions.Length == 4 && dimensions[1] is 3 or -1;

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
