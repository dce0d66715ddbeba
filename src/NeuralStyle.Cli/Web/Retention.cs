using NeuralStyle.Jobs;

namespace NeuralStyle.Cli.Web;

/// <summary>Deletes finished jobs older than the server keeps them (<see cref="ServeSettings.Keep"/>): at the start, then every hour.</summary>
internal sealed class Retention(JobStore store, ServeSettings settings) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Keep is not { } keep)
        {
            return;
        }

        using var hourly = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                if (store.DeleteFinishedBefore(DateTimeOffset.UtcNow - keep) is > 0 and var count)
                {
                    Console.Error.WriteLine($"neural-style: deleted {count} finished job(s) posted more than {keep.TotalDays:0.##} days ago");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A folder that cannot be deleted now is tried again in an hour; the server goes on.
                Console.Error.WriteLine($"neural-style: cannot delete an old job ({e.Message})");
            }
        }
        while (await Wait(hourly, stoppingToken));
    }

    private static async Task<bool> Wait(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
