using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NeuralStyle.Tests.Cli.Queue;
using NeuralStyle.Tests.FastPainters;

namespace NeuralStyle.Tests.Cli.Web;

[Collection(TinyPainterCollection.Name)]
public sealed class TrainingsApiTests(TinyPainter tiny)
{
    private const string Tiny = """{ "painter": "tiny", "photos": "few", "iterations": 20, "size": 64, "photoSide": 96, "batch": 2, "widths": [4, 8, 16], "residualBlocks": 2, "temporalWeight": 0, "checkpointEvery": 0, "previewEvery": 10 }""";

    [Fact]
    public async Task GivenTheServersPhotoFolders_WhenListed_ThenEachIsNamedWithItsCountAndAllOfThemIsTheEmptyName()
    {
        using var data = new TempFolder();
        TinyPainter.PhotoFolder(data.File("photos"), "few");
        TinyPainter.PhotoFolder(data.File("photos"), "more");
        await using var server = await TestServer.Start(data.Path);

        var listed = await server.Client.GetFromJsonAsync<JsonElement>("/api/training-photos");

        Assert.Equal(["=8", "few=4", "more=4"], listed.EnumerateArray().Select(f => $"{f.GetProperty("name").GetString()}={f.GetProperty("photos").GetInt32()}"));
    }

    [Fact]
    public async Task GivenATrainingThatNamesPhotosOutsideTheServersFolderOrATakenNameOrAFile_WhenPosted_ThenEachIsRefusedWith400AndNothingIsQueued()
    {
        using var data = new TempFolder();
        TinyPainter.PhotoFolder(data.File("photos"), "few");
        Directory.CreateDirectory(data.File("outside/secret"));
        File.Copy(TestImages.PhotoPath, data.File("outside/secret/photo.jpg"));
        Directory.CreateDirectory(data.File("painters"));
        File.Copy(tiny.File, data.File("painters/taken.onnx"));
        await using var server = await TestServer.Start(data.Path);

        var answers = new List<(HttpStatusCode, string)>();
        foreach (var settings in new[]
        {
            Tiny.Replace("\"few\"", "\"../outside/secret\""),
            Tiny.Replace("\"few\"", "\"/etc\""),
            Tiny.Replace("\"few\"", "\"nowhere\""),
            Tiny.Replace("\"tiny\"", "\"taken\""),
            Tiny.Replace("\"tiny\"", "\"../x\""),
            Tiny.Replace("\"batch\": 2", "\"weightsPath\": \"/etc/passwd\""),
        })
        {
            using var form = new MultipartFormDataContent { { TestServer.File(TestImages.PaintingPath), "painting", "starry_night.jpg" }, { new StringContent(settings), "settings" } };
            using var response = await server.Client.PostAsync("/api/trainings", form);
            answers.Add((response.StatusCode, await TestServer.ErrorOf(response)));
        }

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.BadRequest, a.Item1));
        Assert.Equal("photos: '../outside/secret' is not one of this server's photo folders (GET /api/training-photos lists them)", answers[0].Item2);
        Assert.Equal("photos: '/etc' is not one of this server's photo folders (GET /api/training-photos lists them)", answers[1].Item2);
        Assert.Equal("photos: 'nowhere' is not one of this server's photo folders (GET /api/training-photos lists them)", answers[2].Item2);
        Assert.Equal("there is a painter taken already", answers[3].Item2);
        Assert.Equal("'../x' cannot name a painter: 1 to 64 letters, digits, '-' or '_'", answers[4].Item2);
        Assert.StartsWith("settings: not a training's settings (", answers[5].Item2, StringComparison.Ordinal);
        Assert.Contains("weightsPath", answers[5].Item2, StringComparison.Ordinal);
        Assert.Empty(await server.Client.GetFromJsonAsync<JsonElement[]>("/api/jobs") ?? []);
    }

    [Fact]
    public async Task GivenAServerThatRunsItsOwnJobs_WhenATrainingIsPosted_ThenItRunsToTheEndAndThePainterIsOffered()
    {
        using var data = new TempFolder();
        TinyPainter.PhotoFolder(data.File("photos"), "few");
        await using var server = await TestServer.Start(data.Path);

        var id = await TrainingJobTests.Post(server.Client, Tiny);
        JsonElement job;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((job = (await server.Client.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}")).GetProperty("job")).GetProperty("status").GetString() is "Queued" or "Running")
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "the training did not end in 2 minutes");
            await Task.Delay(200);
        }

        Assert.Equal(("Done", 20), (job.GetProperty("status").GetString(), job.GetProperty("iteration").GetInt32()));
        var listed = await server.Client.GetFromJsonAsync<JsonElement>("/api/painters");
        Assert.Equal("tiny", Assert.Single(listed.EnumerateArray()).GetProperty("name").GetString());
        Assert.True(File.Exists(data.File("painters/tiny.onnx")));
    }
}
