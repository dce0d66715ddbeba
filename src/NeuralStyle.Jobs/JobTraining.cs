using System.Text.Json;
using NeuralStyle.FastPainters;
using NeuralStyle.Images;
using NeuralStyle.Optimization;

namespace NeuralStyle.Jobs;

/// <summary>
/// Trains one stored training job into a painter: each step becomes an event, each preview the job's
/// picture so far, and the checkpoint stays in the job's folder, so that whoever runs the job next (a
/// worker that takes it over from one that died) goes on from it. The finished painter joins the
/// painters folder under the job's name.
/// </summary>
/// <param name="store">Where the job and its paintings are.</param>
/// <param name="painters">The painters folder the finished painter is put in.</param>
/// <param name="publish">Hands on each event: the job's id and a JSON line.</param>
/// <param name="worker">The name the job shows for whoever runs it; null for the server itself.</param>
internal sealed class JobTraining(JobStore store, string painters, Action<string, string> publish, string? worker)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>As <see cref="JobPainting.Run"/>: runs the job to its end and returns its last record, stored.</summary>
    /// <exception cref="StyleTransferException">Bad settings, photos or paintings, or a painter of its name already there.</exception>
    public Job Run(Job job, CancellationToken cancel, CancellationToken stopping, (JobStatus Status, string? Error) whenStopped, Func<Job, Job> announce)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel, stopping);
        var request = TrainingRequest.FromJson(job.Settings);
        var output = store.FileOf(job.Id, "painter.onnx");
        var resume = File.Exists(PainterTraining.CheckpointFor(output));
        var photos = TrainingPhotos.Open(PhotoFolders.Resolve(store.DataFolder, request.Photos), _ => { });
        var sources = store.SourcesOf(job).Paintings;
        var paintings = sources.Select((p, i) => (i < request.Paintings.Count ? request.Paintings[i] : $"painting {i + 1}", p)).ToList();
        job = announce(store.Save(job with { Status = JobStatus.Running, Worker = worker, Error = null }));
        var preview = new PreviewWatch(Path.ChangeExtension(output, null) + ".preview.png");
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            job = job with { Iteration = p.Step, Iterations = p.Steps, Seconds = p.Elapsed.TotalSeconds, ResumedFrom = resume ? job.ResumedFrom ?? p.Step - 1 : null };
            store.Touch(job);
            publish(job.Id, JsonSerializer.Serialize(new { type = "progress", iteration = p.Step, iterations = p.Steps, content = p.Loss.Content, style = p.Loss.Style, tv = p.Loss.TotalVariation, total = p.Loss.Total, seconds = p.Elapsed.TotalSeconds, workDone = (double)p.Step / p.Steps, remaining = p.Remaining.TotalSeconds }, Json));
            if (preview.Changed())
            {
                ImageFile.WriteAtomically(store.FileOf(job.Id, "latest.png"), picture =>
                {
                    using var written = File.OpenRead(preview.File);
                    written.CopyTo(picture);
                }, "the picture so far");
                job = store.Save(job with { HasPicture = true });
                publish(job.Id, JsonSerializer.Serialize(new { type = "picture", iteration = p.Step }, Json));
            }
        });
        var result = PainterTraining.Train(paintings, photos, request.Options with { Resume = resume }, output, progress, stop.Token);
        if (result.Stopped)
        {
            return store.Save(stopping.IsCancellationRequested ? job with { Status = whenStopped.Status, Error = whenStopped.Error } : job with { Status = JobStatus.Cancelled });
        }

        if (!PaintersFolder.Put(painters, request.Painter, output))
        {
            throw new StyleTransferException($"there is a painter {request.Painter} already; this one stays in the job's folder as painter.onnx");
        }

        return store.Save(job with { Status = JobStatus.Done, Size = request.Painter });
    }

    // The preview the training writes every few steps, noticed when it changes.
    private sealed class PreviewWatch(string file)
    {
        private DateTime seen;

        public string File { get; } = file;

        public bool Changed()
        {
            var written = System.IO.File.Exists(File) ? System.IO.File.GetLastWriteTimeUtc(File) : default;
            var changed = written != seen;
            seen = written;
            return changed;
        }
    }
}
