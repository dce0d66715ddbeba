using System.CommandLine;
using NeuralStyle.Jobs;
using NeuralStyle.Jobs.Queues;

namespace NeuralStyle.Cli.Queue;

/// <summary><c>neural-style worker --queue redis://HOST:PORT [--data DIR]</c>: runs the jobs that <c>serve --queue</c> puts on Redis.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var queue = new Option<string>("--queue") { Description = "The Redis that `serve --queue` puts the jobs on: redis://[USER:PASSWORD@]HOST:PORT, rediss:// for TLS (or the password in NEURAL_STYLE_REDIS_PASSWORD).", Required = true };
        var data = new Option<string>("--data") { Description = "The server's data folder, shared with it (the same path or a mount of it).", DefaultValueFactory = _ => Web.ServeSettings.DefaultDataFolder };
        var weights = new Option<string?>("--weights") { Description = "VGG-19 weight file for the jobs that use VGG-19 (default: torchvision's file in the PyTorch cache)." };
        var name = new Option<string>("--name") { Description = "The name jobs show for this worker.", DefaultValueFactory = _ => $"{Environment.MachineName}:{Environment.ProcessId}" };
        var visibility = new Option<double>("--visibility-timeout") { Description = "Seconds after which a job whose worker has stopped renewing it is taken over by another.", DefaultValueFactory = _ => 60 };
        var tries = new Option<int>("--tries") { Description = "Deliveries of a job before it is marked failed (a job whose worker dies each time).", DefaultValueFactory = _ => 3 };
        var painters = new Option<string?>("--painters") { Description = "The folder a trained painter is put in, as the server's --painters (default: DATA/painters)." };
        var command = new Command("worker", "Runs the jobs of a `serve --queue` server, taking them from Redis; start any number, on any machine that shares the data folder.") { queue, data, weights, name, visibility, tries, painters };
        command.SetAction(result => StyleCommand.Guarded(() => Run(
            result.GetValue(queue)!,
            result.GetValue(data)!,
            result.GetValue(weights),
            new Worker.Settings(result.GetValue(name)!, TimeSpan.FromSeconds(result.GetValue(visibility)), result.GetValue(tries), result.GetValue(painters) is { } folder ? Path.GetFullPath(folder) : null))));
        return command;
    }

    private static int Run(string address, string data, string? weights, Worker.Settings settings)
    {
        if (weights is not null && !File.Exists(weights))
        {
            throw new StyleTransferException($"--weights {weights}: no such file");
        }

        if (settings.Visibility < TimeSpan.FromSeconds(1) || settings.Tries < 1)
        {
            throw new StyleTransferException("--visibility-timeout must be at least 1 second and --tries at least 1");
        }

        using var stop = new StopSignals("neural-style: stopping; the job in progress goes back to the queue for another worker (Ctrl+C again quits at once)");
        using var queue = RedisQueue.Connect(address, $"neural-style-worker-{settings.Name}");
        using var networks = new NetworkShelf(weights is null ? null : Path.GetFullPath(weights));
        new Worker(queue, new JobStore(data, soleRunner: false), networks, settings, line => Console.Error.WriteLine($"neural-style: {line}")).RunAsync(stop.Token).GetAwaiter().GetResult();
        return stop.ExitCode;
    }
}
