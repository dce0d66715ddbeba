using System.IO.Compression;
using System.Security.Cryptography;
using System.Xml.Linq;
using NeuralStyle.Cli.Video;

namespace NeuralStyle.Tests.Cli.Video;

/// <summary>OpenCV's native library as <c>models download opencv</c> installs it for a tool package that leaves it out.</summary>
public sealed class OpenCvRuntimeTests
{
    private static string RestoredPackage(string id) =>
        Path.Combine(Build.DotnetCli.PackageRoot, id.ToLowerInvariant(), OpenCvRuntime.Version, $"{id.ToLowerInvariant()}.{OpenCvRuntime.Version}.nupkg");

    [Fact]
    public void GivenTheRuntimePackageThisBuildRestored_WhenItsVersionAndHashAreRead_ThenTheyAreTheOnesTheDownloadExpects()
    {
        var versions = XDocument.Load(Path.Combine(SharedData.RepositoryRoot, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => e.Attribute("Include")!.Value, e => e.Attribute("Version")!.Value);

        var (id, sha256) = OpenCvRuntime.Known["linux-x64"];

        Assert.Equal(OpenCvRuntime.Version, versions["OpenCvSharp4"]);
        Assert.Equal(OpenCvRuntime.Version, versions[id]);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(RestoredPackage(id)))));
    }

    [Fact]
    public void GivenTheRuntimePackage_WhenInstalled_ThenTheLibraryIsTheBytesThePackageHoldsAndNoPartIsLeft()
    {
        using var folder = new TempFolder();
        var package = RestoredPackage(OpenCvRuntime.Known["linux-x64"].Package);

        var library = OpenCvRuntime.Install(package, folder.Path);

        using var zip = ZipFile.OpenRead(package);
        using var expected = new MemoryStream();
        zip.GetEntry($"runtimes/linux-x64/native/{OpenCvRuntime.FileName}")!.Open().CopyTo(expected);
        Assert.Equal(Path.Combine(folder.Path, OpenCvRuntime.FileName), library);
        Assert.Equal(expected.ToArray(), File.ReadAllBytes(library));
        Assert.Equal([OpenCvRuntime.FileName], folder.Files());
    }

    [Fact]
    public void GivenAPackageWithoutThisPlatformsLibrary_WhenInstalled_ThenOneLineSaysWhatItHoldsAndNothingIsWritten()
    {
        using var folder = new TempFolder();
        var package = folder.File("other.nupkg");
        using (var zip = ZipFile.Open(package, ZipArchiveMode.Create))
        {
            zip.CreateEntry("runtimes/win-x64/native/OpenCvSharpExtern.dll");
        }

        var error = Assert.Throws<StyleTransferException>(() => OpenCvRuntime.Install(package, folder.File("cache")));

        Assert.Equal($"the package holds no runtimes/linux-x64/native/{OpenCvRuntime.FileName} (it holds runtimes/win-x64/native/OpenCvSharpExtern.dll)", error.Message);
        Assert.False(Directory.Exists(folder.File("cache")));
    }

    [Fact]
    public void GivenAFileThatIsNoLibrary_WhenLoaded_ThenOneLineNamesItAndTheLoadersReason()
    {
        using var folder = new TempFolder();
        var path = folder.File(OpenCvRuntime.FileName);
        File.WriteAllText(path, string.Concat(Enumerable.Repeat("not a library ", 20)));

        var (handle, error) = OpenCvRuntime.Load(path);

        Assert.Equal(IntPtr.Zero, handle);
        Assert.Equal($"OpenCV's native library {path} does not load: invalid ELF header", error);
    }

    [Fact]
    public void GivenTheLibraryOfThisBuild_WhenLoaded_ThenItLoads()
    {
        var (handle, error) = OpenCvRuntime.Load(OpenCvRuntime.Location()!);

        Assert.Null(error);
        Assert.NotEqual(IntPtr.Zero, handle);
    }
}
