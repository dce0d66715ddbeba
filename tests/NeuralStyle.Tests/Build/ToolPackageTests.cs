using System.IO.Compression;
using NeuralStyle.Cli.Video;
using NeuralStyle.Images;
using NeuralStyle.Tests.Cli.Models;

namespace NeuralStyle.Tests.Build;

/// <summary>
/// The tool's packages as users get them: this project built here for Windows and macOS too and packed
/// into a folder feed (one package per platform, and the package that names them), each holding its
/// platform's natives only; installed from the feed with the README's command, it takes the Linux
/// package, paints, and fetches OpenCV's library for video when told to (from a mirror on the loopback).
/// </summary>
public sealed class ToolPackageTests
{
    /// <summary>The README's install command, FEED and TOOLS standing for the folders it names.</summary>
    internal static readonly string[] Install = ["dotnet", "tool", "install", "neural-style", "--tool-path", "TOOLS", "--add-source", "FEED"];

    // The Linux tool package as of the live camera: the fast painters brought ONNX Runtime's native
    // library (5 MB; it was 195 MB before them), and the page's onnxruntime-web 7 MB (its WebAssembly,
    // compressed); what a Linux user downloads must not grow past it.
    private const long TodaysLinuxPackageBytes = 208_000_000;

    private const string NoOpenCv = "neural-style: computing optical flow needs OpenCV's native library, which the tool fetches once: neural-style models download opencv (or give --flow FOLDER of .flo files)";

    [Fact]
    public async Task GivenTheToolPackedForEachPlatform_WhenInstalledHere_ThenItTakesOnlyTheLinuxPackageWhichPaintsAndFetchesOpenCvForVideo()
    {
        using var folder = new TempFolder();
        var feed = folder.File("feed");
        PackForEachPlatform(feed);

        foreach (var platform in DotnetCli.Natives.Keys)
        {
            using var zip = ZipFile.OpenRead(Path.Combine(feed, $"neural-style.{platform}.0.1.0.nupkg"));
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            DotnetCli.AssertHoldsOnly(platform, entries, $"neural-style.{platform}");
            using var nuspec = new StreamReader(zip.GetEntry($"neural-style.{platform}.nuspec")!.Open());
            var text = nuspec.ReadToEnd();
            Assert.Contains($"<id>neural-style.{platform}</id>", text);
            Assert.Contains("<packageType name=\"DotnetToolRidPackage\" />", text);
            Assert.Contains(entries, e => e.EndsWith("wwwroot/ort/ort-wasm-simd-threaded.jsep.wasm", StringComparison.Ordinal));
            Assert.DoesNotContain(entries, e => e.Contains("OpenCvSharpExtern", StringComparison.Ordinal) || e.Contains("torch_python", StringComparison.Ordinal) || e.EndsWith("libSkiaSharp.pdb", StringComparison.Ordinal));
        }

        Assert.InRange(new FileInfo(Path.Combine(feed, "neural-style.linux-x64.0.1.0.nupkg")).Length, 1, TodaysLinuxPackageBytes);

        var user = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = folder.File("packages"), ["XDG_CACHE_HOME"] = folder.File("cache") };
        var tools = folder.File("tools");
        File.WriteAllText(folder.File("nuget.config"), "<configuration><packageSources><clear /></packageSources></configuration>");
        DotnetCli.Run(folder.Path, user, DotnetCli.Dotnet, [.. Install[1..].Select(a => a.Replace("FEED", feed).Replace("TOOLS", tools))]);

        Assert.Equal(["neural-style", "neural-style.linux-x64"], Directory.GetDirectories(Path.Combine(tools, ".store", "neural-style", "0.1.0")).Select(Path.GetFileName).Order());
        var tool = Path.Combine(tools, "neural-style");
        var (photo, painting) = (SharedData.Sample("chelsea.png"), SharedData.Sample("ihc.png"));
        DotnetCli.Run(folder.Path, user, tool, photo, painting, "-o", "tool.png", "--size", "64", "--iterations", "5");
        var painted = ImageFile.Load(folder.File("tool.png"));
        Assert.Equal((64, 43), (painted.Width, painted.Height));

