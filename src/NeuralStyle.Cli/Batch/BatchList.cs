using System.Text.Json;

namespace NeuralStyle.Cli.Batch;

/// <summary>One picture of a batch: the photo, its paintings, where its result goes, and its options.</summary>
/// <param name="Photo">The photo's path.</param>
/// <param name="Paintings">The paintings' paths.</param>
/// <param name="Output">The result's path.</param>
/// <param name="Options">Its options: a manifest line's settings, with the command line's options in their place.</param>
internal sealed record BatchItem(string Photo, IReadOnlyList<string> Paintings, string Output, StyleTransferOptions Options);

/// <summary>
/// The pictures of a batch, in order: every picture in a folder (sorted by name), or the jobs of a
/// JSON Lines manifest (one a line, in the manifest's order), each result named after its photo.
/// </summary>
internal static class BatchList
{
    private static readonly string[] PictureExtensions = [".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"];

    /// <summary>The items of <paramref name="input"/>, a folder or a manifest (.jsonl).</summary>
    /// <param name="input">A folder of pictures, or a manifest whose relative paths are from its own folder.</param>
    /// <param name="paintings">The command line's paintings: every folder item's, and a manifest line's when it names none.</param>
    /// <param name="outputFolder">Where the results go: each as its photo's name with .png, or a manifest line's <c>output</c> (relative to this folder).</param>
    /// <param name="bind">The options for a manifest line's settings (null: none), the command line's options in their place.</param>
    /// <exception cref="StyleTransferException">The input is neither, a manifest line is malformed (named by its number), a line has no paintings, or two results would have the same name.</exception>
    public static IReadOnlyList<BatchItem> Read(string input, IReadOnlyList<string> paintings, string outputFolder, Func<StyleTransferOptions?, StyleTransferOptions> bind)
    {
        var items = Directory.Exists(input) ? FromFolder(input, paintings, outputFolder, bind(null))
            : File.Exists(input) ? FromManifest(input, paintings, outputFolder, bind)
            : throw new StyleTransferException($"{input}: no such folder or manifest");
        var clash = items.GroupBy(i => Path.GetFullPath(i.Output)).FirstOrDefault(g => g.Count() > 1);
        return clash is null
            ? items
            : throw new StyleTransferException($"{string.Join(" and ", clash.Select(i => i.Photo))} would both be written as {clash.Key}; give one an output of its own in a manifest");
    }

    private static List<BatchItem> FromFolder(string folder, IReadOnlyList<string> paintings, string outputFolder, StyleTransferOptions options)
    {
        if (paintings.Count == 0)
        {
            throw new StyleTransferException("batch: a folder of photos needs at least one painting");
        }

        return [.. PicturesIn(folder).Select(photo => new BatchItem(photo, paintings, ResultPath(outputFolder, photo), options))];
    }

    /// <summary>The pictures in <paramref name="folder"/> (by extension), sorted by name.</summary>
    public static IEnumerable<string> PicturesIn(string folder) => Directory.EnumerateFiles(folder)
        .Where(f => PictureExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
        .Order(StringComparer.Ordinal);

    private static List<BatchItem> FromManifest(string manifest, IReadOnlyList<string> paintings, string outputFolder, Func<StyleTransferOptions?, StyleTransferOptions> bind)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(manifest))!;
        var items = new List<BatchItem>();
        var number = 0;
        foreach (var line in File.ReadLines(manifest))
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                items.Add(Item(line, $"{manifest}:{number}", folder, paintings, outputFolder, bind));
            }
        }

        return items;
    }

    // One manifest line: {"photo": …, "paintings": […], "output": …, "settings": {…}}, the last three optional.
    private static BatchItem Item(string line, string where, string folder, IReadOnlyList<string> paintings, string outputFolder, Func<StyleTransferOptions?, StyleTransferOptions> bind)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var photo = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("photo", out var p) && p.ValueKind == JsonValueKind.String
                ? Path.Combine(folder, p.GetString()!)
                : throw new StyleTransferException("needs \"photo\": a path");
            var own = root.TryGetProperty("paintings", out var list)
                ? list.ValueKind == JsonValueKind.Array && list.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
                    ? [.. list.EnumerateArray().Select(e => Path.Combine(folder, e.GetString()!))]
                    : throw new StyleTransferException("\"paintings\" must be a list of paths")
                : paintings;
            if (own.Count == 0)
            {
                throw new StyleTransferException("names no painting, and none was given on the command line");
            }

            var output = root.TryGetProperty("output", out var o)
                ? o.ValueKind == JsonValueKind.String ? Path.Combine(outputFolder, o.GetString()!) : throw new StyleTransferException("\"output\" must be a path")
                : ResultPath(outputFolder, photo);
            var settings = root.TryGetProperty("settings", out var s) ? StyleTransferSettings.FromJson(s.GetRawText()) : null;
            return new BatchItem(photo, own, output, bind(settings));
        }
        catch (Exception e) when (e is JsonException or StyleTransferException)
        {
            throw new StyleTransferException($"{where}: {(e is JsonException ? "not a JSON object" : e.Message)}", e);
        }
    }

    /// <summary>Where the picture of <paramref name="photo"/> goes in <paramref name="outputFolder"/>: its name, as .png.</summary>
    public static string ResultPath(string outputFolder, string photo) =>
        Path.Combine(outputFolder, Path.GetFileNameWithoutExtension(photo) + ".png");
}
