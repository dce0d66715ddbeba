using NeuralStyle.Images;
using NeuralStyle.Tests.FastPainters;

namespace NeuralStyle.Tests.Cli.Batch;

[Collection(TinyPainterCollection.Name)]
public sealed class BatchPainterRunTests(TinyPainter tiny)
{
    [Fact]
    public void GivenAFolderOfPhotos_WhenBatchedWithAPainterTwice_ThenEachIsPaintedOnceAtItsSizeAndTheSecondRunSkipsThem()
    {
        using var folder = new TempFolder();
        var photos = TinyPainter.PhotoFolder(folder.Path, "photos");
        string[] args = ["batch", photos, "--painter", tiny.File, "-o", folder.File("out"), "--size", "80"];

        var (exitCode, errors) = CliProcess.Run(args);
        var (againExit, again) = CliProcess.Run(args);

        Assert.True(exitCode == 0, string.Join('\n', errors));
        Assert.Equal(["chelsea.png", "golden_gate.png", "hubble_deep_field.png", "tubingen.png"], Directory.GetFiles(folder.File("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(Directory.GetFiles(folder.File("out")), f => Assert.Equal(80, Math.Max(ImageFile.Load(f).Width, ImageFile.Load(f).Height)));
        Assert.StartsWith("neural-style: batch: 4 painted, 0 skipped, 0 failed of 4; ", errors[^1], StringComparison.Ordinal);
        Assert.Equal(0, againExit);
        Assert.StartsWith("neural-style: batch: 0 painted, 4 skipped, 0 failed of 4; ", again[^1], StringComparison.Ordinal);
    }
}
