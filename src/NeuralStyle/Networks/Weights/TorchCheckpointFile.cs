using System.Buffers.Binary;
using System.IO.Compression;

namespace NeuralStyle.Networks.Weights;

/// <summary>
/// Reads a PyTorch state dict written by <c>torch.save</c>, in either of its formats: the zip
/// archive of PyTorch 1.6 and later, and the legacy stream (a pickle followed by raw storages) that
/// older files such as torchvision's <c>vgg19-dcbb9e9d.pth</c> use.
/// </summary>
public static class TorchCheckpointFile
{
    private const int LegacyProtocolVersion = 1001;

    // Where training checkpoints keep the model's weights beside their other entries.
    private static readonly string[] WrapperKeys = ["state_dict", "model_state_dict", "model"];

    /// <summary>True when the first bytes of a file look like a zip archive or a pickle stream.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> head) =>
        head.Length >= 2 && ((head[0] == (byte)'P' && head[1] == (byte)'K') || head[0] == 0x80);

    /// <summary>Reads the tensors of the state dict whose keys pass <paramref name="wanted"/> as float32.</summary>
    /// <exception cref="StyleTransferException">The file is truncated, malformed, or not a state dict of tensors.</exception>
    public static IReadOnlyDictionary<string, WeightTensor> Read(string path, Func<string, bool>? wanted = null)
    {
        wanted ??= _ => true;
        try
        {
            using var file = File.OpenRead(path);
            var head = new byte[2];
            file.ReadExactly(head);
            file.Position = 0;
            return head[0] == (byte)'P' ? ReadZip(file, wanted) : ReadLegacy(file, wanted);
        }
        catch (EndOfStreamException e)
        {
            throw new StyleTransferException($"{path}: truncated PyTorch file ({e.Message})", e);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidCastException or KeyNotFoundException or IndexOutOfRangeException)
        {
            throw new StyleTransferException($"{path}: not a readable PyTorch state dict ({e.Message})", e);
        }
    }

