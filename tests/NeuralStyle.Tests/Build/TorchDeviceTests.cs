using System.Text.Json;

namespace NeuralStyle.Tests.Build;

// Evaluates the library's project without restoring it: the CUDA package is not served here, so
// what can be checked is which libtorch each setting asks for (the CPU one for each platform the
// package supports).
public sealed class TorchDeviceTests
{
    [Theory]
    [InlineData("cpu", "libtorch-cpu-linux-x64,libtorch-cpu-osx-arm64,libtorch-cpu-win-x64")]
    [InlineData("cuda", "libtorch-cuda-12.8-linux-x64")]
    [InlineData("system", null)]
    public void GivenATorchDevice_WhenTheLibraryIsEvaluated_ThenItReferencesExactlyThatLibtorch(string device, string? expected)
    {
        var (exitCode, output, error) = MsBuild.OnLibrary("-getItem:PackageReference", $"-p:TorchDevice={device}");

        Assert.True(exitCode == 0, output + error);
        var libtorch = JsonDocument.Parse(output).RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
            .Select(item => item.GetProperty("Identity").GetString()!)
            .Where(name => name.StartsWith("libtorch", StringComparison.Ordinal));
        Assert.Equal(expected?.Split(',') ?? [], libtorch.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void GivenAnUnknownTorchDevice_WhenTheLibraryIsRestored_ThenTheBuildStopsWithOneClearError()
    {
        var (exitCode, output, error) = MsBuild.OnLibrary("-t:CollectPackageReferences", "-p:TorchDevice=rocm");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("TorchDevice must be cpu, cuda or system (got 'rocm')", output + error, StringComparison.Ordinal);
    }
}
