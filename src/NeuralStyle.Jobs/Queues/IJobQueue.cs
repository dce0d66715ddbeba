namespace NeuralStyle.Jobs.Queues;

/// <summary>
/// Where the jobs a front end takes go: painted in this process, one at a time
/// (<see cref="InProcessQueue"/>), or put on Redis for workers on any machine that shares the data
/// folder (<see cref="RedisJobQueue"/>, and <see cref="Worker"/> on the other side).
/// </summary>
public interface IJobQueue : IDisposable
{
    /// <summary>Queues a stored job.</summary>
    /// <exception cref="StyleTransferException">The queue cannot be reached; the job is deleted.</exception>
    Task EnqueueAsync(Job job);

    /// <summary>Stops a running job after its current iteration, or takes a waiting one off the queue; false when it has finished.</summary>
    Task<bool> CancelAsync(Job job);

    /// <summary>Does the queue's work until <paramref name="stop"/>: paints the jobs, or follows what the workers report.</summary>
    Task RunAsync(CancellationToken stop);
}
