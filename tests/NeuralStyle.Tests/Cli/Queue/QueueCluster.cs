using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using NeuralStyle.Jobs.Queues;
using NeuralStyle.Tests.Cli.Web;

namespace NeuralStyle.Tests.Cli.Queue;

/// <summary>
/// Real processes around one Redis: <c>neural-style serve --queue</c>, any number of
/// <c>neural-style worker</c>s on the same data folder, and a listener on the workers' events that
/// records every status a job was given, with the time it came.
/// </summary>
internal sealed class QueueCluster : IDisposable
{
    private readonly List<ChildProcess> processes = [];
    private readonly RedisQueue listener;

    public QueueCluster(TempFolder folder, string? password = null, bool tls = false)
    {
        Folder = folder;
        Redis = new RedisServer(folder.File("redis"), password, tls);
        Data = folder.File("data");
        listener = RedisQueue.Connect(Redis.Address, "test-listener", Redis.Issuer);
        listener.OnEventsAsync((id, json) =>
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.GetProperty("type").GetString() == "status")
            {
                var job = document.RootElement.GetProperty("job");
                Statuses.Enqueue((Stopwatch.GetTimestamp(), id, job.GetProperty("status").GetString()!, job.GetProperty("worker").GetString()));
            }
        }).GetAwaiter().GetResult();
    }

    public TempFolder Folder { get; }

    public RedisServer Redis { get; }

    public string Data { get; }

    public HttpClient? Client { get; private set; }

    public ChildProcess? Server { get; private set; }

    /// <summary>Every status the workers announced: when (a <see cref="Stopwatch"/> timestamp), for which job, which status, by which worker.</summary>
    public ConcurrentQueue<(long At, string Id, string Status, string? Worker)> Statuses { get; } = new();

    /// <summary>Starts <c>serve --queue</c> on a free port and waits until it serves.</summary>
    public ChildProcess StartServer()
    {
        var port = RedisServer.FreePort();
        Server = Started(["serve", "--urls", $"http://127.0.0.1:{port}", "--data", Data, "--queue", Redis.Address], "serving");
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        return Server;
    }

    /// <summary>
    /// Starts a worker named <paramref name="name"/> and waits until it takes jobs. Its visibility
    /// timeout is short, so that a killed worker's job moves soon, yet leaves a living worker (which
    /// renews every third of it) two renewals' slack on a machine busy with other tests.
    /// </summary>
    public ChildProcess StartWorker(string name, int visibilitySeconds = 5, int tries = 3, string? address = null, IReadOnlyDictionary<string, string?>? environment = null) =>
        Started(["worker", "--queue", address ?? Redis.Address, "--data", Data, "--name", name, "--visibility-timeout", visibilitySeconds.ToString(CultureInfo.InvariantCulture), "--tries", tries.ToString(CultureInfo.InvariantCulture)], "takes jobs from", environment);

    /// <summary>Posts a job of the test photo and painting with <paramref name="settings"/> and returns its id.</summary>
    public async Task<string> Post(string settings, HttpClient? client = null)
    {
        var response = await (client ?? Client!).PostAsync("/api/jobs", TestServer.Form(settings));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("job").GetProperty("id").GetString()!;
    }

    /// <summary>The job as the server shows it.</summary>
    public async Task<JsonElement> Job(string id) => (await Client!.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}")).GetProperty("job");

    /// <summary>Waits until <paramref name="done"/> holds of the server's job list (3 minutes at most).</summary>
    public async Task WaitUntil(Func<JsonElement[], bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!done((await Client!.GetFromJsonAsync<JsonElement[]>("/api/jobs"))!.Select(v => v.GetProperty("job")).ToArray()))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"waited 3 minutes for {what}; the server said:\n{string.Join('\n', Server!.ErrorLines)}");
            await Task.Delay(100);
        }
    }

    /// <summary>How many times each job was announced with <paramref name="status"/>.</summary>
    public Dictionary<string, int> Count(string status) => Statuses.Where(s => s.Status == status).GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.Count());

    public void Dispose()
    {
        Client?.Dispose();
        foreach (var process in processes)
        {
            process.Dispose();
        }

        listener.Dispose();
        Redis.Dispose();
    }

    private ChildProcess Started(string[] args, string ready, IReadOnlyDictionary<string, string?>? environment = null)
    {
        // With TLS, every process trusts the test's own certificate authority, as an organisation's would.
        var trusted = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>());
        if (Redis.Issuer is { } issuer)
        {
            trusted["NEURAL_STYLE_REDIS_CA"] = issuer;
        }

        var process = CliProcess.Start(args, trusted);
        processes.Add(process);
        process.WaitForErrorLine(l => l.Contains(ready, StringComparison.Ordinal), ready);
        return process;
    }
}
