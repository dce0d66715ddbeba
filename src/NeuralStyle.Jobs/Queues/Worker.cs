using System.Diagnostics;
using StackExchange.Redis;

namespace NeuralStyle.Jobs.Queues;

/// <summary>
/// Takes the jobs of a Redis queue one at a time and paints them into the shared data folder, keeping
/// its network loaded between jobs that use the same one. A job's entry is acknowledged only after its
/// result and its record are stored; while it paints, the worker renews its claim, so that only the
/// job of a worker that died is taken over by another (after the visibility timeout).
/// </summary>
/// <param name="queue">The Redis queue.</param>
/// <param name="store">The shared data folder's jobs.</param>
/// <param name="networks">The network kept between jobs, with this worker's weights.</param>
/// <param name="settings">The worker's name, visibility timeout and tries.</param>
/// <param name="say">Takes each line the worker reports (a job taken, finished, given back; the queue away or back).</param>
public sealed class Worker(RedisQueue queue, JobStore store, NetworkShelf networks, Worker.Settings settings, Action<string> say)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private readonly Lock gate = new();
    private (string Id, CancellationTokenSource Cancel)? current;
    private bool queueAway;

    /// <summary>Takes and runs jobs until <paramref name="stop"/>; a job in progress then waits on the queue for another worker.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        await Retried(() => queue.OnCancelAsync(CancelIfRunning), stop);
        var painting = new JobPainting(store, networks, Publish, settings.Name, settings.Painters);
        say($"worker {settings.Name} takes jobs from {queue.Address} (results in {store.Root})");
        while (!stop.IsCancellationRequested)
        {
            var delivery = await Retried(() => queue.TakeAsync(settings.Name, settings.Visibility), stop);
            if (delivery is null)
            {
                await Pause(Poll, stop);
            }
            else
            {
                await RunOne(painting, delivery, stop);
            }
        }
    }

    private async Task RunOne(JobPainting painting, RedisQueue.Delivery delivery, CancellationToken stop)
    {
        if (delivery.JobId is not { } id)
        {
            say($"stream entry {delivery.EntryId} names no job; moved to the dead letters (neural-style:dead)");
            return;
        }

        var job = store.ReadFromDisk(id);
        if (job is null)
        {
            say($"job {id}: no record of it under {store.Root} (or one that names another job); dropped");
        }

        if (job is null || job.Finished)
        {
            // Finished by a worker that died before acknowledging it, cancelled while it waited, or gone.
            await Retried(() => queue.AcknowledgeAsync(delivery.EntryId), stop);
            return;
        }

        store.Touch(job);
        if (delivery.Deliveries > settings.Tries)
        {
            painting.Announce(store.Save(job with { Status = JobStatus.Failed, Error = $"given up after {settings.Tries} {(settings.Tries == 1 ? "try" : "tries")}: its worker stopped each time" }));
            await Retried(() => queue.AcknowledgeAsync(delivery.EntryId), stop);
            return;
        }

        say($"job {job.Id}: running (delivery {delivery.Deliveries}{(job.Worker is { } before && before != settings.Name ? $", taken over from {before}" : "")})");
        var clock = Stopwatch.StartNew();
        using var cancel = new CancellationTokenSource();
        using var renewal = new CancellationTokenSource();
        lock (gate)
        {
            current = (job.Id, cancel);
        }

        var renewing = Renew(delivery.EntryId, renewal.Token);
        var finished = await Task.Run(() => painting.Run(job, cancel.Token, stop, (JobStatus.Queued, "its worker stopped; it waits for another")), CancellationToken.None);
        lock (gate)
        {
            current = null;
        }

        await renewal.CancelAsync();
        await renewing;
        if (finished.Status == JobStatus.Queued)
        {
            await GiveBack(job, delivery);
            return;
        }

        await Retried(() => queue.AcknowledgeAsync(delivery.EntryId), stop);
        say($"job {job.Id}: {finished.Status.ToString().ToLowerInvariant()} in {clock.Elapsed.TotalSeconds:0.0} s{(finished.Error is null ? "" : $" ({finished.Error})")}");
    }

    // A worker asked to stop puts its job back at the end of the queue at once; if Redis is away, the
    // entry stays pending and another worker takes it over after the visibility timeout.
    private async Task GiveBack(Job job, RedisQueue.Delivery delivery)
    {
        try
        {
            await queue.AddAsync(job.Id);
            await queue.AcknowledgeAsync(delivery.EntryId);
            say($"job {job.Id}: back on the queue for another worker");
        }
        catch (Exception e) when (RedisQueue.IsUnreachable(e))
        {
            say($"job {job.Id}: left pending; another worker takes it over after {settings.Visibility.TotalSeconds:0} s");
        }
    }

    // While the job paints, its entry's idle time is reset well within the visibility timeout.
    private async Task Renew(string entryId, CancellationToken done)
    {
        while (await Pause(settings.Visibility / 3, done))
        {
            try
            {
                await queue.RenewAsync(settings.Name, entryId);
            }
            catch (Exception e) when (RedisQueue.IsUnreachable(e))
            {
                // Redis is away; the entry cannot be taken over meanwhile either.
            }
        }
    }

    private void CancelIfRunning(string jobId)
    {
        lock (gate)
        {
            if (current is { } running && running.Id == jobId)
            {
                running.Cancel.Cancel();
            }
        }
    }

    // Events are sent as they come; one lost while Redis is away is made good by the stored record.
    private void Publish(string jobId, string json) =>
        queue.PublishEventAsync(jobId, json).ContinueWith(t => _ = t.Exception, TaskScheduler.Default);

    // A call to Redis, made again every second while Redis cannot be reached (said once); default after a stop.
    private async Task<T?> Retried<T>(Func<Task<T>> call, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var result = await call();
                if (queueAway)
                {
                    say($"the queue at {queue.Address} is back");
                    queueAway = false;
                }

                return result;
            }
            catch (Exception e) when (RedisQueue.IsUnreachable(e))
            {
                if (!queueAway)
                {
                    say($"the queue at {queue.Address} cannot be reached ({RedisQueue.Reason(e)}); trying again every second");
                    queueAway = true;
                }

                await Pause(TimeSpan.FromSeconds(1), stop);
            }
        }

        return default;
    }

    private Task Retried(Func<Task> call, CancellationToken stop) => Retried(async () =>
    {
        await call();
        return true;
    }, stop);

    // False when stopped first.
    private static async Task<bool> Pause(TimeSpan time, CancellationToken stop)
    {
        try
        {
            await Task.Delay(time, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>How a worker works.</summary>
    /// <param name="Name">The worker's name, as jobs show it.</param>
    /// <param name="Visibility">How long a job it does not renew stays its own.</param>
    /// <param name="Tries">How many deliveries a job gets before it is failed.</param>
    /// <param name="Painters">The painters folder that a training job's painter joins; null: DATA/painters.</param>
    public sealed record Settings(string Name, TimeSpan Visibility, int Tries, string? Painters = null);
}
