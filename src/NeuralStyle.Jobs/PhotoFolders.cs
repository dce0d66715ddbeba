using NeuralStyle.FastPainters;

namespace NeuralStyle.Jobs;

/// <summary>
/// The photos a training job may learn from: <c>DATA/photos</c> and its folders, named by the server.
/// A job names one of them, never a path, so no client reads another file of the server's.
/// </summary>
public static class PhotoFolders
{
    /// <summary>The photos' folder under a data folder.</summary>
    public static string Root(string dataFolder) => Path.Combine(dataFolder, "photos");

    /// <summary>The folders a job may name, each with its count of photos: "" (all of them) first, then each folder's own name.</summary>
    public static IReadOnlyList<(string Name, int Photos)> List(string dataFolder)
    {
        var root = Root(dataFolder);
        if (!Directory.Exists(root))
        {
            return [];
        }

        return [.. new[] { "" }.Concat(Directory.EnumerateDirectories(root).Select(Path.GetFileName).Order(StringComparer.Ordinal)!)
            .Select(name => (name!, Count(Path.Combine(root, name!))))
            .Where(f => f.Item2 > 0)];
    }

    /// <summary>The folder a job's <paramref name="name"/> stands for.</summary>
    /// <exception cref="StyleTransferException">It names no folder of the server's photos.</exception>
    public static string Resolve(string dataFolder, string name)
    {
        // The name of a folder right under the photos' (or "" for them all) that holds photos, as List gives them.
        var folder = Path.Combine(Root(dataFolder), name);
        var listed = (name.Length == 0 || (Path.GetFileName(name) == name && name is not ("." or ".."))) && Directory.Exists(folder) && Count(folder) > 0;
        return listed
            ? folder
            : throw new StyleTransferException($"photos: '{name}' is not one of this server's photo folders (GET /api/training-photos lists them)");
    }

    private static int Count(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count(TrainingPhotos.IsPhoto);
}
