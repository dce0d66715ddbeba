namespace NeuralStyle.Tests;

/// <summary>A fresh folder for one test, deleted with everything in it afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "neural-style-tests", Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The names of the files in the folder, hidden ones included.</summary>
    public string[] Files() => Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).ToArray()!;

    /// <summary>Writes the first <paramref name="fraction"/> of <paramref name="source"/>'s bytes as <paramref name="name"/>: a file cut short.</summary>
    public string TruncatedCopy(string source, string name, double fraction = 0.5)
    {
        var bytes = System.IO.File.ReadAllBytes(source);
        var path = File(name);
        System.IO.File.WriteAllBytes(path, bytes[..(int)(bytes.Length * fraction)]);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
