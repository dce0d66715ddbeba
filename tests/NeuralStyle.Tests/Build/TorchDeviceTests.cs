using System.Diagnostics;
using System.Text.Json;

namespace NeuralStyle.Tests.Build;

// Evaluates the library's project without restoring it: the CUDA package is not served here, so
// what can be checked is which libtorch each setting asks for.
public sealed class TorchDeviceTests
{
    private static readonly string Library = Path.Combine(SharedData.RepositoryRoot, "src", "NeuralStyle", "NeuralStyle.csproj");

    [Theory]
    [InlineData("cpu", "libtorch-cpu-linux-x64")]
    [InlineData("cuda", "libtorch-cuda-12.8-linux-x64")]
    [InlineData("system", null)]
    public void GivenATorchDevice_WhenTheLibraryIsEvaluated_ThenItReferencesExactlyThatLibtorch(string device, string? expected)
    {
        var (exitCode, output) = MsBuild("-getItem:PackageReference", $"-p:TorchDevice={device}");

        Assert.Equal(0, exitCode);
        var libtorch = JsonDocument.Parse(output).RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
            .Select(item => item.GetProperty("Identity").GetString()!)
            .Where(name => name.StartsWith("libtorch", StringComparison.Ordinal));
        Assert.Equal(expected is null ? [] : [expected], libtorch);
    }

    [Fact]
    public void GivenAnUnknownTorchDevice_WhenTheLibraryIsRestored_ThenTheBuildStopsWithOneClearError()
    {
        var (exitCode, output) = MsBuild("-t:CollectPackageReferences", "-p:TorchDevice=rocm");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("TorchDevice must be cpu, cuda or system (got 'rocm')", output, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output) MsBuild(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "msbuild", Library, "-nologo" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
