using NeuralStyle.Images;
using static TorchSharp.torch;

namespace NeuralStyle.Video;

/// <summary>
/// A dense optical flow between two frames: for each pixel of the frame it belongs to, the offset
/// (u, v) in pixels to where that point lies in the other frame. Stored as the Middlebury <c>.flo</c>
/// format lays it out: u and v of each pixel, row by row.
/// </summary>
public sealed class FlowField
{
    // The Middlebury format's tag, "PIEH" read as a little-endian float.
    private const float Tag = 202021.25f;

    /// <summary>Wraps the vectors; <paramref name="vectors"/> must hold width × height × 2 values.</summary>
    public FlowField(int width, int height, float[] vectors)
    {
        if (width <= 0 || height <= 0 || vectors.Length != width * height * 2)
        {
            throw new ArgumentException($"a {width}×{height} flow needs {width * height * 2} values, got {vectors.Length}", nameof(vectors));
        }

        (Width, Height, Vectors) = (width, height, vectors);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>u, v of each pixel, row by row.</summary>
    public float[] Vectors { get; }

    /// <summary>u at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public float U(int x, int y) => Vectors[((y * Width) + x) * 2];

    /// <summary>v at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public float V(int x, int y) => Vectors[(((y * Width) + x) * 2) + 1];

    /// <summary>The flow as a tensor [1, H, W, 2] of (u, v) on <paramref name="device"/>.</summary>
    public Tensor ToTensor(Device device)
    {
        using var cpu = tensor(Vectors, [1, Height, Width, 2]);
        return cpu.to(device);
    }

    /// <summary>Reads a Middlebury <c>.flo</c> file.</summary>
    /// <exception cref="StyleTransferException">The file is missing, not a <c>.flo</c> file, or cut short.</exception>
    public static FlowField Read(string path)
    {
        var (width, height) = ReadSize(path);
        var bytes = File.ReadAllBytes(path);
        var vectors = new float[width * height * 2];
        Buffer.BlockCopy(bytes, 12, vectors, 0, vectors.Length * sizeof(float));
        return new FlowField(width, height, vectors);
    }

    /// <summary>The width and height of a Middlebury <c>.flo</c> file, checked against its length without reading its vectors.</summary>
    /// <exception cref="StyleTransferException">The file is missing, not a <c>.flo</c> file, or cut short.</exception>
    public static (int Width, int Height) ReadSize(string path)
    {
        var header = new byte[12];
        long length;
        try
        {
            using var file = File.OpenRead(path);
            length = file.Length;
            file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StyleTransferException($"{path}: cannot read the flow file ({e.Message})", e);
        }

        if (length < 12 || BitConverter.ToSingle(header, 0) != Tag)
        {
            throw new StyleTransferException($"{path}: not a Middlebury .flo file (it does not start with PIEH)");
        }

        var (width, height) = (BitConverter.ToInt32(header, 4), BitConverter.ToInt32(header, 8));
        if (width <= 0 || height <= 0 || width > 1 << 15 || height > 1 << 15)
        {
            throw new StyleTransferException($"{path}: a .flo file of {width}×{height} pixels cannot be right");
        }

        var expected = 12L + (8L * width * height);
        return length == expected ? (width, height) : throw new StyleTransferException($"{path}: a {width}×{height} flow takes {expected} bytes, the file has {length}");
    }

    /// <summary>Writes the flow as a Middlebury <c>.flo</c> file, through a temporary file renamed over <paramref name="path"/>.</summary>
    public void Write(string path)
    {
        var bytes = new byte[12 + (Vectors.Length * sizeof(float))];
        BitConverter.TryWriteBytes(bytes.AsSpan(0), Tag);
        BitConverter.TryWriteBytes(bytes.AsSpan(4), Width);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), Height);
        Buffer.BlockCopy(Vectors, 0, bytes, 12, Vectors.Length * sizeof(float));
        ImageFile.WriteAtomically(path, stream => stream.Write(bytes), "the flow");
    }
}
