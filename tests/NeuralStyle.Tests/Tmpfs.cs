using System.Diagnostics;

namespace NeuralStyle.Tests;

/// <summary>
/// A small tmpfs mounted on a folder for as long as it lives: a disk that fills. Mounting needs root,
/// or sudo without a password (as the README's test script has); the test says so when neither is there.
/// </summary>
internal sealed class Tmpfs : IDisposable
{
    public Tmpfs(string folder, long bytes)
    {
        Folder = folder;
        Directory.CreateDirectory(folder);
        Run("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", folder);
    }

    public string Folder { get; }

    /// <summary>Fills what is left of the disk with one file, and returns its path.</summary>
    public string Fill()
    {
        var filler = Path.Combine(Folder, "filler");
        using var file = File.Create(filler);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                file.Write(block);
                file.Flush();
            }
        }
        catch (IOException)
        {
            // Full.
        }

        return filler;
    }

    public void Dispose() => Run("umount", "-l", Folder);

    private static void Run(string command, params string[] args)
    {
        var root = Environment.UserName == "root";
        var start = new ProcessStartInfo(root ? command : "sudo") { RedirectStandardError = true };
        foreach (var arg in root ? args : ["-n", command, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', args)} needs root or sudo without a password: {error.Trim()}");
    }
}
