using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace NeuralStyle.Tests.Cli.Queue;

/// <summary>
/// <c>serve --queue</c> and <c>worker</c> as real processes around a real Redis (Debian's redis-server,
/// started here on a loopback port): workers that die, a Redis that restarts, a worker that comes
/// first, and a load of concurrent posts. In one class, so that these process-heavy tests run one
/// after another.
/// </summary>
public sealed class QueueTests(ITestOutputHelper output)
{
    private const string Short = """{ "network": "resnet18", "size": 32, "iterations": 10, "seed": 1 }""";
    private const string Long = """{ "network": "resnet18", "size": 48, "iterations": 250, "seed": 1 }""";

    [Fact]
    public async Task GivenTwoWorkers_WhenOneIsKilledMidJob_ThenTheOtherFinishesItAndEveryJobIsDoneOnceWithOneResult()
    {
        using var folder = new TempFolder();
        using var cluster = new QueueCluster(folder);
        cluster.StartServer();
        var a = cluster.StartWorker("a");
        var b = cluster.StartWorker("b");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await cluster.Post(Long));
        }

        await cluster.WaitUntil(jobs => jobs.Any(j => Is(j, "Running") && j.GetProperty("worker").GetString() == "a" && j.GetProperty("iteration").GetInt32() > 0), "a job under way on worker a");
        var killed = (await Task.WhenAll(ids.Select(cluster.Job))).First(j => j.GetProperty("worker").GetString() == "a" && Is(j, "Running")).GetProperty("id").GetString()!;
        a.Signal("KILL");
        await cluster.WaitUntil(jobs => jobs.All(j => Is(j, "Done")), "every job done");

        Assert.Equal("b", (await cluster.Job(killed)).GetProperty("worker").GetString());
        Assert.Contains(b.ErrorLines, l => l.Contains($"job {killed}: running (delivery 2, taken over from a)", StringComparison.Ordinal));
        Assert.All(ids, id => Assert.True(File.Exists(Path.Combine(cluster.Data, "jobs", id, "result.png")), $"job {id} has its result"));
        Assert.Equal(ids.Order(), cluster.Count("Done").Keys.Order());
        Assert.All(cluster.Count("Done").Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task GivenARedisThatRequiresAPassword_WhenTheServerHasItInItsAddressAndAWorkerInItsEnvironment_ThenTheJobIsDoneAndNoLineHoldsThePassword()
    {
        const string password = "s3cret-Pa55";
        using var folder = new TempFolder();
        using var cluster = new QueueCluster(folder, password);
        cluster.StartServer();
        var worker = cluster.StartWorker("guarded", address: cluster.Redis.PlainAddress, environment: new Dictionary<string, string?> { ["NEURAL_STYLE_REDIS_PASSWORD"] = password });

        var id = await cluster.Post(Short);
        await cluster.WaitUntil(jobs => jobs.All(j => Is(j, "Done")), "the job done");

        Assert.True(File.Exists(Path.Combine(cluster.Data, "jobs", id, "result.png")));
        Assert.Contains(cluster.Server!.ErrorLines, l => l.Contains($"run by the workers of {cluster.Redis.PlainAddress}", StringComparison.Ordinal));
        Assert.DoesNotContain(cluster.Server!.ErrorLines.Concat(worker.ErrorLines), l => l.Contains(password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenARedisThatSpeaksOnlyTlsWithAPassword_WhenTheServerAndAWorkerTrustItsIssuer_ThenTheJobIsDoneAndNoLineHoldsThePassword()
    {
        const string password = "tls-Pa55word";
        using var folder = new TempFolder();
        using var cluster = new QueueCluster(folder, password, tls: true);
        cluster.StartServer();
        var worker = cluster.StartWorker("encrypted");

        var id = await cluster.Post(Short);
        await cluster.WaitUntil(jobs => jobs.All(j => Is(j, "Done")), "the job done");

        Assert.StartsWith("rediss://", cluster.Redis.PlainAddress, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(cluster.Data, "jobs", id, "result.png")));
        Assert.Contains(cluster.Server!.ErrorLines, l => l.Contains($"run by the workers of {cluster.Redis.PlainAddress}", StringComparison.Ordinal));
        Assert.DoesNotContain(cluster.Server!.ErrorLines.Concat(worker.ErrorLines), l => l.Contains(password, StringComparison.Ordinal));
    }

    [Fact]
    public void GivenARedisThatSpeaksOnlyTls_WhenAWorkerDoesNotTrustItsIssuer_ThenItSaysInALineThatRedisCannotBeReachedAndTakesNoJob()
    {
        using var folder = new TempFolder();
        using var redis = new RedisServer(folder.File("redis"), tls: true);

        using var worker = CliProcess.Start(["worker", "--queue", redis.Address, "--data", folder.File("data")]);
        worker.WaitForErrorLine(l => l.Contains($"the queue at {redis.PlainAddress} cannot be reached", StringComparison.Ordinal), "the worker's line that it cannot reach Redis");

        Assert.DoesNotContain(worker.ErrorLines, l => l.Contains("takes jobs from", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenAStreamEntryWithoutAJob_WhenAWorkerTakesIt_ThenItGoesToTheDeadLettersWithOneLineAndTheNextJobIsStillDone()
    {
        using var folder = new TempFolder();
        using var cluster = new QueueCluster(folder);
        cluster.StartServer();
        var worker = cluster.StartWorker("only", tries: 1);
        using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(new Uri(cluster.Redis.Address).Authority);
        var poison = await redis.GetDatabase().StreamAddAsync("neural-style:jobs", "not-a-job", "x");

        var id = await cluster.Post(Short);
        await cluster.WaitUntil(jobs => jobs.All(j => Is(j, "Done")), "the job done");

        Assert.Single(worker.ErrorLines, l => l.Contains($"stream entry {poison} names no job; moved to the dead letters", StringComparison.Ordinal));
        Assert.Equal(1, await redis.GetDatabase().StreamLengthAsync("neural-style:dead"));
        Assert.False(worker.HasExited, "the worker goes on");
        Assert.True(File.Exists(Path.Combine(cluster.Data, "jobs", id, "result.png")));
    }

    [Fact]
    public async Task GivenTwoWorkers_WhenTheOneRunningAJobIsAskedToStop_ThenItPutsTheJobBackAtOnceAndTheOtherFinishesIt()
    {
        using var folder = new TempFolder();
        using var cluster = new QueueCluster(folder);
        cluster.StartServer();
        var workers = new Dictionary<string, ChildProcess> { ["a"] = cluster.StartWorker("a", visibilitySeconds: 600), ["b"] = cluster.StartWorker("b", visibilitySeconds: 600) };
        var id = await cluster.Post(Long);
        await cluster.WaitUntil(jobs => jobs.Any(j => Is(j, "Running") && j.GetProperty("iteration").GetInt32() > 0), "the job under way");
        var first = (await cluster.Job(id)).GetProperty("worker").GetString()!;
        var other = workers.Keys.Single(k => k != first);

        workers[first].Signal("TERM");
        await cluster.WaitUntil(jobs => jobs.All(j => Is(j, "Done")), "the job done by the other worker");

        Assert.Equal(143, workers[first].WaitForExit());
        Assert.Contains(workers[first].ErrorLines, l => l.Contains($"job {id}: back on the queue for another worker", StringComparison.Ordinal));
        Assert.Equal(other, (await cluster.Job(id)).GetProperty("worker").GetString());
    }

    [Fact]
    public async Task GivenOneTryPerJob_WhenTheWorkerRunningAJobIsKilled_ThenTheNextWorkerMarksItFailedInsteadOfRunningItAgain()
    {
        using var folder = new TempFolder();
        using var cluster = new QueueCluster(folder);
        cluster.StartServer();
        var workers = new Dictionary<string, ChildProcess> { ["a"] = cluster.StartWorker("a", tries: 1), ["b"] = cluster.StartWorker("b", tries: 1) };
        var id = await cluster.Post(Long);
        await cluster.WaitUntil(jobs => jobs.Any(j => Is(j, "Running") && j.GetProperty("iteration").GetInt32() > 0), "the job under way");
        var first = (await cluster.Job(id)).GetProperty("worker").GetString()!;

        workers[first].Signal("KILL");
        await cluster.WaitUntil(jobs => jobs.All(j => Is(j, "Failed")), "the job failed");

        Assert.Equal("given up after 1 try: its worker stopped each time", (await cluster.Job(id)).GetProperty("error").GetString());
        Assert.False(File.Exists(Path.Combine(cluster.Data, "jobs", id, "result.png")));
        Assert.Equal(1, cluster.Statuses.Count(s => s.Id == id && s.Status == "Running"));
    }

    [Fact]
    public async Task GivenAWorkerStartedBeforeTheServer_WhenRedisRestartsWithJobsWaiting_ThenTheWaitingJobsStillRun()
    {
        using var folder = new TempFolder();
        using var cluster = new QueueCluster(folder);
        var worker = cluster.StartWorker("first");
        cluster.StartServer();
        var early = await cluster.Post(Short);
        await cluster.WaitUntil(jobs => jobs.All(j => Is(j, "Done")), "the first job done");

        var busy = await cluster.Post(Long);
        await cluster.WaitUntil(jobs => jobs.Any(j => Is(j, "Running")), "the long job under way");
        var waiting = new[] { await cluster.Post(Short), await cluster.Post(Short) };
        Assert.All(await Task.WhenAll(waiting.Select(cluster.Job)), j => Assert.True(Is(j, "Queued")));
        cluster.Redis.Restart();
        await cluster.WaitUntil(jobs => jobs.All(j => Is(j, "Done")), "every job done after Redis restarted");

        Assert.All(new[] { early, busy }.Concat(waiting), id => Assert.True(File.Exists(Path.Combine(cluster.Data, "jobs", id, "result.png")), $"job {id} has its result"));
        Assert.All(new[] { early, busy }.Concat(waiting), id => Assert.Contains(worker.ErrorLines, l => l.Contains($"job {id}: done", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GivenAJobWaitingAndOneRunning_WhenBothAreCancelledThroughTheServer_ThenTheWorkerStopsOneAndNeverStartsTheOther()
    {
        using var folder = new TempFolder();
        using var cluster = new QueueCluster(folder);
        cluster.StartServer();
        cluster.StartWorker("only");
        var running = await cluster.Post(Long.Replace("400", "10000", StringComparison.Ordinal));
        var waiting = await cluster.Post(Short);
        await cluster.WaitUntil(jobs => jobs.Any(j => Is(j, "Running") && j.GetProperty("iteration").GetInt32() > 0), "the long job under way");

        Assert.True((await cluster.Client!.PostAsync($"/api/jobs/{waiting}/cancel", null)).IsSuccessStatusCode);
        Assert.True((await cluster.Client.PostAsync($"/api/jobs/{running}/cancel", null)).IsSuccessStatusCode);
        await cluster.WaitUntil(jobs => jobs.All(j => Is(j, "Cancelled")), "both jobs cancelled");
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.DoesNotContain(cluster.Statuses, s => s.Id == waiting && s.Status == "Running");
        Assert.True(Is(await cluster.Job(waiting), "Cancelled"));
    }

    [Fact]
    public async Task GivenTwoWorkers_WhenFourClientsPostThirtyJobsAtOnce_ThenEveryJobIsDoneOnceAndTheServersMemoryStaysFlat()
    {
        using var folder = new TempFolder();
        using var cluster = new QueueCluster(folder);
        var server = cluster.StartServer();
        cluster.StartWorker("w1", visibilitySeconds: 30);
        cluster.StartWorker("w2", visibilitySeconds: 30);
        await cluster.Post(Short);
        await cluster.WaitUntil(jobs => jobs.All(j => Is(j, "Done")), "the warm-up job");
        var before = ResidentMiB(server.Id);

        var clock = Stopwatch.StartNew();
        var posted = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async client =>
        {
            using var http = new HttpClient { BaseAddress = cluster.Client!.BaseAddress };
            for (var k = client; k < 30; k += 4)
            {
                var start = Stopwatch.GetTimestamp();
                posted[await cluster.Post(Short, http)] = start;
            }
        }));
        await cluster.WaitUntil(jobs => jobs.Length == 31 && jobs.All(j => Is(j, "Done")), "all 30 jobs done");
        var seconds = clock.Elapsed.TotalSeconds;
        var after = ResidentMiB(server.Id);

        Assert.Equal(30, posted.Count);
        var done = cluster.Count("Done");
        Assert.All(posted.Keys, id => Assert.Equal(1, done.GetValueOrDefault(id)));
        Assert.All(posted.Keys, id => Assert.Equal(1, cluster.Statuses.Count(s => s.Id == id && s.Status == "Running")));
        var waits = posted.Select(p => Stopwatch.GetElapsedTime(p.Value, cluster.Statuses.First(s => s.Id == p.Key && s.Status == "Running").At).TotalSeconds).Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"30 jobs in {seconds:0.0} s ({30 / seconds * 60:0} a minute) by 2 workers; post to start: median {waits[15]:0.0} s, longest {waits[^1]:0.0} s; server resident {before:0} MiB after the first job, {after:0} MiB after the 30"));
        Assert.True(after - before < 48, $"the server grew from {before:0} to {after:0} MiB over 30 jobs");
        Assert.True(cluster.Statuses.Where(s => s.Status == "Running").Select(s => s.Worker).Distinct().Count() == 2, "both workers took jobs");
    }

    [Fact]
    public async Task GivenThePageOfAQueueServer_WhenAPersonStartsAJobAndItsWorkerIsKilled_ThenThePageShowsItMoveToTheOtherWorkerAndFinish()
    {
        const string Chromium = "/usr/bin/chromium";
        Assert.True(File.Exists(Chromium), $"Chromium is not installed at {Chromium}: the browser tests need Debian's chromium package (apt-get install chromium; tests/run.sh installs it)");
        using var folder = new TempFolder();
        using var cluster = new QueueCluster(folder);
        cluster.StartServer();
        var workers = new Dictionary<string, ChildProcess> { ["left"] = cluster.StartWorker("left"), ["right"] = cluster.StartWorker("right") };
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 1000 } });
        page.SetDefaultTimeout(120_000);
        await page.GotoAsync(cluster.Client!.BaseAddress!.ToString());

        await page.SetInputFilesAsync("#photo-input", TestImages.PhotoPath);
        await page.SetInputFilesAsync("#painting-input", TestImages.PaintingPath);
        await page.FillAsync("input[name=size]", "64");
        await page.FillAsync("input[name=iterations]", "300");
        await page.SelectOptionAsync("select[name=network]", "resnet18");
        await page.ClickAsync("#start");
        await page.WaitForFunctionAsync("() => /^running on \\w+$/.test(document.querySelector('#status').textContent) && document.querySelector('#progress').textContent.includes('iteration')");
        var first = (await page.TextContentAsync("#status"))!["running on ".Length..];
        workers[first].Signal("KILL");
        var other = workers.Keys.Single(k => k != first);
        await page.WaitForFunctionAsync($"() => document.querySelector('#status').textContent === 'running on {other}'");
        await page.WaitForFunctionAsync($"() => document.querySelector('#status').textContent === 'done on {other}'");
        await page.WaitForSelectorAsync("#gallery li a.download");
        Directory.CreateDirectory(Path.Combine(SharedData.RepositoryRoot, "TestResults"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(SharedData.RepositoryRoot, "TestResults", "web-app-queue.png"), FullPage = true });

        Assert.Contains($"done on {other}", await page.TextContentAsync("#gallery li .meta"), StringComparison.Ordinal);
    }

    private static bool Is(JsonElement job, string status) => job.GetProperty("status").GetString() == status;

    private static double ResidentMiB(int process) =>
        double.Parse(File.ReadLines($"/proc/{process}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}
