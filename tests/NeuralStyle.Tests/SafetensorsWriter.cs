using System.Text;
using System.Text.Json;

namespace NeuralStyle.Tests;

/// <summary>Writes small safetensors files for tests (float32 only, or raw bytes for a deliberately odd type).</summary>
internal static class SafetensorsWriter
{
    public static void Write(string path, IReadOnlyDictionary<string, (long[] Shape, float[] Values)> tensors)
    {
        var raw = tensors.ToDictionary(t => t.Key, t => ("F32", t.Value.Shape, t.Value.Values.SelectMany(BitConverter.GetBytes).ToArray()));
        WriteRaw(path, raw);
    }

    public static void WriteRaw(string path, IReadOnlyDictionary<string, (string DType, long[] Shape, byte[] Bytes)> tensors)
    {
        var header = new Dictionary<string, object>();
        var offset = 0L;
        foreach (var (name, (dtype, shape, bytes)) in tensors)
        {
            header[name] = new { dtype, shape, data_offsets = new[] { offset, offset + bytes.Length } };
            offset += bytes.Length;
        }

        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes((ulong)json.Length));
        file.Write(json);
        foreach (var (_, _, bytes) in tensors.Values)
        {
            file.Write(bytes);
        }
    }

    /// <summary>VGG-19 (or <paramref name="layout"/>'s) convolutions conv1_1 … <paramref name="through"/> in the Caffe key layout, small random values.</summary>
    public static Dictionary<string, (long[] Shape, float[] Values)> CaffeLayers(string through, NeuralStyle.Networks.VggLayout? layout = null)
    {
        var random = new Random(7);
        var tensors = new Dictionary<string, (long[], float[])>();
        foreach (var (name, inChannels, outChannels) in (layout ?? NeuralStyle.Networks.VggLayout.Vgg19).Convolutions)
        {
            var count = outChannels * inChannels * 9;
            tensors[name + ".weight"] = ([outChannels, inChannels, 3, 3], Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5) * 0.1f).ToArray());
            tensors[name + ".bias"] = ([outChannels], new float[outChannels]);
            if (name == through)
            {
                break;
            }
        }

        return tensors;
    }
}
