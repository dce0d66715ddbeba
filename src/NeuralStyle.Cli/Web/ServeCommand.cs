using System.CommandLine;
using System.Security.Cryptography;
using NeuralStyle.Cli.Web.Users;
using NeuralStyle.Jobs.Queues;

namespace NeuralStyle.Cli.Web;

/// <summary><c>neural-style serve [--urls URL] [--data DIR] [--weights FILE] [--queue redis://HOST:PORT]</c>: the web app.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Address(es) to listen on, separated by ';'. Beyond the loopback the server requires the access token it prints.", DefaultValueFactory = _ => "http://127.0.0.1:5000" };
        var data = DataOption();
        var weights = new Option<string?>("--weights") { Description = "VGG-19 weight file for the jobs that use VGG-19 (default: torchvision's file in the PyTorch cache). Clients choose only the network." };
        var queue = new Option<string?>("--queue") { Description = "Put the jobs on this Redis (redis://[USER:PASSWORD@]HOST:PORT, rediss:// for TLS; or the password in NEURAL_STYLE_REDIS_PASSWORD) for `neural-style worker`s to run, instead of running them here." };
        var maxIterations = new Option<int>("--max-iterations") { Description = "The most iterations a job may ask for.", DefaultValueFactory = _ => 10_000 };
        var maxMegapixels = new Option<double>("--max-megapixels") { Description = "The most pixels an uploaded picture may have, in millions.", DefaultValueFactory = _ => 40 };
        var maxMemory = new Option<double?>("--max-memory") { Description = "The most memory one job may take, in GiB: a larger one is tiled, or refused when it is posted [default: what is free]." };
        var maxWaiting = new Option<int>("--max-waiting") { Description = "The most jobs one person may have waiting or running at once (without users, everyone together).", DefaultValueFactory = _ => 100 };
        var keepDays = new Option<double>("--keep-days") { Description = "Days a finished job is kept after it was posted; 0: for ever.", DefaultValueFactory = _ => 30 };
        var painters = new Option<string?>("--painters") { Description = "Folder of trained painters (.onnx) that the page offers, each painting a photo at once [default: DATA/painters]." };
        var command = new Command("serve", "Serves the web app: drop a photo and paintings, watch the picture form, keep every result.") { urls, data, weights, queue, maxIterations, maxMegapixels, maxMemory, maxWaiting, keepDays, painters };
        command.SetAction(result => StyleCommand.Guarded(() =>
        {
            var limits = Limits(result.GetValue(maxIterations), result.GetValue(maxMegapixels), result.GetValue(maxMemory), result.GetValue(maxWaiting), result.GetValue(keepDays));
            var paintersFolder = result.GetValue(painters) is { } folder ? Path.GetFullPath(folder) : null;
            var operatorLimits = limits;
            limits = s => operatorLimits(s) with { Painters = paintersFolder };
            return Run(result.GetValue(urls)!, result.GetValue(data)!, result.GetValue(weights), result.GetValue(queue), limits);
        }));
        return command;
    }

    /// <summary>The data folder of the server (<c>--data</c>), which <c>users</c> takes too.</summary>
    public static Option<string> DataOption() => new("--data") { Description = "Folder for jobs, their pictures and results, and the server's users.", DefaultValueFactory = _ => ServeSettings.DefaultDataFolder };

    // The operator's limits as settings of their own, each refused in one line when it is impossible.
    private static Func<ServeSettings, ServeSettings> Limits(int maxIterations, double maxMegapixels, double? maxMemory, int maxWaiting, double keepDays)
    {
        static void Require(bool holds, string message)
        {
            if (!holds)
            {
                throw new StyleTransferException(message);
            }
        }

        Require(maxIterations >= 1, $"--max-iterations must be at least 1 (got {maxIterations})");
        Require(maxMegapixels is > 0 and <= 1000, $"--max-megapixels must be above 0 and at most 1000 (got {maxMegapixels})");
        Require(maxMemory is null or (>= 1 and <= 1 << 20), $"--max-memory must be at least 1 GiB (got {maxMemory})");
        Require(maxWaiting >= 1, $"--max-waiting must be at least 1 (got {maxWaiting})");
        Require(keepDays is >= 0 and <= 36500, $"--keep-days must be from 0 (for ever) to 36500 (got {keepDays})");
        return s => s with
        {
            MaxPixels = (long)(maxMegapixels * 1e6),
            MaxIterations = maxIterations,
            MaxMemory = maxMemory is { } gib ? (long)(gib * (1L << 30)) : null,
            MaxWaiting = maxWaiting,
            Keep = keepDays == 0 ? null : TimeSpan.FromDays(keepDays),
        };
    }

    private static int Run(string urls, string data, string? weights, string? queue, Func<ServeSettings, ServeSettings> limits)
    {
        if (weights is not null && !File.Exists(weights))
        {
            throw new StyleTransferException($"--weights {weights}: no such file");
        }

        var people = new UserStore(data).All.Count;
        var token = ServeSettings.IsLoopbackOnly(urls) || people > 0 ? null : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        WebApplication app;
        try
        {
            app = WebApp.Build(limits(new ServeSettings(urls, data, token) { Weights = weights is null ? null : Path.GetFullPath(weights), Queue = queue }));
            app.Start();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or UriFormatException or FormatException or InvalidOperationException)
        {
            throw new StyleTransferException($"serve: cannot start ({e.Message})", e);
        }

        foreach (var address in app.Urls)
        {
            var where = queue is null ? $"jobs in {Path.GetFullPath(data)}" : $"jobs in {Path.GetFullPath(data)}, run by the workers of {RedisQueue.Printable(queue)}";
            Console.Error.WriteLine(
                people > 0 ? $"neural-style: serving {address} to {people} user(s), each with their own token ({where})"
                : token is null ? $"neural-style: serving {address} ({where})"
                : $"neural-style: serving {address}/?token={token} ({where})");
        }

        app.WaitForShutdown();
        return 0;
    }
}
