using NeuralStyle.Images;
using NeuralStyle.Jobs;
using NeuralStyle.Jobs.Queues;
using NeuralStyle.Networks;

namespace NeuralStyle.Tests.Jobs.Queues;

/// <summary>The jobs library on its own, as a front end other than the web app would use it: no web server, no command line.</summary>
public sealed class InProcessQueueTests
{
    private static readonly StyleTransferOptions Small = new() { Network = NetworkKind.ResNet18, Size = 48, Iterations = 3, Seed = 1 };

    [Fact]
    public async Task GivenTwoStoredJobs_WhenTheQueueRuns_ThenEachIsPaintedInTurnWithItsResultStoredAndItsEventsPublished()
    {
        using var data = new TempFolder();
        var store = new JobStore(data.Path);
        var events = new JobEvents();
        var styles = StyleSources.Of(ImageFile.Resize(TestImages.Painting, 48, 38));
        var photo = ImageFile.Resize(TestImages.Photo, 48, 36);
        var first = store.Create(photo, styles, Small);
        var second = store.Create(photo, styles, Small with { Iterations = 2 });
        using var listening = events.Subscribe(second.Id);
        using var queue = new InProcessQueue(store, events, weights: null);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var running = queue.RunAsync(stop.Token);
        var seen = new List<string>();
        await foreach (var line in listening.Reader.ReadAllAsync(stop.Token))
        {
            seen.Add(line);
        }

        await stop.CancelAsync();
        await running;
        Assert.Equal(JobStatus.Done, new JobStore(data.Path).Find(first.Id)?.Status);
        Assert.Equal((JobStatus.Done, 2), (store.Find(second.Id)!.Status, store.Find(second.Id)!.Iteration));
        Assert.Equal((48, 36), (ImageFile.Load(store.FileOf(second.Id, "result.png")).Width, ImageFile.Load(store.FileOf(second.Id, "result.png")).Height));
        Assert.Equal(2, seen.Count(l => l.Contains("\"type\":\"progress\"", StringComparison.Ordinal)));
        Assert.Contains("\"status\":\"Done\"", seen[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenAStoredJobWhoseStartIsAFileOutsideTheStore_WhenTheQueueRunsIt_ThenItFailsSayingSoAndPaintsNothing()
    {
        using var data = new TempFolder();
        var store = new JobStore(data.Path);
        var events = new JobEvents();
        var outside = data.File("outside.png");
        ImageFile.SaveAtomically(ImageFile.Resize(TestImages.Photo, 48, 36), outside);
        var job = store.Create(ImageFile.Resize(TestImages.Photo, 48, 36), StyleSources.Of(ImageFile.Resize(TestImages.Painting, 48, 38)), Small with { Init = InitialImage.FromFile(outside) });
        using var listening = events.Subscribe(job.Id);
        using var queue = new InProcessQueue(store, events, weights: null);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var running = queue.RunAsync(stop.Token);
        await foreach (var _ in listening.Reader.ReadAllAsync(stop.Token))
        {
        }

        await stop.CancelAsync();
        await running;
        Assert.Equal(JobStatus.Failed, store.Find(job.Id)!.Status);
        Assert.Equal("init names a file that is not another job's picture; a job starts from noise, content, style or a job's picture", store.Find(job.Id)!.Error);
        Assert.False(File.Exists(store.FileOf(job.Id, "result.png")));
    }
}
