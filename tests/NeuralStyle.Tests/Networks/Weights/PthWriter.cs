using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace NeuralStyle.Tests.Networks.Weights;

/// <summary>
/// Writes <c>torch.save</c>'s zip format with a pickle built opcode by opcode (protocol 2, as
/// torch.save writes it), for what the shared files do not hold: training checkpoints that wrap
/// their state dict, and whole pickled models.
/// </summary>
internal sealed class PthWriter
{
    private readonly MemoryStream pickle = new();
    private readonly List<float[]> storages = [];

    public PthWriter() => Op(0x80, 2);

    /// <summary>A dict of the entries each <paramref name="entries"/> item writes after its key.</summary>
    public PthWriter Dict(params (string Key, Action<PthWriter> Value)[] entries)
    {
        Op((byte)'}');
        Op((byte)'(');
        foreach (var (key, value) in entries)
        {
            String(key);
            value(this);
        }

        return Op((byte)'u');
    }

    /// <summary>A float32 tensor of <paramref name="values"/> shaped [count] in a storage of its own.</summary>
    public PthWriter Tensor(float[] values)
    {
        var key = storages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        storages.Add(values);
        Global("torch._utils", "_rebuild_tensor_v2");
        Op((byte)'(');
        Op((byte)'(');
        String("storage");
        Global("torch", "FloatStorage");
        String(key);
        String("cpu");
        Int(values.Length);
        Op((byte)'t');
        Op((byte)'Q');
        Int(0);
        Op((byte)'(').Int(values.Length).Op((byte)'t');
        Op((byte)'(').Int(1).Op((byte)'t');
        Op(0x89);
        Global("collections", "OrderedDict");
        Op((byte)')').Op((byte)'R');
        Op((byte)'t');
        return Op((byte)'R');
    }

    /// <summary>An instance of a Python class made as pickle makes one (no arguments, then its state set), as torch.save(model) writes a module.</summary>
    public PthWriter Object(string module, string name, Action<PthWriter> state)
    {
        Global(module, name);
        Op((byte)')').Op(0x81);
        state(this);
        return Op((byte)'b');
    }

    public PthWriter Int(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return Op((byte)'J').Raw(bytes);
    }

    public PthWriter String(string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
        return Op((byte)'X').Raw(length).Raw(utf8);
    }

    /// <summary>Ends the pickle and writes the archive.</summary>
    public void Save(string path)
    {
        Op((byte)'.');
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        Entry(zip, "archive/data.pkl", pickle.ToArray());
        for (var i = 0; i < storages.Count; i++)
        {
            Entry(zip, $"archive/data/{i}", storages[i].SelectMany(BitConverter.GetBytes).ToArray());
        }
    }

    private static void Entry(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(bytes);
    }

    private PthWriter Global(string module, string name) => Op((byte)'c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

    private PthWriter Op(params byte[] bytes) => Raw(bytes);

    private PthWriter Raw(byte[] bytes)
    {
        pickle.Write(bytes);
        return this;
    }
}
