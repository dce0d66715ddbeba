using System.Text.Json;
using NeuralStyle.Images;
using NeuralStyle.Optimization;

namespace NeuralStyle.Jobs;

/// <summary>
/// Paints one stored job, for the server that runs its own jobs and for a queue's worker alike: each
/// iteration becomes an event, every few iterations the picture so far is stored and announced, and the
/// result is stored before the job is marked done.
/// </summary>
/// <param name="store">Where the job and its pictures are.</param>
/// <param name="networks">The network kept between jobs, with this process's weights.</param>
/// <param name="publish">Hands on each event: the job's id and a JSON line.</param>
/// <param name="worker">The name the job shows for whoever runs it; null for the server itself.</param>
/// <param name="painters">The painters folder that a training job's painter joins; null: DATA/painters.</param>
public sealed class JobPainting(JobStore store, NetworkShelf networks, Action<string, string> publish, string? worker = null, string? painters = null)
{
    private readonly JobTraining training = new(store, painters ?? Path.Combine(store.DataFolder, "painters"), publish, worker);

    // The picture so far is stored this often (a PNG of 512 px takes about 20 ms to write).
    private const int PictureEvery = 5;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Runs <paramref name="job"/> to its end and returns its last record, stored and announced.
    /// <paramref name="cancel"/> cancels the job; <paramref name="stopping"/> means this process stops,
    /// and the job then ends as <paramref name="whenStopped"/> with its picture so far.
    /// </summary>
    public Job Run(Job job, CancellationToken cancel, CancellationToken stopping, (JobStatus Status, string? Error) whenStopped)
    {
        try
        {
            job = job.Kind == JobKind.Training ? training.Run(job, cancel, stopping, whenStopped, Announce) : Paint(job, cancel, stopping, whenStopped);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever stops one job (a bad input, a full disk, libtorch's own errors) fails that job
            // only: the runner goes on with the queue and the server with its requests.
            job = Failed(job, e);
        }

        return Announce(job);
    }

    private Job Paint(Job job, CancellationToken cancel, CancellationToken stopping, (JobStatus Status, string? Error) whenStopped)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel, stopping);
        var options = networks.WithOwnWeights(StyleTransferSettings.FromJson(job.Settings)) with { SaveEvery = PictureEvery };
        options = options with { Init = StartHere(options.Init) };
        var photo = ImageFile.Load(store.FileOf(job.Id, "photo.png"));
        var styles = store.SourcesOf(job);
        job = Announce(store.Save(job with { Status = JobStatus.Running, Worker = worker, Error = null }));
        var progress = new SynchronousProgress<StepProgress>(p =>
        {
            job = job with { Iteration = p.Iteration, Iterations = p.Iterations, Seconds = p.Elapsed.TotalSeconds, HasPicture = store.Find(job.Id)!.HasPicture };
            store.Touch(job);
            publish(job.Id, JsonSerializer.Serialize(new { type = "progress", p.Iteration, p.Iterations, p.Scale, content = p.ContentLoss, style = p.StyleLoss, tv = p.TvLoss, total = p.TotalLoss, seconds = p.Elapsed.TotalSeconds, p.WorkDone }, Json));
        });
        using var painter = networks.PainterFor(styles, options);
        var result = painter.Paint(photo, progress, (iteration, picture) => StorePicture(job, iteration, picture), stop.Token);
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
                ? finished with { Status = whenStopped.Status, Error = whenStopped.Error }
                : finished with { Status = JobStatus.Cancelled });
        }
        else
        {
            ImageFile.SaveAtomically(result.Image, store.FileOf(job.Id, "result.png"));
            job = store.Save(finished with { Status = JobStatus.Done });
        }

        return job;
    }

    // A job started from another's picture names that picture (a result or a latest picture) under the
    // poster's data folder; a worker that mounts the folder elsewhere finds it under its own. Any other
    // path in a stored job is refused: a job reads no file outside the store.
    private InitialImage? StartHere(InitialImage? init) =>
        init?.Path is not { } path ? init
        : Path.GetFileName(Path.GetDirectoryName(path)) is { } id && JobStore.IsJobId(id) && Path.GetFileName(path) is "result.png" or "latest.png"
            ? InitialImage.FromFile(store.FileOf(id, Path.GetFileName(path)))
            : throw StyleTransferException.About(nameof(StyleTransferOptions.Init), "names a file that is not another job's picture; a job starts from noise, content, style or a job's picture");

    // The failure is stored where the disk takes it; where it does not (the disk that failed the job is
    // full), the record in memory and the event still give the reason.
    private Job Failed(Job job, Exception e)
    {
        var failed = job with { Status = JobStatus.Failed, Error = e is StyleTransferException problem ? JobWords.Of(problem) : e.Message };
        try
        {
            return store.Save(failed);
        }
        catch (StyleTransferException)
        {
            store.Touch(failed);
            return failed;
        }
    }

    /// <summary>Publishes the job's record as a status event and returns it.</summary>
    public Job Announce(Job job)
    {
        publish(job.Id, JobEvents.StatusEvent(job));
        return job;
    }

    private void StorePicture(Job job, int iteration, RgbImage picture)
    {
        ImageFile.SaveAtomically(picture, store.FileOf(job.Id, "latest.png"));
        publish(job.Id, JsonSerializer.Serialize(new { type = "picture", iteration }, Json));
        if (!store.Find(job.Id)!.HasPicture)
        {
            store.Save(store.Find(job.Id)! with { HasPicture = true });
        }
    }
}
