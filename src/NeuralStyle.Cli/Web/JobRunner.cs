using System.Collections.Concurrent;
using System.Threading.Channels;

namespace NeuralStyle.Cli.Web;

/// <summary>
/// Runs the queued jobs in this process, one at a time (one device), keeping the network loaded from
/// one job to the next while they use the same one.
/// </summary>
internal sealed class JobRunner(JobStore store, JobEvents events, ServeSettings settings) : BackgroundService, IJobQueue
{
    private readonly Channel<string> queue = Channel.CreateUnbounded<string>();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> running = new();
    private readonly NetworkShelf networks = new(settings.Weights);

    public Task EnqueueAsync(Job job)
    {
        queue.Writer.TryWrite(job.Id);
        return Task.CompletedTask;
    }

    public Task<bool> CancelAsync(Job job)
    {
        if (running.TryGetValue(job.Id, out var stop))
        {
            stop.Cancel();
            return Task.FromResult(true);
        }

        if (job.Status == JobStatus.Queued)
        {
            events.Announce(store.Save(job with { Status = JobStatus.Cancelled }));
            return Task.FromResult(true);
        }

        return Task.FromResult(false);
    }

    public override void Dispose()
    {
        networks.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var waiting in store.All.Where(j => j.Status == JobStatus.Queued).OrderBy(j => j.Created))
        {
            await EnqueueAsync(waiting);
        }

        var painting = new JobPainting(store, networks, events.Publish);
        try
        {
            await foreach (var id in queue.Reader.ReadAllAsync(stoppingToken))
            {
                if (store.Find(id) is { Status: JobStatus.Queued } job)
                {
                    await Task.Run(() => Run(painting, job, stoppingToken), CancellationToken.None);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server is stopping; a job that was running has been marked interrupted.
        }
    }

    private void Run(JobPainting painting, Job job, CancellationToken stopping)
    {
        using var cancel = new CancellationTokenSource();
        running[job.Id] = cancel;
        try
        {
            painting.Run(job, cancel.Token, stopping, (JobStatus.Interrupted, "the server stopped during the run"));
        }
        finally
        {
            running.TryRemove(job.Id, out _);
        }

        events.Complete(job.Id);
    }
}