        await AssertVideoAsksForOpenCvThenPaintsOnceItIsFetched(folder, tool, ImageFile.Load(photo), painting, user);
    }

    private static void PackForEachPlatform(string feed)
    {
        // This project alone (the library's build and the restore for every platform are this build's), then packed as the README packs it, without building again.
        const string Project = "src/NeuralStyle.Cli/NeuralStyle.Cli.csproj";
        foreach (var platform in new[] { "win-x64", "osx-arm64" })
        {
            DotnetCli.Run(SharedData.RepositoryRoot, null, DotnetCli.Dotnet, "build", Project, "-c", DotnetCli.Configuration, "-r", platform, "--no-dependencies", "--no-restore");
        }

        DotnetCli.Run(SharedData.RepositoryRoot, null, DotnetCli.Dotnet, "pack", Project, "-c", DotnetCli.Configuration, "--no-build", "-o", feed);
        using var pointer = ZipFile.OpenRead(Path.Combine(feed, "neural-style.0.1.0.nupkg"));
        using var settings = new StreamReader(pointer.GetEntry("tools/any/any/DotnetToolSettings.xml")!.Open());
        var text = settings.ReadToEnd();
        foreach (var platform in DotnetCli.Natives.Keys)
        {
            Assert.Contains($"<RuntimeIdentifierPackage RuntimeIdentifier=\"{platform}\" Id=\"neural-style.{platform}\" />", text);
        }

        Assert.DoesNotContain(pointer.Entries, e => e.FullName.EndsWith(".dll", StringComparison.Ordinal));
        using var nuspec = new StreamReader(pointer.GetEntry("neural-style.nuspec")!.Open());
        Assert.Contains("<packageType name=\"DotnetTool\" />", nuspec.ReadToEnd());
    }

    private static async Task AssertVideoAsksForOpenCvThenPaintsOnceItIsFetched(TempFolder folder, string tool, RgbImage photo, string painting, IReadOnlyDictionary<string, string?> user)
    {
        var frames = folder.File("frames");
        Directory.CreateDirectory(frames);
        var frame = ImageFile.Resize(photo, 48, 32);
        ImageFile.SaveAtomically(frame, Path.Combine(frames, "frame_0001.png"));
        ImageFile.SaveAtomically(frame, Path.Combine(frames, "frame_0002.png"));
        string[] video = ["video", frames, painting, "-o", folder.File("out"), "--size", "48", "--iterations", "2", "--frame-iterations", "1"];
        using (var refused = new ChildProcess(tool, video, user, folder.Path))
        {
            Assert.Equal(1, refused.WaitForExit());
            Assert.Equal([NoOpenCv], refused.ErrorLines);
        }

        Assert.False(Directory.Exists(folder.File("out")));
        var runtime = Path.Combine(DotnetCli.PackageRoot, "opencvsharp4.official.runtime.linux-x64", OpenCvRuntime.Version, $"opencvsharp4.official.runtime.linux-x64.{OpenCvRuntime.Version}.nupkg");
        await using var mirror = await LoopbackFileServer.Start(File.ReadAllBytes(runtime));

        DotnetCli.Run(folder.Path, user, tool, "models", "download", "opencv", "--url", $"{mirror.Address}/whole.pth");
        DotnetCli.Run(folder.Path, user, tool, video);

        Assert.True(File.Exists(Path.Combine(folder.File("cache"), "neural-style", "opencv", OpenCvRuntime.Version, "linux-x64", "libOpenCvSharpExtern.so")));
        Assert.Equal(["frame_0001.png", "frame_0002.png"], Directory.GetFiles(folder.File("out")).Select(Path.GetFileName).Order());
    }
}
