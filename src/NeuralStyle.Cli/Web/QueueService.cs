using NeuralStyle.Jobs.Queues;

namespace NeuralStyle.Cli.Web;

/// <summary>Runs the server's job queue for as long as the server runs.</summary>
internal sealed class QueueService(IJobQueue queue) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => queue.RunAsync(stoppingToken);
}
