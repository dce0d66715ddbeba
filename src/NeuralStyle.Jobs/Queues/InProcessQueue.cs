using System.Collections.Concurrent;
using System.Threading.Channels;

namespace NeuralStyle.Jobs.Queues;

/// <summary>
/// Runs the queued jobs in this process, one at a time (one device), keeping the network loaded from
/// one job to the next while they use the same one. Jobs still waiting in the store when it starts are
/// queued first, oldest first.
/// </summary>
/// <param name="store">The jobs.</param>
/// <param name="events">Where each job's events go.</param>
/// <param name="weights">This process's VGG-19 file; null: the PyTorch cache's.</param>
/// <param name="painters">The painters folder that a training job's painter joins; null: DATA/painters.</param>
public sealed class InProcessQueue(JobStore store, JobEvents events, string? weights, string? painters = null) : IJobQueue
{
    private readonly Channel<string> queue = Channel.CreateUnbounded<string>();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> running = new();
    private readonly NetworkShelf networks = new(weights);

    /// <inheritdoc/>
    public Task EnqueueAsync(Job job)
    {
        queue.Writer.TryWrite(job.Id);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
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

    /// <inheritdoc/>
    public void Dispose() => networks.Dispose();

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken stop)
    {
        foreach (var waiting in store.All.Where(j => j.Status == JobStatus.Queued).OrderBy(j => j.Created))
        {
            await EnqueueAsync(waiting);
        }

        var painting = new JobPainting(store, networks, events.Publish, painters: painters);
        try
        {
            await foreach (var id in queue.Reader.ReadAllAsync(stop))
            {
                if (store.Find(id) is { Status: JobStatus.Queued } job)
                {
                    await Task.Run(() => Run(painting, job, stop), CancellationToken.None);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The process is stopping; a job that was running has been marked interrupted.
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
