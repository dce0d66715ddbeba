using System.Security.Cryptography;

namespace NeuralStyle.Tests.Cli.Models;

/// <summary><c>neural-style models download</c> and <c>list</c> as a user runs them, against a mirror on the loopback and a PyTorch cache of the test's own.</summary>
public sealed class ModelsCommandTests
{
    private static readonly byte[] Weights = File.ReadAllBytes(SharedData.TestWeights);
    private static readonly string Hash = Convert.ToHexStringLower(SHA256.HashData(Weights));

    [Fact]
    public async Task GivenAMirror_WhenVgg19IsDownloaded_ThenItLandsInThePyTorchCacheCheckedAndListIsNamesIt()
    {
        using var folder = new TempFolder();
        await using var server = await LoopbackFileServer.Start(Weights);

        var (exitCode, errors) = Run(folder, "download", "vgg19", "--url", $"{server.Address}/whole.pth", "--sha256", Hash);
        var list = CliProcess.Start(["models", "list"], Environment(folder));
        Assert.Equal(0, list.WaitForExit());

        Assert.True(exitCode == 0, string.Join('\n', errors));
        var landed = Path.Combine(folder.Path, "hub", "checkpoints", "vgg19-dcbb9e9d.pth");
        Assert.Equal(Weights, File.ReadAllBytes(landed));
        Assert.Equal(["vgg19-dcbb9e9d.pth"], Directory.GetFiles(Path.GetDirectoryName(landed)!).Select(Path.GetFileName));
        Assert.StartsWith($"neural-style: wrote {landed} (51.8 MB, SHA-256 checked)", errors[^1], StringComparison.Ordinal);
        Assert.Contains($"  {landed}: VGG-19 (Caffe layout, BGR input), conv1_1 … conv5_1, 52 MB", list.OutputLines);
        Assert.Contains($"Without --weights, VGG-19 comes from {landed}.", list.OutputLines);
    }

    [Fact]
    public async Task GivenAConnectionDroppedHalfway_WhenDownloading_ThenItResumesFromWhereItStoppedAndTheFileIsWhole()
    {
        using var folder = new TempFolder();
        await using var server = await LoopbackFileServer.Start(Weights);

        var (exitCode, errors) = Run(folder, "download", "vgg19", "--url", $"{server.Address}/dropping.pth", "--sha256", Hash);

        Assert.True(exitCode == 0, string.Join('\n', errors));
        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(folder.Path, "hub", "checkpoints", "vgg19-dcbb9e9d.pth")));
        Assert.Contains(errors, l => l.StartsWith("neural-style: the connection dropped at ", StringComparison.Ordinal) && l.EndsWith("; resuming", StringComparison.Ordinal));
        // The second request asks only for what the first did not bring (at most the half the server sent before breaking off).
        var requests = server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal("", requests[0].Range);
        var resumedAt = long.Parse(requests[1].Range["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(resumedAt, 1, Weights.Length / 2);
    }

    [Theory]
    [InlineData("whole.pth", "0000000000000000000000000000000000000000000000000000000000000000", "the file's SHA-256 is ")]
    [InlineData("missing.pth", null, "the server answered 404 Not Found")]
    [InlineData("whole.pth", null, "expected dcbb9e9d…; nothing was kept")]
    public async Task GivenAWrongChecksumOrAMissingFile_WhenDownloading_ThenOneLineSaysWhyAndNothingIsLeft(string path, string? sha256, string expected)
    {
        using var folder = new TempFolder();
        await using var server = await LoopbackFileServer.Start(Weights);
        string[] args = ["download", "vgg19", "--url", $"{server.Address}/{path}"];

        var (exitCode, errors) = Run(folder, sha256 is null ? args : [.. args, "--sha256", sha256]);

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, errors[^1], StringComparison.Ordinal);
        Assert.StartsWith("neural-style: ", errors[^1], StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(folder.Path, "hub", "checkpoints")));
    }

    [Fact]
    public void GivenFilesThatAreNotWeights_WhenListed_ThenEachSaysWhyItCannotBeUsed()
    {
        using var folder = new TempFolder();
        var notes = folder.File("notes.pth");
        File.WriteAllText(notes, "not weights");

        var list = CliProcess.Start(["models", "list", notes, SharedData.PartialCaffeWeights], Environment(folder));

        Assert.Equal(0, list.WaitForExit());
        Assert.Contains($"PyTorch cache: {Path.Combine(folder.Path, "hub", "checkpoints")} (not there)", list.OutputLines);
        Assert.Contains($"  {notes}: not usable: not a weight file (expected safetensors, a PyTorch .pth, a Caffe .caffemodel or an ONNX VGG)", list.OutputLines);
        Assert.Contains($"  {SharedData.PartialCaffeWeights}: VGG-19 (Caffe layout, BGR input), conv1_1 … conv3_4, 9 MB", list.OutputLines);
    }

    [Fact]
    public void GivenANetworkThatIsNotKnown_WhenDownloaded_ThenOneLineNamesTheKnownOnes()
    {
        using var folder = new TempFolder();

        var (exitCode, errors) = Run(folder, "download", "alexnet");

        Assert.Equal(1, exitCode);
        Assert.Equal("neural-style: models download alexnet: no such network (known: vgg19, vgg16; and opencv, for video's optical flow)", Assert.Single(errors));
    }

    private static Dictionary<string, string?> Environment(TempFolder folder) => new() { ["TORCH_HOME"] = folder.Path, ["XDG_CACHE_HOME"] = null };

    private static (int ExitCode, IReadOnlyList<string> Errors) Run(TempFolder folder, params string[] args) =>
        CliProcess.Run(args.Prepend("models"), Environment(folder));
}
