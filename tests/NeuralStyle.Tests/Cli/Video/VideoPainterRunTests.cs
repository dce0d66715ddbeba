using NeuralStyle.Images;
using NeuralStyle.Tests.FastPainters;

namespace NeuralStyle.Tests.Cli.Video;

[Collection(TinyPainterCollection.Name)]
public sealed class VideoPainterRunTests(TinyPainter tiny)
{
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
