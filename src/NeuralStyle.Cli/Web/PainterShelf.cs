using NeuralStyle.Jobs;
using NeuralStyle.FastPainters;

namespace NeuralStyle.Cli.Web;

/// <summary>
/// The trained painters the server offers: the <c>.onnx</c> files of its painters folder, each loaded
/// the first time it is asked for (again when its file changes) and lent to one request at a time.
/// </summary>
internal sealed class PainterShelf(ServeSettings settings) : IDisposable
{
    private readonly Dictionary<string, (DateTime Written, FastPainter Painter)> loaded = [];
    private readonly Lock gate = new();

    /// <summary>The painters' names (their files' names without .onnx), sorted.</summary>
    public IReadOnlyList<string> Names => Directory.Exists(settings.PaintersFolder)
        ? [.. Directory.EnumerateFiles(settings.PaintersFolder, "*.onnx").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!]
        : [];

    /// <summary>The file of the painter named <paramref name="name"/>; null when there is none.</summary>
    public string? FileOf(string name) => Names.Contains(name) ? Path.Combine(settings.PaintersFolder, name + ".onnx") : null;

    /// <summary>Puts the painter in <paramref name="file"/> on the shelf as <paramref name="name"/>, once it has loaded as a painter; false when that name is taken.</summary>
    /// <exception cref="StyleTransferException">The file is not a painter.</exception>
    public bool Add(string name, string file)
    {
        FastPainter.Load(file).Dispose();
        return PaintersFolder.Put(settings.PaintersFolder, name, file);
    }

    /// <summary>Runs <paramref name="use"/> with the painter named <paramref name="name"/>; false when there is none.</summary>
    /// <exception cref="StyleTransferException">Its file is not a painter.</exception>
    public bool Use(string name, Action<FastPainter> use)
    {
        if (!Names.Contains(name))
        {
            return false;
        }

        var file = Path.Combine(settings.PaintersFolder, name + ".onnx");
        lock (gate)
        {
            var written = File.GetLastWriteTimeUtc(file);
            if (!loaded.TryGetValue(name, out var entry) || entry.Written != written)
            {
                if (entry.Painter is not null)
                {
                    entry.Painter.Dispose();
                }

                entry = (written, FastPainter.Load(file));
                loaded[name] = entry;
            }

            use(entry.Painter);
            return true;
        }
    }

    public void Dispose()
    {
        foreach (var (_, painter) in loaded.Values)
        {
            painter.Dispose();
        }
    }
}
