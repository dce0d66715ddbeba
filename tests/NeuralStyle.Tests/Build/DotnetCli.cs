using System.Reflection;
using System.Text.RegularExpressions;

namespace NeuralStyle.Tests.Build;

/// <summary>The <c>dotnet</c> commands the package tests run as a user would, and what this build tells them.</summary>
internal static partial class DotnetCli
{
    /// <summary>The configuration the tests were built in, which the package tests pack without building again.</summary>
    public static string Configuration => Metadata("Configuration");

    /// <summary>Where this build's restore put the packages: a folder feed that holds every dependency, so that no network is asked.</summary>
    public static string PackageRoot => Metadata("NuGetPackageRoot");

    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>Runs a program to its end, failing the test with its last lines unless it exits with 0; its standard output.</summary>
    public static IReadOnlyList<string> Run(string directory, IReadOnlyDictionary<string, string?>? environment, string program, params string[] args)
    {
        var settings = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>())
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        using var process = new ChildProcess(program, args, settings, directory);
        var exitCode = process.WaitForExit();
        Assert.True(exitCode == 0, $"{program} {string.Join(' ', args)} in {directory} exited with {exitCode}:\n{string.Join('\n', process.OutputLines.TakeLast(40))}\n{string.Join('\n', process.ErrorLines)}");
        return process.OutputLines;
    }

    /// <summary>The natives each platform's program must carry, by file name: libtorch's, TorchSharp's and Skia's.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Natives = new Dictionary<string, string[]>
    {
        ["linux-x64"] = ["libtorch_cpu.so", "libc10.so", "libLibTorchSharp.so", "libSkiaSharp.so"],
        ["win-x64"] = ["torch_cpu.dll", "c10.dll", "LibTorchSharp.dll", "libSkiaSharp.dll"],
        ["osx-arm64"] = ["libtorch_cpu.dylib", "libc10.dylib", "libLibTorchSharp.dylib", "libSkiaSharp.dylib"],
    };

    /// <summary>Asserts that <paramref name="files"/> (names, any folder) hold <paramref name="platform"/>'s natives and the model files, and no other platform's natives.</summary>
    public static void AssertHoldsOnly(string platform, IReadOnlyCollection<string> files, string what)
    {
        var names = files.Select(Path.GetFileName).ToHashSet();
        foreach (var native in Natives[platform].Append("ResNet18.onnx").Append("ResNetPreprocess.onnx"))
        {
            Assert.True(names.Contains(native), $"{what} lacks {native}");
        }

        foreach (var (other, natives) in Natives.Where(n => n.Key != platform))
        {
            Assert.True(!natives.Any(names.Contains), $"{what} holds {other}'s {string.Join(", ", natives.Where(names.Contains))}");
        }

        var sharedObjects = names.Where(n => SharedObject().IsMatch(n!)).ToList();
        Assert.True(platform == "linux-x64" || sharedObjects.Count == 0, $"{what} holds Linux libraries: {string.Join(", ", sharedObjects)}");
        var dylibs = names.Where(n => n!.EndsWith(".dylib", StringComparison.Ordinal)).ToList();
        Assert.True(platform == "osx-arm64" || dylibs.Count == 0, $"{what} holds macOS libraries: {string.Join(", ", dylibs)}");
        Assert.Contains(files, f => f.Replace('\\', '/').EndsWith("models/resnet18/ResNet18.onnx", StringComparison.Ordinal));
    }

    private static string Metadata(string key) =>
        typeof(DotnetCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    [GeneratedRegex(@"\.so(\.[0-9]+)*$")]
    private static partial Regex SharedObject();
}
