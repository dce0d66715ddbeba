using System.Globalization;
using NeuralStyle.Images;
using NeuralStyle.Tests.FastPainters;
using NeuralStyle.Tests.Video;

namespace NeuralStyle.Tests.Cli.Video;

[Collection(TinyPainterCollection.Name)]
public sealed class VideoPainterRunTests(TinyPainter tiny)
{
    private static void Ffmpeg(params string[] args)
    {
        using var ffmpeg = new ChildProcess("ffmpeg", ["-v", "error", "-nostdin", "-y", .. args]);
        Assert.True(ffmpeg.WaitForExit() == 0, string.Join('\n', ffmpeg.ErrorLines));
    }

    private static string Ffprobe(string stream, string entry, string video)
    {
        using var probe = new ChildProcess("ffprobe", ["-v", "error", "-count_frames", "-select_streams", stream, "-show_entries", $"stream={entry}", "-of", "csv=p=0", video]);
        Assert.Equal(0, probe.WaitForExit());
        return string.Join('\n', probe.OutputLines).Trim();
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

        Assert.True(exitCode == 0, $"exit {exitCode}: " + string.Join('\n', errors));
        Assert.Equal(["frame_0001.png", "frame_0002.png", "frame_0003.png"], Directory.GetFiles(folder.File("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["frames", "out"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.StartsWith($"neural-style: wrote {folder.File("out")} (3 frames, 64×48; ", errors[^2], StringComparison.Ordinal);
        Assert.Matches(@"^neural-style: warping error \d\.\d{5}, the clip's own \d\.\d{5}; where the clip's frames agree \d\.\d{5}, the clip's own \d\.\d{5} \(over 2 pairs of consecutive frames spread through the clip\)$", errors[^1]);
    }

    [Fact]
    public void GivenAnMp4WithSound_WhenPaintedWithAPainter_ThenItStreamsToAnMp4WithItsFramesRateAndSoundAndNoFramesOnDisk()
    {
        using var folder = new TempFolder();
        var input = folder.File("in.mp4");
        Ffmpeg("-f", "lavfi", "-i", "testsrc=size=96x72:rate=12", "-f", "lavfi", "-i", "sine=frequency=440", "-t", "0.5", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", input);

        var (exitCode, errors) = CliProcess.Run(["video", input, "--painter", tiny.File, "-o", folder.File("out.mp4"), "--size", "64"]);

        Assert.True(exitCode == 0, $"exit {exitCode}: " + string.Join('\n', errors));
        Assert.Equal("6", Ffprobe("v:0", "nb_read_frames", folder.File("out.mp4")));
        Assert.Equal("64,48,12/1", Ffprobe("v:0", "width,height,r_frame_rate", folder.File("out.mp4")));
        Assert.Equal("audio", Ffprobe("a", "codec_type", folder.File("out.mp4")));
        Assert.Equal(["in.mp4", "out.mp4"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Matches(@"^neural-style: wrote .*out\.mp4 \(6 frames, 64×48; \d+\.\d frames a second, decoding and encoding included\)$", errors[^2]);
    }

    [Fact]
    public void GivenALongClip_WhenStoppedWithCtrlC_ThenNoOutputAndNoHiddenFileIsLeft()
    {
        using var folder = new TempFolder();
        var input = folder.File("long.mp4");
        Ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "400", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", input);
        using var cli = CliProcess.Start(["video", input, "--painter", tiny.File, "-o", folder.File("out.mp4"), "--size", "160"]);
        cli.WaitForErrorLine(l => l.StartsWith("neural-style: video: 10000 frames at 160×120", StringComparison.Ordinal), "the clip's line");

        cli.Signal("INT");
        var exitCode = cli.WaitForExit();

        Assert.Equal(130, exitCode);
        Assert.Matches(@"^neural-style: stopped after \d+ frames; .*out\.mp4 was not written$", cli.ErrorLines[^1]);
        Assert.Equal(["long.mp4"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void GivenAClipWithKnownMotion_WhenPaintedWithFlowBlend_ThenItsWarpingErrorIsBelowThePainterAlone()
    {
        using var folder = new TempFolder();
        var frames = Directory.CreateDirectory(folder.File("frames")).FullName;
        var clip = new MovingClip(96, 72);
        for (var t = 0; t < 4; t++)
        {
            ImageFile.SaveAtomically(clip.Frame(t), Path.Combine(frames, $"f{t + 1:000}.png"));
        }

        double WarpingError(params string[] extra)
        {
            var (exitCode, errors) = CliProcess.Run(["video", frames, "--painter", tiny.File, "-o", folder.File($"out{extra.Length}"), "--size", "96", .. extra]);
            Assert.True(exitCode == 0, string.Join('\n', errors));
            return double.Parse(System.Text.RegularExpressions.Regex.Match(errors[^1], @"warping error (\d\.\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        }

        var alone = WarpingError();
        var blended = WarpingError("--flow-blend", "1");

        Assert.True(blended < 0.5 * alone, $"warping error {blended} blended, {alone} alone");
    }

    [Theory]
    [InlineData("--flow-blend 0.5 --painting", "video: --flow-blend mixes a painter's frames: give --painter NAME.onnx (the paintings' video holds each frame to the ones before already)")]
    [InlineData("--flow-blend 2", "--flow-blend 2: takes a share from 0 to 1")]
    public void GivenAFlowBlendItCannotApply_WhenRun_ThenOneLineSaysWhyAndNothingIsWritten(string options, string message)
    {
        using var folder = new TempFolder();
        var frames = Directory.CreateDirectory(folder.File("frames")).FullName;
        ImageFile.SaveAtomically(new MovingClip(64, 48).Frame(0), Path.Combine(frames, "f001.png"));
        string[] source = options.EndsWith("--painting", StringComparison.Ordinal) ? [TestImages.PaintingPath] : ["--painter", tiny.File];
        string[] flags = [.. options.Replace(" --painting", "", StringComparison.Ordinal).Split(' ')];

        var (exitCode, errors) = CliProcess.Run(["video", frames, .. source, "-o", folder.File("out.mp4"), "--size", "64", .. flags]);

        Assert.Equal(1, exitCode);
        Assert.Equal("neural-style: " + message, Assert.Single(errors));
        Assert.Equal(["frames"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }
}
