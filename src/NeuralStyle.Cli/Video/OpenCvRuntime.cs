using System.IO.Compression;
using System.Reflection;
using System.Runtime.InteropServices;
using NeuralStyle.Networks.Weights;
using OpenCvSharp;

namespace NeuralStyle.Cli.Video;

/// <summary>
/// OpenCV's native library (OpenCvSharpExtern, 114 MB on Linux), which only video's optical flow
/// needs: a build from this repository has it beside the program, while the tool's packages leave it
/// out to stay small, and <c>models download opencv</c> fetches it once into the user's cache, where
/// it is loaded from when it is not beside the program.
/// </summary>
internal static class OpenCvRuntime
{
    /// <summary>The OpenCvSharp version the program was built against; its native library must be the same.</summary>
    public const string Version = "4.13.0.20260627";

    private const string LibraryName = "OpenCvSharpExtern";
    private static int resolverSet;

    // Loaded once by full path, beside the program first, so that the cache is the fallback whatever the default search finds.
    private static readonly Lazy<(IntPtr Handle, string? Error)> Library = new(() => Load(Location()!));

    /// <summary>The runtime package of each platform that publishes one at <see cref="Version"/>, with its whole SHA-256.</summary>
    public static IReadOnlyDictionary<string, (string Package, string Sha256)> Known { get; } = new Dictionary<string, (string, string)>
    {
        ["linux-x64"] = ("OpenCvSharp4.official.runtime.linux-x64", "104f693ca950e4e0dd31aeffbdfb1ec53ed3c9b19b329a7e6c79070d130168cf"),
    };

    /// <summary>This machine's platform as NuGet's portable runtime identifiers name it (linux-x64, win-x64, osx-arm64, …), whatever distribution built .NET.</summary>
    public static string Platform =>
        (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();

    /// <summary>The file name of the native library on this platform.</summary>
    public static string FileName =>
        OperatingSystem.IsWindows() ? LibraryName + ".dll" : OperatingSystem.IsMacOS() ? $"lib{LibraryName}.dylib" : $"lib{LibraryName}.so";

    /// <summary>Where the fetched library lives: <c>$XDG_CACHE_HOME/neural-style/opencv/VERSION/PLATFORM</c>, else under <c>~/.cache</c>.</summary>
    public static string CacheFolder() => Path.Combine(WeightsLocator.UserCacheFolder(), "neural-style", "opencv", Version, Platform);

    /// <summary>Where the library is found: beside the program, in the cache, or null when in neither.</summary>
    public static string? Location()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, FileName);
        var cached = Path.Combine(CacheFolder(), FileName);
        return File.Exists(beside) ? beside : File.Exists(cached) ? cached : null;
    }

    /// <summary>Makes OpenCvSharp load the library from the cache when it is not beside the program.</summary>
    /// <exception cref="StyleTransferException">Neither has it; the message says how to fetch it.</exception>
    public static void Require()
    {
        if (Location() is null)
        {
            throw new StyleTransferException(
                $"computing optical flow needs OpenCV's native library, which the tool fetches once: neural-style models download opencv (or give --flow FOLDER of .flo files)");
        }

        if (Library.Value.Error is { } error)
        {
            throw new StyleTransferException(error);
        }

        if (Interlocked.Exchange(ref resolverSet, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(Cv2).Assembly, Resolve);
        }
    }

    /// <summary>Loads the library at <paramref name="path"/>: its handle, or why it does not load, in one line.</summary>
    internal static (IntPtr Handle, string? Error) Load(string path)
    {
        try
        {
            return (NativeLibrary.Load(path), null);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            // The loader's own reason (a missing dependency, a file that is no library) is its message's last line.
            var reason = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
            reason = reason.StartsWith(path + ": ", StringComparison.Ordinal) ? reason[(path.Length + 2)..] : reason;
            var gtk = reason.Contains("libgtk-3", StringComparison.Ordinal) || reason.Contains("libgdk-3", StringComparison.Ordinal)
                ? " (on Debian and Ubuntu: sudo apt-get install libgtk-3-0)"
                : string.Empty;
            return (IntPtr.Zero, $"OpenCV's native library {path} does not load: {reason}{gtk}");
        }
    }

    /// <summary>Takes the library for this platform out of a runtime package (.nupkg) into <paramref name="folder"/> (the cache), whole or not at all.</summary>
    /// <exception cref="StyleTransferException">The package holds no library for this platform.</exception>
    public static string Install(string package, string folder)
    {
        var entryName = $"runtimes/{Platform}/native/{FileName}";
        using var zip = ZipFile.OpenRead(package);
        var entry = zip.GetEntry(entryName)
            ?? throw new StyleTransferException($"the package holds no {entryName} (it holds {string.Join(", ", zip.Entries.Where(e => e.FullName.StartsWith("runtimes/", StringComparison.Ordinal)).Select(e => e.FullName).DefaultIfEmpty("no runtimes"))})");
        Directory.CreateDirectory(folder);
        var destination = Path.Combine(folder, FileName);
        var partial = destination + ".partial";
        entry.ExtractToFile(partial, overwrite: true);
        File.Move(partial, destination, overwrite: true);
        return destination;
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == LibraryName ? Library.Value.Handle : IntPtr.Zero;
}
