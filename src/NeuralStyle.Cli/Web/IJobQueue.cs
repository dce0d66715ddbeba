namespace NeuralStyle.Cli.Web;

/// <summary>Where the server puts the jobs it takes: its own runner (<see cref="JobRunner"/>) or a Redis stream that workers read (<see cref="RedisJobQueue"/>).</summary>
internal interface IJobQueue
{
    /// <summary>Queues a stored job.</summary>
    /// <exception cref="StyleTransferException">The queue cannot be reached; the job is deleted.</exception>
    Task EnqueueAsync(Job job);

    /// <summary>Stops a running job after its current iteration, or takes a waiting one off the queue; false when it has finished.</summary>
    Task<bool> CancelAsync(Job job);
}
