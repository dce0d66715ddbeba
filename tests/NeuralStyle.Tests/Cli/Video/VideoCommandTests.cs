using System.Diagnostics;
using NeuralStyle.Images;
using NeuralStyle.Tests.Video;
using NeuralStyle.Video;

namespace NeuralStyle.Tests.Cli.Video;

/// <summary>The video command as a user runs it: real child processes, real ffmpeg.</summary>
public sealed class VideoCommandTests
{
    private static readonly string Painting = SharedData.Image("starry_night.jpg");
    private static readonly string[] Small = ["--size", "48", "--iterations", "4", "--frame-iterations", "2", "--network", "resnet18", "--seed", "1"];

    private static string Ffprobe(params string[] args)
    {
        using var probe = new ChildProcess("ffprobe", ["-v", "error", .. args]);
        Assert.Equal(0, probe.WaitForExit());
        return string.Join('\n', probe.OutputLines).Trim();
    }

    private static void Ffmpeg(params string[] args)
    {
        using var ffmpeg = new ChildProcess("ffmpeg", ["-v", "error", "-nostdin", "-y", .. args]);
        Assert.True(ffmpeg.WaitForExit() == 0, string.Join('\n', ffmpeg.ErrorLines));
    }

    // Frames of the clip with known motion, as numbered pictures in a folder.
    private static string FrameFolder(TempFolder folder, int count, int width = 64, int height = 48)
    {
        var frames = Directory.CreateDirectory(folder.File("frames")).FullName;
        var clip = new MovingClip(width, height);
        for (var t = 0; t < count; t++)
        {
            ImageFile.SaveAtomically(clip.Frame(t), Path.Combine(frames, $"f{t + 1:000}.png"));
        }

        return frames;
    }

