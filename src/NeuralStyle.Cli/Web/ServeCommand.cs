using System.CommandLine;
using System.Security.Cryptography;
using NeuralStyle.Jobs.Queues;

namespace NeuralStyle.Cli.Web;

/// <summary><c>neural-style serve [--urls URL] [--data DIR] [--weights FILE] [--queue redis://HOST:PORT]</c>: the web app.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Address(es) to listen on, separated by ';'. Beyond the loopback the server requires the access token it prints.", DefaultValueFactory = _ => "http://127.0.0.1:5000" };
        var data = new Option<string>("--data") { Description = "Folder for jobs, their pictures and results.", DefaultValueFactory = _ => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "neural-style") };
        var weights = new Option<string?>("--weights") { Description = "VGG-19 weight file for the jobs that use VGG-19 (default: torchvision's file in the PyTorch cache). Clients choose only the network." };
        var queue = new Option<string?>("--queue") { Description = "Put the jobs on this Redis (redis://[USER:PASSWORD@]HOST:PORT, rediss:// for TLS; or the password in NEURAL_STYLE_REDIS_PASSWORD) for `neural-style worker`s to run, instead of running them here." };
        var maxIterations = new Option<int>("--max-iterations") { Description = "The most iterations a job may ask for.", DefaultValueFactory = _ => 10_000 };
        var command = new Command("serve", "Serves the web app: drop a photo and paintings, watch the picture form, keep every result.") { urls, data, weights, queue, maxIterations };
        command.SetAction(result => StyleCommand.Guarded(() => Run(result.GetValue(urls)!, result.GetValue(data)!, result.GetValue(weights), result.GetValue(queue), result.GetValue(maxIterations))));
        return command;
    }

    private static int Run(string urls, string data, string? weights, string? queue, int maxIterations)
    {
        if (maxIterations < 1)
        {
            throw new StyleTransferException($"--max-iterations must be at least 1 (got {maxIterations})");
        }

        if (weights is not null && !File.Exists(weights))
        {
            throw new StyleTransferException($"--weights {weights}: no such file");
        }

        var token = ServeSettings.IsLoopbackOnly(urls) ? null : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        WebApplication app;
        try
        {
            app = WebApp.Build(new ServeSettings(urls, data, token) { Weights = weights is null ? null : Path.GetFullPath(weights), Queue = queue, MaxIterations = maxIterations });
            app.Start();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or UriFormatException or FormatException or InvalidOperationException)
        {
            throw new StyleTransferException($"serve: cannot start ({e.Message})", e);
        }

        foreach (var address in app.Urls)
        {
            var where = queue is null ? $"jobs in {Path.GetFullPath(data)}" : $"jobs in {Path.GetFullPath(data)}, run by the workers of {RedisQueue.Printable(queue)}";
            Console.Error.WriteLine(token is null ? $"neural-style: serving {address} ({where})" : $"neural-style: serving {address}/?token={token} ({where})");
        }

        app.WaitForShutdown();
        return 0;
    }
}
