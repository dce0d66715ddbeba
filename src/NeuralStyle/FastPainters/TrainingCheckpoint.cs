using System.Text;
using System.Text.Json;
using NeuralStyle.Images;
using NeuralStyle.Networks.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.FastPainters;

/// <summary>
/// A training run's state, written as safetensors beside the painter (<c>NAME.onnx.checkpoint</c>):
/// the network's weights, Adam's two averages for each, and the number of steps taken.
/// </summary>
internal static class TrainingCheckpoint
{
    private const string StepKey = "training.step";

    /// <summary>The checkpoint's path for a painter written to <paramref name="output"/>.</summary>
    public static string PathFor(string output) => output + ".checkpoint";

    /// <summary>Writes the state after <paramref name="step"/> steps, atomically.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> state, int step)
    {
        var tensors = state.Select(s => (s.Key, Values: Values(s.Value), Shape: s.Value.shape))
            .Append((StepKey, [step], [1]))
            .ToList();
        var header = new Dictionary<string, object>();
        var offset = 0L;
        foreach (var (name, values, shape) in tensors)
        {
            header[name] = new { dtype = "F32", shape, data_offsets = new[] { offset, offset + (values.Length * 4L) } };
            offset += values.Length * 4L;
        }

        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        ImageFile.WriteAtomically(path, stream =>
        {
            stream.Write(BitConverter.GetBytes((ulong)json.Length));
            stream.Write(json);
            foreach (var (_, values, _) in tensors)
            {
                stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            }
        }, "the checkpoint");
    }

    /// <summary>Reads a checkpoint into <paramref name="state"/> (every tensor of it, shapes checked) and answers its step.</summary>
    /// <exception cref="StyleTransferException">No checkpoint, or one of another network's shape.</exception>
    public static int Load(string path, IReadOnlyDictionary<string, Tensor> state)
    {
        if (!File.Exists(path))
        {
            throw new StyleTransferException($"{path}: no checkpoint to resume from");
        }

        var saved = SafetensorsFile.Read(path);
        using var noGradient = no_grad();
        foreach (var (name, tensor) in state)
        {
            if (!saved.TryGetValue(name, out var values) || !values.Shape.SequenceEqual(tensor.shape))
            {
                throw Another(path, $"{name} {(values is null ? "missing" : values.ShapeText)}");
            }

            using var loaded = torch.tensor(values.Values, values.Shape);
            tensor.copy_(loaded);
        }

        if (saved.Keys.FirstOrDefault(name => name != StepKey && !state.ContainsKey(name)) is { } extra)
        {
            throw Another(path, extra);
        }

        return saved.TryGetValue(StepKey, out var step) ? (int)step.Values[0] : throw new StyleTransferException($"{path}: not a training checkpoint (no step)");
    }

    private static StyleTransferException Another(string path, string what) =>
        new($"{path}: a checkpoint of another painter ({what}); give the widths, blocks, paintings and anti-aliasing it was trained with");

    private static float[] Values(Tensor tensor)
    {
        using var cpu = tensor.detach().to(float32, CPU).contiguous();
        return cpu.data<float>().ToArray();
    }
}
