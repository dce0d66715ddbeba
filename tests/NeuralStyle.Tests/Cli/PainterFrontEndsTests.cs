using NeuralStyle.Images;
using NeuralStyle.Tests.FastPainters;

namespace NeuralStyle.Tests.Cli;

/// <summary>A trained painter where paintings are given today: a batch of photos, a video.</summary>
public sealed class PainterFrontEndsTests(TinyPainter tiny) : IClassFixture<TinyPainter>
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

    [Fact]
    public void GivenAFolderOfFrames_WhenPaintedWithAPainter_ThenEveryFrameIsPaintedIntoTheFolderOut()
    {
        using var folder = new TempFolder();
        var frames = Directory.CreateDirectory(folder.File("frames")).FullName;
        for (var t = 1; t <= 3; t++)
        {
            var photo = ImageFile.Resize(TestImages.Photo, 72, 48);
            ImageFile.SaveAtomically(new RgbImage(64, 48, [.. Enumerable.Range(0, 48).SelectMany(y => photo.Pixels.Skip(((y * 72) + t) * 3).Take(64 * 3))]), Path.Combine(frames, $"f{t:000}.png"));
        }

        var (exitCode, errors) = CliProcess.Run(["video", frames, "--painter", tiny.File, "-o", folder.File("out"), "--size", "64"]);

        Assert.True(exitCode == 0, string.Join('\n', errors));
        Assert.Equal(["frame_0001.png", "frame_0002.png", "frame_0003.png"], Directory.GetFiles(folder.File("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.StartsWith($"neural-style: wrote {folder.File("out")} (3 frames, ", errors[^1], StringComparison.Ordinal);
    }
}
