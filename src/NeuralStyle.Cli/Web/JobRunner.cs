using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using NeuralStyle.Images;
using NeuralStyle.Synthesis;

namespace NeuralStyle.Cli.Web;

/// <summary>
/// Runs the queued jobs one at a time (one device), with the library exactly as the command line
/// uses it: each iteration becomes an event, every few iterations the picture so far is stored and
/// announced, and the result is stored before the job is marked done.
/// </summary>
internal sealed class JobRunner(JobStore store, JobEvents events) : BackgroundService
{
    // The picture so far is stored this often (a PNG of 512 px takes about 20 ms to write).
    private const int PictureEvery = 5;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Channel<string> queue = Channel.CreateUnbounded<string>();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> running = new();

    public void Enqueue(Job job) => queue.Writer.TryWrite(job.Id);

    /// <summary>1 for the next job to run, 2 for the one after, …; 0 when the job is not waiting.</summary>
    public int PositionOf(Job job) => job.Status != JobStatus.Queued
        ? 0
        : store.All.Where(j => j.Status == JobStatus.Queued).OrderBy(j => j.Created).TakeWhile(j => j.Id != job.Id).Count() + 1;

    /// <summary>Stops a running job after its current iteration, or takes a waiting one off the queue; false when it has finished.</summary>
    public bool Cancel(Job job)
    {
        if (running.TryGetValue(job.Id, out var stop))
        {
            stop.Cancel();
            return true;
        }

        if (job.Status == JobStatus.Queued)
        {
            Announce(store.Save(job with { Status = JobStatus.Cancelled }));
            events.Complete(job.Id);
            return true;
        }

        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var waiting in store.All.Where(j => j.Status == JobStatus.Queued).OrderBy(j => j.Created))
        {
            Enqueue(waiting);
        }

        try
        {
            await foreach (var id in queue.Reader.ReadAllAsync(stoppingToken))
            {
                if (store.Find(id) is { Status: JobStatus.Queued } job)
                {
                    await Task.Run(() => Run(job, stoppingToken), CancellationToken.None);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server is stopping; a job that was running has been marked interrupted.
        }
    }

    private void Run(Job job, CancellationToken stopping)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        running[job.Id] = stop;
        try
        {
            var options = StyleTransferSettings.FromJson(job.Settings);
            var photo = ImageFile.Load(store.FileOf(job.Id, "photo.png"));
            var styles = store.SourcesOf(job);
            job = Announce(store.Save(job with { Status = JobStatus.Running }));
            var progress = new SynchronousProgress<StepProgress>(p =>
            {
                job = job with { Iteration = p.Iteration, Iterations = p.Iterations, Seconds = p.Elapsed.TotalSeconds, HasPicture = store.Find(job.Id)!.HasPicture };
                store.Touch(job);
                events.Publish(job.Id, JsonSerializer.Serialize(new { type = "progress", p.Iteration, p.Iterations, p.Scale, content = p.ContentLoss, style = p.StyleLoss, tv = p.TvLoss, total = p.TotalLoss, seconds = p.Elapsed.TotalSeconds, p.WorkDone }, Json));
            });
            var result = StyleTransfer.Run(photo, styles, options with { SaveEvery = PictureEvery }, progress, (iteration, picture) => StorePicture(job, iteration, picture), stop.Token);
            ImageFile.SaveAtomically(result.Image, store.FileOf(job.Id, "latest.png"));
            var finished = job with
            {
                Iteration = result.IterationsRun,
                Iterations = result.Iterations,
                HasPicture = true,
                Size = $"{result.Image.Width}×{result.Image.Height}",
            };
            if (result.Cancelled)
            {
                job = store.Save(stopping.IsCancellationRequested
                    ? finished with { Status = JobStatus.Interrupted, Error = "the server stopped during the run" }
                    : finished with { Status = JobStatus.Cancelled });
            }
            else
            {
                ImageFile.SaveAtomically(result.Image, store.FileOf(job.Id, "result.png"));
                job = store.Save(finished with { Status = JobStatus.Done });
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever stops one job (a bad input, a full disk, libtorch's own errors) fails that job
            // only: the runner goes on with the queue and the server with its requests.
            job = store.Save(job with { Status = JobStatus.Failed, Error = e.Message });
        }
        finally
        {
            running.TryRemove(job.Id, out _);
        }

        Announce(job);
        events.Complete(job.Id);
    }

    private void StorePicture(Job job, int iteration, RgbImage picture)
    {
        ImageFile.SaveAtomically(picture, store.FileOf(job.Id, "latest.png"));
        events.Publish(job.Id, JsonSerializer.Serialize(new { type = "picture", iteration }, Json));
        if (!store.Find(job.Id)!.HasPicture)
        {
            store.Save(store.Find(job.Id)! with { HasPicture = true });
        }
    }

    private Job Announce(Job job)
    {
        events.Publish(job.Id, JsonSerializer.Serialize(new { type = "status", job }, Json));
        return job;
    }
}
