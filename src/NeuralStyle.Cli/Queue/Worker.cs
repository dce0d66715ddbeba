using System.Diagnostics;
using NeuralStyle.Cli.Web;
using StackExchange.Redis;

namespace NeuralStyle.Cli.Queue;

/// <summary>
/// Takes the jobs of a Redis queue one at a time and paints them into the shared data folder, keeping
/// its network loaded between jobs that use the same one. A job's entry is acknowledged only after its
/// result and its record are stored; while it paints, the worker renews its claim, so that only the
/// job of a worker that died is taken over by another (after the visibility timeout).
/// </summary>
internal sealed class Worker(RedisQueue queue, JobStore store, NetworkShelf networks, Worker.Settings settings)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private readonly Lock gate = new();
    private (string Id, CancellationTokenSource Cancel)? current;
    private bool queueAway;

    /// <summary>Takes and runs jobs until <paramref name="stop"/>; a job in progress then waits on the queue for another worker.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        await Retried(() => queue.OnCancelAsync(CancelIfRunning), stop);
        var painting = new JobPainting(store, networks, Publish, settings.Name);
        Console.Error.WriteLine($"neural-style: worker {settings.Name} takes jobs from {queue.Address} (results in {store.Root})");
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
        var job = store.ReadFromDisk(delivery.JobId);
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

        Console.Error.WriteLine($"neural-style: job {job.Id}: running (delivery {delivery.Deliveries}{(job.Worker is { } before && before != settings.Name ? $", taken over from {before}" : "")})");
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
        Console.Error.WriteLine($"neural-style: job {job.Id}: {finished.Status.ToString().ToLowerInvariant()} in {clock.Elapsed.TotalSeconds:0.0} s{(finished.Error is null ? "" : $" ({finished.Error})")}");
    }

    // A worker asked to stop puts its job back at the end of the queue at once; if Redis is away, the
    // entry stays pending and another worker takes it over after the visibility timeout.
    private async Task GiveBack(Job job, RedisQueue.Delivery delivery)
    {
        try
        {
            await queue.AddAsync(job.Id);
            await queue.AcknowledgeAsync(delivery.EntryId);
            Console.Error.WriteLine($"neural-style: job {job.Id}: back on the queue for another worker");
        }
        catch (Exception e) when (RedisQueue.IsUnreachable(e))
        {
            Console.Error.WriteLine($"neural-style: job {job.Id}: left pending; another worker takes it over after {settings.Visibility.TotalSeconds:0} s");
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
                    Console.Error.WriteLine($"neural-style: the queue at {queue.Address} is back");
                    queueAway = false;
                }

                return result;
            }
            catch (Exception e) when (RedisQueue.IsUnreachable(e))
            {
                if (!queueAway)
                {
                    Console.Error.WriteLine($"neural-style: the queue at {queue.Address} cannot be reached ({RedisQueue.Reason(e)}); trying again every second");
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

    /// <summary>A worker's name (as jobs show it), how long a job it does not renew stays its own, and how many deliveries a job gets before it is failed.</summary>
    public sealed record Settings(string Name, TimeSpan Visibility, int Tries);
}