    [Fact]
    public void GivenAnMp4WithSound_WhenPainted_ThenTheMp4OutHasItsFramesItsRateAndASoundStream()
    {
        using var folder = new TempFolder();
        var input = folder.File("in.mp4");
        Ffmpeg("-f", "lavfi", "-i", "testsrc=size=96x72:rate=12", "-f", "lavfi", "-i", "sine=frequency=440", "-t", "0.5", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", input);

        var (exitCode, errors) = CliProcess.Run(["video", input, Painting, "-o", folder.File("out.mp4"), .. Small]);

        Assert.True(exitCode == 0, string.Join('\n', errors));
        Assert.Equal("6", Ffprobe("-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", folder.File("out.mp4")));
        Assert.Equal("12/1", Ffprobe("-select_streams", "v:0", "-show_entries", "stream=r_frame_rate", "-of", "csv=p=0", folder.File("out.mp4")));
        Assert.Equal("audio", Ffprobe("-select_streams", "a", "-show_entries", "stream=codec_type", "-of", "csv=p=0", folder.File("out.mp4")));
        Assert.Equal(["frame_0001.png", "frame_0002.png", "frame_0003.png", "frame_0004.png", "frame_0005.png", "frame_0006.png"], Directory.GetFiles(folder.File("out.work/painted")).Select(Path.GetFileName).Order());
        Assert.True(File.Exists(folder.File("out.work/reliable_6_5.pgm")) && File.Exists(folder.File("out.work/forward_5_6.flo")) && File.Exists(folder.File("out.work/backward_6_5.flo")));
        Assert.Matches(@"^neural-style: wrote .*out\.mp4 \(6 frames, 48×36\); warping error \d\.\d{5}$", errors[^1]);
    }

    [Fact]
    public void GivenAFolderOfFramesPartlyPainted_WhenRunAgain_ThenOnlyTheMissingFrameIsPaintedAndTheFolderOutNumbersFromOne()
    {
        using var folder = new TempFolder();
        var frames = FrameFolder(folder, 3);
        var work = folder.File("work");
        Assert.Equal(0, CliProcess.Run(["video", frames, Painting, "-o", folder.File("out"), "--work", work, .. Small]).ExitCode);
        var painted = Path.Combine(work, "painted");
        var kept = new[] { 1, 2 }.ToDictionary(k => k, k => File.GetLastWriteTimeUtc(Path.Combine(painted, $"frame_{k:0000}.png")));
        File.Delete(Path.Combine(painted, "frame_0003.png"));

        var (exitCode, errors) = CliProcess.Run(["video", frames, Painting, "-o", folder.File("out"), "--work", work, .. Small]);

        Assert.True(exitCode == 0, string.Join('\n', errors));
        Assert.Equal(["neural-style: frame 3 of 3"], errors.Where(e => e.StartsWith("neural-style: frame ", StringComparison.Ordinal)));
        Assert.All(kept, k => Assert.Equal(k.Value, File.GetLastWriteTimeUtc(Path.Combine(painted, $"frame_{k.Key:0000}.png"))));
        Assert.Equal(["frame_0001.png", "frame_0002.png", "frame_0003.png"], Directory.GetFiles(folder.File("out")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void GivenTheTrueFlowsAsFloFiles_WhenPaintedWithFlow_ThenTheReliabilityMapsAreTheCheckersOfThoseFlows()
    {
        using var folder = new TempFolder();
        var frames = FrameFolder(folder, 3);
        var flows = Directory.CreateDirectory(folder.File("flows")).FullName;
        var clip = new MovingClip(64, 48);
        for (var t = 1; t < 3; t++)
        {
            clip.Forward(t).Write(Path.Combine(flows, $"forward_{t}_{t + 1}.flo"));
            clip.Backward(t).Write(Path.Combine(flows, $"backward_{t + 1}_{t}.flo"));
        }

        var (exitCode, errors) = CliProcess.Run(["video", frames, Painting, "-o", folder.File("out"), "--work", folder.File("work"), "--flow", flows, "--size", "64", .. Small[2..]]);

        Assert.True(exitCode == 0, string.Join('\n', errors));
        for (var t = 1; t < 3; t++)
        {
            var written = Reliability.ReadPgm(folder.File($"work/reliable_{t + 1}_{t}.pgm"));
            var expected = Reliability.Check(clip.Backward(t), clip.Forward(t));
            Assert.All(written.Weights.Zip(expected.Weights), w => Assert.Equal(w.Second, w.First, 0.5f / 255));
            Assert.Contains(expected.Weights, w => w == 0);
        }

        Assert.False(File.Exists(folder.File("work/backward_2_1.flo")));
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { "text.mp4", "{0}: not a video ffmpeg can read (" },
        { "sound.m4a", "{0}: has no video stream" },
        { "empty", "{0}: the folder has no pictures (.png, .jpg, …)" },
        { "mixed", "{0}/f2.png: 32×24, but {0}/f1.png is 64×48: a clip's frames must all have one size" },
        { "cut-flow", "{1}/backward_2_1.flo: a 64×48 flow takes 24588 bytes, the file has 12294" },
        { "small-flow", "{1}/backward_2_1.flo: a 32×24 flow, but the frames are painted at 64×48 (give flows at the painted size, or set --size to their longest side)" },
        { "no-output-folder", "{2}: folder {3} does not exist" },
        { "no-ffmpeg.mp4", "ffprobe not found: video needs Debian's ffmpeg (sudo apt-get install ffmpeg)" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void GivenABadInput_WhenPainted_ThenOneLineSaysWhatIsWrongTheExitCodeIs1AndNoOutputIsWritten(string input, string message)
    {
        using var folder = new TempFolder();
        var (path, flows, output) = (folder.File(input), folder.File("flows"), folder.File("out.mp4"));
        string[] extra = ["--size", "64"];
        Dictionary<string, string?>? environment = null;
        switch (input)
        {
            case "text.mp4":
                File.WriteAllText(path, "not a video");
                break;
            case "sound.m4a":
                Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440", "-t", "0.3", "-c:a", "aac", path);
                break;
            case "empty":
                Directory.CreateDirectory(path);
                break;
            case "mixed":
                Directory.CreateDirectory(path);
                ImageFile.SaveAtomically(new MovingClip(64, 48).Frame(0), Path.Combine(path, "f1.png"));
                ImageFile.SaveAtomically(new MovingClip(32, 24).Frame(0), Path.Combine(path, "f2.png"));
                break;
            case "cut-flow" or "small-flow":
                path = FrameFolder(folder, 2);
                Directory.CreateDirectory(flows);
                var flow = input == "cut-flow" ? new MovingClip(64, 48) : new MovingClip(32, 24);
                flow.Backward(1).Write(Path.Combine(flows, "backward_2_1.flo"));
                flow.Forward(1).Write(Path.Combine(flows, "forward_1_2.flo"));
                if (input == "cut-flow")
                {
                    File.WriteAllBytes(Path.Combine(flows, "backward_2_1.flo"), File.ReadAllBytes(Path.Combine(flows, "backward_2_1.flo"))[..12294]);
                }

                extra = [.. extra, "--flow", flows];
                break;
            case "no-output-folder":
                path = FrameFolder(folder, 2);
                output = folder.File("missing/out.mp4");
                break;
            case "no-ffmpeg.mp4":
                Ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=5", "-t", "0.4", "-pix_fmt", "yuv420p", path);
                environment = new() { ["PATH"] = "/nonexistent" };
                break;
        }

        var (exitCode, errors) = CliProcess.Run(["video", path, Painting, "-o", output, .. Small[2..], .. extra], environment);

        Assert.Equal(1, exitCode);
        var expected = string.Format(System.Globalization.CultureInfo.InvariantCulture, message, path, flows, output, Path.GetDirectoryName(output));
        Assert.StartsWith("neural-style: " + expected, Assert.Single(errors), StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }
}
