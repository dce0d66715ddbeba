using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NeuralStyle.Images;
using NeuralStyle.Tests.Cli.Web;
using NeuralStyle.Tests.FastPainters;

namespace NeuralStyle.Tests.Cli.Queue;

// A painter trained as a job of the web app, through Redis and real worker processes.
public sealed class TrainingJobTests
{
    // A tiny painter, long enough in steps for a worker to be killed in the middle; a checkpoint every 5.
    private const string Tiny = """{ "painter": "tiny", "photos": "few", "iterations": 300, "size": 64, "photoSide": 96, "batch": 2, "widths": [4, 8, 16], "residualBlocks": 2, "learningRate": 0.01, "temporalWeight": 0, "checkpointEvery": 5, "previewEvery": 10, "seed": 1 }""";

    [Fact]
    public async Task GivenTwoWorkers_WhenTheOneTrainingAPainterIsKilled_ThenTheOtherGoesOnFromTheCheckpointTheJobIsDoneOnceAndThePainterPaints()
    {
        using var folder = new TempFolder();
        using var cluster = new QueueCluster(folder);
        TinyPainter.PhotoFolder(Path.Combine(cluster.Data, "photos"), "few");
        cluster.StartServer();
        var a = cluster.StartWorker("a");

        var id = await Post(cluster.Client!, Tiny);
        await cluster.WaitUntil(jobs => jobs.Any(j => j.GetProperty("worker").GetString() == "a"), "the training taken by worker a");
        var b = cluster.StartWorker("b");
        await cluster.WaitUntil(jobs => jobs.Any(j => j.GetProperty("worker").GetString() == "a" && j.GetProperty("iteration").GetInt32() >= 12), "the training past its second checkpoint on worker a");
        a.Signal("KILL");
        await cluster.WaitUntil(jobs => jobs.All(j => j.GetProperty("status").GetString() is "Done" or "Failed"), "the training done");

        var job = await cluster.Job(id);
        Assert.Equal(("Done", "b", "Training", 300), (job.GetProperty("status").GetString(), job.GetProperty("worker").GetString(), job.GetProperty("kind").GetString(), job.GetProperty("iteration").GetInt32()));
        Assert.Contains(b.ErrorLines, l => l.Contains($"job {id}: running (delivery 2, taken over from a)", StringComparison.Ordinal));
        Assert.InRange(job.GetProperty("resumedFrom").GetInt32(), 10, 299);
        Assert.Equal(1, cluster.Count("Done")[id]);
        Assert.True(job.GetProperty("hasPicture").GetBoolean(), "the training's preview is the job's picture");

        // The painter is on the server's shelf and paints.
        var listed = await cluster.Client!.GetFromJsonAsync<JsonElement>("/api/painters");
        Assert.Equal("starry_night.jpg", Assert.Single(listed.EnumerateArray()).GetProperty("paintings")[0].GetString());
        using var photo = new MultipartFormDataContent { { TestServer.File(TestImages.PhotoPath), "photo", "photo.jpg" }, { new StringContent("64"), "size" } };
        using var painted = await cluster.Client!.PostAsync("/api/painters/tiny/pictures", photo);
        Assert.Equal(HttpStatusCode.OK, painted.StatusCode);
        var picture = folder.File("painted.png");
        await File.WriteAllBytesAsync(picture, await painted.Content.ReadAsByteArrayAsync());
        Assert.Equal(64, ImageFile.Load(picture).Width);
    }

    /// <summary>Posts a training of the test painting with <paramref name="settings"/> and returns its id.</summary>
    internal static async Task<string> Post(HttpClient client, string settings)
    {
        using var form = new MultipartFormDataContent { { TestServer.File(TestImages.PaintingPath), "painting", "starry_night.jpg" }, { new StringContent(settings), "settings" } };
        using var response = await client.PostAsync("/api/trainings", form);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("job").GetProperty("id").GetString()!;
    }
}
