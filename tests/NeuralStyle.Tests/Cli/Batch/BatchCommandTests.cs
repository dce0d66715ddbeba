using NeuralStyle.Images;

namespace NeuralStyle.Tests.Cli.Batch;

/// <summary>The batch command as a user runs it: real child processes over a folder of photos and a manifest.</summary>
public sealed class BatchCommandTests
{
    private static readonly string Painting = SharedData.Image("starry_night.jpg");
    private static readonly string[] Small = ["--size", "32", "--iterations", "2", "--network", "resnet18", "--seed", "1"];

    // Three photos and a corrupt picture, sorted as a.jpg, b.jpg, c.png, d.jpg; a text file is no picture.
    private static string PhotoFolder(TempFolder folder)
    {
        var photos = Directory.CreateDirectory(folder.File("photos")).FullName;
        File.Copy(SharedData.Image("tubingen.jpg"), Path.Combine(photos, "a.jpg"));
        File.Copy(SharedData.Image("golden_gate.jpg"), Path.Combine(photos, "b.jpg"));
        File.Copy(SharedData.Sample("chelsea.png"), Path.Combine(photos, "c.png"));
        File.WriteAllText(Path.Combine(photos, "d.jpg"), "not a picture");
        File.WriteAllText(Path.Combine(photos, "notes.txt"), "not a photo");
        return photos;
    }

    /// <summary>The names of the results in <paramref name="folder"/>, in order (none when it is not there).</summary>
    internal static string[] Results(string folder) => Directory.Exists(folder) ? [.. Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!] : [];

    /// <summary>Each result's last write, by name: a result written again has a later one.</summary>
    internal static Dictionary<string, DateTime> WriteTimes(string folder) => Results(folder).ToDictionary(f => f, f => File.GetLastWriteTimeUtc(Path.Combine(folder, f)));

    [Fact]
    public void GivenAFolderWithACorruptPicture_WhenBatchedTwice_ThenTheOthersArePaintedOnceTheCorruptOneIsNamedAndTheExitCodeIs1()
    {
        using var folder = new TempFolder();
        var (photos, output) = (PhotoFolder(folder), folder.File("out"));

        var (exitCode, errors) = CliProcess.Run(["batch", photos, Painting, "-o", output, .. Small]);

        Assert.Equal(1, exitCode);
        Assert.Equal(["a.png", "b.png", "c.png"], Results(output));
        Assert.Single(errors, e => e.StartsWith($"neural-style: {Path.Combine(photos, "d.jpg")}: not an image", StringComparison.Ordinal));
        Assert.Equal("neural-style: batch: 3 painted, 0 skipped, 1 failed of 4; ", errors[^1][..errors[^1].LastIndexOf(';')] + "; ");
        Assert.Equal((32, 24), Size(Path.Combine(output, "a.png")));
        var written = WriteTimes(output);

        var (again, againErrors) = CliProcess.Run(["batch", photos, Painting, "-o", output, .. Small]);

        Assert.Equal(1, again);
        Assert.Equal(written, WriteTimes(output));
        Assert.StartsWith("neural-style: batch: 0 painted, 3 skipped, 1 failed of 4", againErrors[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void GivenTwoShardsOneByOptionOneBySlurm_WhenBothRun_ThenEachPictureIsPaintedExactlyOnce()
    {
        using var folder = new TempFolder();
        var (photos, output) = (PhotoFolder(folder), folder.File("out"));
        File.Delete(Path.Combine(photos, "d.jpg"));

        var (first, firstErrors) = CliProcess.Run(["batch", photos, Painting, "-o", output, "--shard", "0/2", .. Small]);
        var firstResults = Results(output);
        var slurm = new Dictionary<string, string?> { ["SLURM_ARRAY_TASK_ID"] = "1", ["SLURM_ARRAY_TASK_COUNT"] = "2" };
        var (second, secondErrors) = CliProcess.Run(["batch", photos, Painting, "-o", output, .. Small], slurm);

        Assert.True(first == 0 && second == 0, string.Join('\n', firstErrors.Concat(secondErrors)));
        Assert.Equal(["a.png", "c.png"], firstResults);
        Assert.Equal(["a.png", "b.png", "c.png"], Results(output));
        Assert.StartsWith("neural-style: batch: 1 painted, 0 skipped, 0 failed of 1 (shard 1/2 of 3)", secondErrors[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAManifestWithSettingsPerLine_WhenBatched_ThenEachLineIsPaintedWithItsOwnSettingsAndOutput()
    {
        using var folder = new TempFolder();
        var photos = PhotoFolder(folder);
        var manifest = folder.File("jobs.jsonl");
        File.WriteAllLines(manifest,
        [
            $$$"""{"photo": "photos/a.jpg", "paintings": ["{{{Painting}}}"], "settings": {"size": 40}}""",
            "",
            """{"photo": "photos/c.png", "output": "cat/small.png"}""",
        ]);

        var (exitCode, errors) = CliProcess.Run(["batch", manifest, Painting, "-o", folder.File("out"), "--iterations", "2", "--network", "resnet18", "--size", "32"]);

        Assert.True(exitCode == 0, string.Join('\n', errors));
        // The command line's --size takes the place of the first line's.
        Assert.Equal((32, 24), Size(folder.File("out/a.png")));
        Assert.Equal((32, 21), Size(folder.File("out/cat/small.png")));
    }

    [Fact]
    public void GivenAManifestLineSettingsThatTheCommandLineDoesNotGive_WhenBatched_ThenTheLineDecides()
    {
        using var folder = new TempFolder();
        PhotoFolder(folder);
        var manifest = folder.File("jobs.jsonl");
        File.WriteAllLines(manifest, ["""{"photo": "photos/b.jpg", "settings": {"size": 40, "iterations": 2, "network": "resnet18"}}"""]);

        var (exitCode, errors) = CliProcess.Run(["batch", manifest, Painting, "-o", folder.File("out")]);

        Assert.True(exitCode == 0, string.Join('\n', errors));
        Assert.Equal((40, 30), Size(folder.File("out/b.png")));
    }

    [Theory]
    [InlineData("{\"photo\": \"photos/a.jpg\"}\nnot json", "jobs.jsonl:2: not a JSON object")]
    [InlineData("{\"paintings\": []}", "jobs.jsonl:1: needs \"photo\": a path")]
    [InlineData("{\"photo\": \"photos/a.jpg\", \"settings\": {\"size\": \"big\"}}", "jobs.jsonl:1: ")]
    public void GivenAMalformedManifestLine_WhenBatched_ThenOneErrorNamesItsLineAndNothingIsPainted(string lines, string expected)
    {
        using var folder = new TempFolder();
        PhotoFolder(folder);
        var manifest = folder.File("jobs.jsonl");
        File.WriteAllText(manifest, lines);

        var (exitCode, errors) = CliProcess.Run(["batch", manifest, Painting, "-o", folder.File("out"), .. Small]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"neural-style: {manifest[..^"jobs.jsonl".Length]}{expected}", Assert.Single(errors), StringComparison.Ordinal);
        Assert.Empty(Results(folder.File("out")));
    }

    private static (int, int) Size(string path)
    {
        var image = ImageFile.Load(path);
        return (image.Width, image.Height);
    }
}
