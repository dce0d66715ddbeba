namespace NeuralStyle.Jobs;

/// <summary>The painters folder that the server offers: a painter is put in whole and never replaced.</summary>
public static class PaintersFolder
{
    /// <summary>
    /// Copies <paramref name="file"/> into <paramref name="folder"/> as NAME.onnx: beside its place
    /// under a name the folder's listing (<c>*.onnx</c>) leaves out, then moved in without replacing,
    /// so that no one sees half a painter; false when a painter of that name is there.
    /// </summary>
    public static bool Put(string folder, string name, string file)
    {
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, name + ".onnx");
        var temporary = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}");
        File.Copy(file, temporary);
        try
        {
            File.Move(temporary, target, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            File.Delete(temporary);
            return false;
        }
    }
}
