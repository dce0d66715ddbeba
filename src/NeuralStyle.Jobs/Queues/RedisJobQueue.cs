using System.Text.Json;
using StackExchange.Redis;

namespace NeuralStyle.Jobs.Queues;

/// <summary>
/// The server's side of a queue on Redis (<c>serve --queue</c>): each job goes on the stream for the
/// workers, cancellations go to them on a channel, and their events come back to the page through
/// <see cref="JobEvents"/>. The workers store each job's record in the shared data folder; the server
/// also reads the records of unfinished jobs from there every few seconds, so that an event lost while
/// Redis was away does not leave a job shown as running.
/// </summary>
/// <param name="store">The jobs, in the folder the workers share.</param>
/// <param name="events">Where the workers' events go.</param>
/// <param name="address">The Redis: <c>redis://HOST[:PORT]</c>.</param>
/// <exception cref="StyleTransferException">The address is not a redis:// address.</exception>
public sealed class RedisJobQueue(JobStore store, JobEvents events, string address) : IJobQueue
{
    private static readonly TimeSpan RereadEvery = TimeSpan.FromSeconds(2);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly RedisQueue queue = RedisQueue.Connect(address, $"neural-style-serve-{Environment.ProcessId}");

    /// <inheritdoc/>
    public async Task EnqueueAsync(Job job)
    {
        try
        {
            await queue.AddAsync(job.Id);
        }
        catch (Exception e) when (RedisQueue.IsUnreachable(e))
        {
            // The client is told no; the job it would have been is not kept.
            store.Delete(job.Id);
            throw new StyleTransferException($"the queue at {queue.Address} cannot be reached ({RedisQueue.Reason(e)})", e);
        }
    }

    /// <inheritdoc/>
    public async Task<bool> CancelAsync(Job job)
    {
        if (job.Finished)
        {
            return false;
        }

        if (job.Status == JobStatus.Queued)
        {
            // A worker that takes it now finds it cancelled and leaves it.
            Remember(store.Save(job with { Status = JobStatus.Cancelled }));
        }

        await queue.CancelAsync(job.Id);
        return true;
    }

    /// <inheritdoc/>
    public void Dispose() => queue.Dispose();

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var listening = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Redis may come up after the server; the subscription, once made, is kept across reconnections.
            listening = listening || await Subscribed();
            foreach (var job in store.All.Where(j => !j.Finished).ToList())
            {
                if (store.ReadFromDisk(job.Id) is { } stored && stored.Status != job.Status && store.Find(job.Id)?.Status == job.Status)
                {
                    Remember(stored);
                }
            }

            try
            {
                await Task.Delay(RereadEvery, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> Subscribed()
    {
        try
        {
            await queue.OnEventsAsync(Received);
            return true;
        }
        catch (Exception e) when (RedisQueue.IsUnreachable(e))
        {
            return false;
        }
    }

    // A worker's event: the page gets it as it is; a status also updates the record the list shows.
    private void Received(string id, string json)
    {
        if (store.Find(id) is not { } known)
        {
            return;
        }

        try
        {
            Forward(known, id, json);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Not an event a worker of this version sends: the record on disk still tells the job's state.
        }
    }

    private void Forward(Job known, string id, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        switch (root.GetProperty("type").GetString())
        {
            case "status":
                Remember(root.GetProperty("job").Deserialize<Job>(Json)!);
                return;
            case "progress" when !known.Finished:
                store.Touch(known with { Iteration = root.GetProperty("iteration").GetInt32(), Iterations = root.GetProperty("iterations").GetInt32(), Seconds = root.GetProperty("seconds").GetDouble() });
                break;
        }

        events.Publish(id, json);
    }

    private void Remember(Job job)
    {
        store.Touch(job);
        events.Announce(job);
    }
}
