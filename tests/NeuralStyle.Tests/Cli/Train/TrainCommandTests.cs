using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Tests.FastPainters;

namespace NeuralStyle.Tests.Cli.Train;

public sealed class TrainCommandTests
{
    private const int Invalid = 1;
    private static readonly string[] Tiny = ["--size", "64", "--photo-side", "96", "--batch", "2", "--widths", "4,8,16", "--residual-blocks", "2", "--preview-every", "0"];

    [Fact]
    public void GivenATrainingRun_WhenCtrlCAndThenRunAgainWithResume_ThenItSavesACheckpointAndContinuesFromItsStep()
    {
        using var folder = new TempFolder();
        var photos = TinyPainter.PhotoFolder(folder.Path, "photos");
        var output = folder.File("p.onnx");
        string[] args = ["train", TestImages.PaintingPath, "--photos", photos, "-o", output, "--iterations", "100000", .. Tiny];
        using var cli = CliProcess.Start(args);
        cli.WaitForErrorLine(l => l.StartsWith("step ", StringComparison.Ordinal), "a progress line");

        cli.Signal("INT");
        var exitCode = cli.WaitForExit();
        var stoppedAt = int.Parse(System.Text.RegularExpressions.Regex.Match(cli.ErrorLines[^1], @"stopped at step (\d+);").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var (resumedExit, resumed) = CliProcess.Run(["train", TestImages.PaintingPath, "--photos", photos, "-o", output, "--iterations", $"{stoppedAt + 3}", "--resume", .. Tiny]);

        Assert.Equal(130, exitCode);
        Assert.Equal($"neural-style: stopped at step {stoppedAt}; saved {output}.checkpoint: run the same command with --resume to continue", cli.ErrorLines[^1]);
        Assert.True(resumedExit == 0, string.Join('\n', resumed));
        Assert.StartsWith($"step {stoppedAt + 1}/{stoppedAt + 3} ", resumed.First(l => l.StartsWith("step ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal($"neural-style: wrote {output} ({stoppedAt + 3} steps)", resumed[^1]);
    }

    [Fact]
    public void GivenAnEmptyPhotoFolder_WhenTrained_ThenOneLineSaysSoAndNothingIsWritten()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("photos"));

        var (exitCode, errors) = CliProcess.Run(["train", TestImages.PaintingPath, "--photos", folder.File("photos"), "-o", folder.File("p.onnx"), .. Tiny]);

        Assert.Equal(Invalid, exitCode);
        Assert.StartsWith($"neural-style: {folder.File("photos")}: holds no photo (.jpg", Assert.Single(errors), StringComparison.Ordinal);
        Assert.Equal(["photos"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void GivenAFolderOfUndecodablePhotos_WhenTrained_ThenEachIsNamedOnceAndOneLineEndsTheRunWithNothingWritten()
    {
        using var folder = new TempFolder();
        var photos = Directory.CreateDirectory(folder.File("photos")).FullName;
        File.WriteAllText(Path.Combine(photos, "a.jpg"), "not a picture");
        folder.TruncatedCopy(TestImages.PhotoPath, "photos/b.jpg", 0.01);

        var (exitCode, errors) = CliProcess.Run(["train", TestImages.PaintingPath, "--photos", photos, "-o", folder.File("p.onnx"), .. Tiny]);

        Assert.Equal(Invalid, exitCode);
        Assert.Equal(2, errors.Count(l => l.EndsWith("; skipped", StringComparison.Ordinal)));
        Assert.Equal($"neural-style: {photos}: no photo could be decoded", errors[^1]);
        Assert.Equal(["photos"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("--widths", "16,32", "neural-style: --widths takes three widths from 1 to 1024, e.g. 16,32,64")]
    [InlineData("--size", "30", "neural-style: --size takes a multiple of 4 from 32 to 2048")]
    [InlineData("--network", "alexnet", "neural-style: --network alexnet: takes resnet18, vgg19 or vgg16")]
    public void GivenAnImpossibleOption_WhenTrained_ThenOneLineNamesIt(string option, string value, string expected)
    {
        using var folder = new TempFolder();
        var photos = TinyPainter.PhotoFolder(folder.Path, "photos");

        var (exitCode, errors) = CliProcess.Run(["train", TestImages.PaintingPath, "--photos", photos, "-o", folder.File("p.onnx"), .. Tiny.Where((_, i) => Tiny[i] != option && (i == 0 || Tiny[i - 1] != option)), option, value]);

        Assert.Equal(Invalid, exitCode);
        Assert.Equal(expected, Assert.Single(errors));
    }

    [Fact]
    public void GivenAFolderOfClipsAndAFileThatIsNotOne_WhenTrainedWithThem_ThenTheClipsPairsAreUsedTheOtherIsNamedAndThePainterIsWritten()
    {
        using var folder = new TempFolder();
        var photos = TinyPainter.PhotoFolder(folder.Path, "photos");
        var clips = Directory.CreateDirectory(folder.File("clips")).FullName;
        using (var ffmpeg = new ChildProcess("ffmpeg", ["-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-t", "2", "-pix_fmt", "yuv420p", Path.Combine(clips, "moving.mp4")]))
        {
            Assert.Equal(0, ffmpeg.WaitForExit());
        }

        File.WriteAllText(Path.Combine(clips, "notes.txt"), "not a clip");
        var output = folder.File("p.onnx");

        var (exitCode, errors) = CliProcess.Run(["train", TestImages.PaintingPath, "--photos", photos, "-o", output, "--clips", clips, "--iterations", "4", .. Tiny]);

        Assert.True(exitCode == 0, string.Join('\n', errors));
        Assert.Contains(errors, l => l.StartsWith($"neural-style: {Path.Combine(clips, "notes.txt")}: left out (", StringComparison.Ordinal));
        Assert.Contains($"neural-style: 16 pairs of consecutive frames from the clips of {clips}, with their flow", errors);
        Assert.Contains(errors, l => l.StartsWith("step 4/4 ", StringComparison.Ordinal) && l.Contains("temporal", StringComparison.Ordinal));
        Assert.True(File.Exists(output));
    }

    [Theory]
    [InlineData("nowhere", "2000", "neural-style: --clips {0}: no such folder")]
    [InlineData("empty", "2000", "neural-style: --clips {0}: holds no clip of two frames or more that ffmpeg reads")]
    [InlineData("empty", "0", "neural-style: --clips teaches the temporal loss, which --temporal-weight 0 leaves out")]
    public void GivenClipsThatCannotTeach_WhenTrained_ThenOneLineSaysWhyAndNothingIsWritten(string clips, string temporalWeight, string expected)
    {
        using var folder = new TempFolder();
        var photos = TinyPainter.PhotoFolder(folder.Path, "photos");
        Directory.CreateDirectory(folder.File("empty"));

        var (exitCode, errors) = CliProcess.Run(["train", TestImages.PaintingPath, "--photos", photos, "-o", folder.File("p.onnx"), "--clips", folder.File(clips), "--temporal-weight", temporalWeight, .. Tiny]);

        Assert.Equal(Invalid, exitCode);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, folder.File(clips)), Assert.Single(errors));
        Assert.False(File.Exists(folder.File("p.onnx")));
    }
}