    private static Dictionary<string, WeightTensor> ReadZip(Stream file, Func<string, bool> wanted)
    {
        using var zip = OpenZip(file);
        var pickle = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal))
            ?? throw new InvalidDataException("zip archive without data.pkl");
        var prefix = pickle.FullName[..^"data.pkl".Length];
        Dictionary<string, TensorRef> refs;
        using (var stream = pickle.Open())
        {
            refs = ReadStateDict(stream);
        }

        return refs.Where(r => wanted(r.Key)).ToDictionary(r => r.Key, r =>
        {
            var entry = zip.GetEntry(prefix + "data/" + r.Value.Storage.Key) ?? throw new InvalidDataException($"storage {r.Value.Storage.Key} missing");
            var bytes = new byte[entry.Length];
            using (var data = entry.Open())
            {
                data.ReadExactly(bytes);
            }

            return r.Value.Materialize(bytes);
        });
    }

    // A zip archive keeps its directory at its end: a file that starts as one but has none was cut short.
    private static ZipArchive OpenZip(Stream file)
    {
        try
        {
            return new ZipArchive(file, ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw new EndOfStreamException("a zip archive without its directory at the end", e);
        }
    }

    private static Dictionary<string, WeightTensor> ReadLegacy(Stream file, Func<string, bool> wanted)
    {
        var buffered = new BufferedStream(file, 1 << 20);
        var magic = LoadPickle(buffered);
        var protocol = LoadPickle(buffered);
        if (magic is not System.Numerics.BigInteger || protocol is not long version || version != LegacyProtocolVersion)
        {
            throw new InvalidDataException("not a torch.save file (wrong magic number or protocol version)");
        }

        LoadPickle(buffered); // sys_info: byte order and type sizes; every file we read is little-endian
        var refs = ReadStateDict(buffered);
        var keys = ((List<object?>)LoadPickle(buffered)!).Cast<string>().ToList();
        var byKey = refs.Values.GroupBy(r => r.Storage.Key).ToDictionary(g => g.Key, g => g.First().Storage);
        var needed = refs.Where(r => wanted(r.Key)).Select(r => r.Value.Storage.Key).ToHashSet();
        var storages = new Dictionary<string, byte[]>();
        var countBytes = new byte[8];
        foreach (var key in keys)
        {
            buffered.ReadExactly(countBytes);
            var count = BinaryPrimitives.ReadInt64LittleEndian(countBytes);
            var storage = byKey[key];
            if (count != storage.Count)
            {
                throw new InvalidDataException($"storage {key} has {count} elements, the pickle says {storage.Count}");
            }

            if (!needed.Contains(key))
            {
                // Skipped unread (torchvision's classifier is 400 MB), but a truncated file is still caught.
                if (buffered.Seek(count * storage.ElementSize, SeekOrigin.Current) > file.Length)
                {
                    throw new EndOfStreamException("file ends inside a storage");
                }

                continue;
            }

            var bytes = new byte[count * storage.ElementSize];
            buffered.ReadExactly(bytes);
            storages[key] = bytes;
        }

        return refs.Where(r => wanted(r.Key)).ToDictionary(r => r.Key, r => r.Value.Materialize(storages[r.Value.Storage.Key]));
    }

    private static object? LoadPickle(Stream stream) =>
        new PickleReader(stream, (g, _) => throw new InvalidDataException($"unexpected object {g}"), _ => throw new InvalidDataException("unexpected storage")).Load();

    private static Dictionary<string, TensorRef> ReadStateDict(Stream stream)
    {
        var root = new PickleReader(stream, Reduce, PersistentLoad).Load();
        if (root is Dictionary<object, object?> outer && WrapperKeys.FirstOrDefault(outer.ContainsKey) is { } key)
        {
            // A training checkpoint: the weights under one key, beside the epoch, the optimiser and the like.
            root = outer[key];
        }

        return root switch
        {
            Dictionary<object, object?> dict => dict.Where(p => p.Value is TensorRef).ToDictionary(p => (string)p.Key, p => (TensorRef)p.Value!),
            PickledObject whole => throw new InvalidDataException($"it holds a whole pickled {whole.Type}, not a state dict; save the model's state_dict() instead"),
            _ => throw new InvalidDataException("it holds no state dict"),
        };
    }

    // Anything else is kept as an opaque object, never built: a checkpoint's other entries (an
    // argparse.Namespace of its settings, say) may name any class.
    private static object? Reduce(PickleGlobal global, object?[] args) => global.ToString() switch
    {
        "torch._utils._rebuild_tensor_v2" or "torch._utils._rebuild_tensor" => new TensorRef(
            (StorageRef)args[0]!, (long)args[1]!, ((object?[])args[2]!).Cast<long>().ToArray(), ((object?[])args[3]!).Cast<long>().ToArray()),
        "torch._utils._rebuild_parameter" => args[0],
        "collections.OrderedDict" => new Dictionary<object, object?>(),
        _ => new PickledObject(global),
    };

    private sealed record PickledObject(PickleGlobal Type);

    private static StorageRef PersistentLoad(object? id)
    {
        var tuple = (object?[])id!;
        var type = (PickleGlobal)tuple[1]!;
        var dtype = type.Name switch
        {
            "FloatStorage" => "F32",
            "DoubleStorage" => "F64",
            "HalfStorage" => "F16",
            "BFloat16Storage" => "BF16",
            _ => throw new InvalidDataException($"tensor storage of type {type.Name}; only floating-point weights are read"),
        };
        return new StorageRef(dtype, (string)tuple[2]!, (long)tuple[4]!);
    }

    private sealed record StorageRef(string DType, string Key, long Count)
    {
        public int ElementSize => ScalarDecoding.ElementSize(DType)!.Value;
    }

    private sealed record TensorRef(StorageRef Storage, long Offset, long[] Shape, long[] Stride)
    {
        public WeightTensor Materialize(byte[] storageBytes)
        {
            var all = ScalarDecoding.ToSingles(storageBytes, Storage.DType, storageBytes.Length / Storage.ElementSize);
            var count = Shape.Aggregate(1L, (a, b) => a * b);
            var values = new float[count];
            var index = new long[Shape.Length];
            for (long i = 0; i < count; i++)
            {
                var source = Offset;
                for (var d = 0; d < Shape.Length; d++)
                {
                    source += index[d] * Stride[d];
                }

                values[i] = all[source];
                for (var d = Shape.Length - 1; d >= 0 && ++index[d] == Shape[d]; d--)
                {
                    index[d] = 0;
                }
            }

            return new WeightTensor(Shape, values);
        }
    }
}
