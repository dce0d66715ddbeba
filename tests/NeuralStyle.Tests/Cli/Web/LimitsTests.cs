using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NeuralStyle.Cli.Web.Users;
using NeuralStyle.Images;
using NeuralStyle.Jobs;

namespace NeuralStyle.Tests.Cli.Web;

// What an operator bounds (serve --max-waiting, --max-memory, --keep-days) and how jobs leave: deleted, or paged through.
public sealed class LimitsTests
{
    private const string Small = """{ "network": "resnet18", "size": 48, "iterations": 4, "seed": 1 }""";
    private const string Long = """{ "network": "resnet18", "size": 48, "iterations": 10000, "seed": 1 }""";

    [Fact]
    public async Task GivenOneJobAPerson_WhenAPersonWithARunningJobPostsAnother_ThenItIsRefusedWith429WhileAnotherPersonIsTaken()
    {
        using var folder = new TempFolder();
        var users = new UserStore(folder.Path);
        var (ana, ben) = (users.Add("ana", admin: false), users.Add("ben", admin: false));
        await using var server = await TestServer.Start(folder.Path, limits: s => s with { MaxWaiting = 1 });
        using var asAna = server.ClientWith(ana);
        using var asBen = server.ClientWith(ben);

        var first = await asAna.PostAsync("/api/jobs", TestServer.Form(Long));
        var second = await asAna.PostAsync("/api/jobs", TestServer.Form(Long));
        var bens = await asBen.PostAsync("/api/jobs", TestServer.Form(Long));
        var anas = await TestServer.IdOf(first);
        await asAna.PostAsync($"/api/jobs/{anas}/cancel", null);
        await asBen.PostAsync($"/api/jobs/{await TestServer.IdOf(bens)}/cancel", null);
        await asAna.GetStringAsync($"/api/jobs/{anas}/events");
        var afterCancelling = await asAna.PostAsync("/api/jobs", TestServer.Form(Small));

        Assert.Equal((HttpStatusCode.Created, (HttpStatusCode)429, HttpStatusCode.Created), (first.StatusCode, second.StatusCode, bens.StatusCode));
        Assert.StartsWith("you have 1 jobs waiting or running, and this server takes 1 a person at once", await TestServer.ErrorOf(second), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, afterCancelling.StatusCode);
        Assert.Equal(3, Directory.GetDirectories(Path.Combine(folder.Path, "jobs")).Length);
    }

    // A post counts from when it arrives: six together, against a limit of two, cannot all pass the
    // check before any of them is stored.
    [Fact]
    public async Task GivenALimitOfTwo_WhenSixPostsArriveTogether_ThenTwoAreTakenAndFourRefusedWith429()
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path, limits: s => s with { MaxWaiting = 2 });

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => server.Client.PostAsync("/api/jobs", TestServer.Form(Long))));
        foreach (var created in answers.Where(a => a.StatusCode == HttpStatusCode.Created))
        {
            await server.Client.PostAsync($"/api/jobs/{await TestServer.IdOf(created)}/cancel", null);
        }

        Assert.Equal(2, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(4, answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task GivenAFinishedAndARunningJob_WhenEachIsDeleted_ThenTheFinishedOneIsGoneWithItsFolderAndTheRunningOneIsRefusedWith409()
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path);
        var done = await TestServer.IdOf(await server.Client.PostAsync("/api/jobs", TestServer.Form(Small)));
        await server.Client.GetStringAsync($"/api/jobs/{done}/events");
        var running = await TestServer.IdOf(await server.Client.PostAsync("/api/jobs", TestServer.Form(Long)));

        var deleted = await server.Client.DeleteAsync($"/api/jobs/{done}");
        var refused = await server.Client.DeleteAsync($"/api/jobs/{running}");
        await server.Client.PostAsync($"/api/jobs/{running}/cancel", null);

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.Conflict), (deleted.StatusCode, refused.StatusCode));
        Assert.EndsWith("; cancel it before deleting it", await TestServer.ErrorOf(refused), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "jobs", done)));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"/api/jobs/{done}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.DeleteAsync($"/api/jobs/{done}")).StatusCode);
    }

    [Fact]
    public async Task GivenFiveFinishedJobs_WhenListedTwoAtATime_ThenThePagesFollowEachOtherNewestFirstAndTheLastHasNoNext()
    {
        using var folder = new TempFolder();
        var made = Finished(folder.Path, [.. Enumerable.Range(1, 5).Select(d => DateTimeOffset.UtcNow.AddMinutes(-d))]);
        await using var server = await TestServer.Start(folder.Path);

        var seen = new List<string>();
        var pages = 0;
        for (var next = "/api/jobs?limit=2"; next is not null; pages++)
        {
            var response = await server.Client.GetAsync(next);
            seen.AddRange((await response.Content.ReadFromJsonAsync<JsonElement[]>())!.Select(j => j.GetProperty("job").GetProperty("id").GetString()!));
            next = response.Headers.TryGetValues("Link", out var link) ? link.Single().Split('<', '>')[1] : null;
        }

        Assert.Equal(made, seen);
        Assert.Equal(3, pages);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.GetAsync("/api/jobs?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.GetAsync("/api/jobs?limit=many")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.GetAsync("/api/jobs?before=nosuchjob")).StatusCode);
    }

    [Fact]
    public async Task GivenFinishedJobsOlderAndNewerThanTheServerKeepsThem_WhenItStarts_ThenTheOldOnesAreDeletedAndTheNewOnesKept()
    {
        using var folder = new TempFolder();
        var made = Finished(folder.Path, [DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(-40), DateTimeOffset.UtcNow.AddDays(-31)]);
        await using var server = await TestServer.Start(folder.Path, limits: s => s with { Keep = TimeSpan.FromDays(30) });

        for (var i = 0; i < 100 && Directory.GetDirectories(Path.Combine(folder.Path, "jobs")).Length > 1; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal([made[0]], Directory.GetDirectories(Path.Combine(folder.Path, "jobs")).Select(Path.GetFileName));
        Assert.Equal([made[0]], (await server.Client.GetFromJsonAsync<JsonElement[]>("/api/jobs"))!.Select(j => j.GetProperty("job").GetProperty("id").GetString()));
    }

    [Fact]
    public async Task GivenAMemoryLimitPerJob_WhenAJobTooLargeForItAndASmallOneArePosted_ThenTheLargeIsRefusedAndTheSmallCarriesTheLimit()
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path, limits: s => s with { MaxMemory = 1L << 30 });

        var large = await server.Client.PostAsync("/api/jobs", TestServer.Form("""{ "network": "resnet18", "size": 3000, "iterations": 4 }"""));
        var small = await server.Client.PostAsync("/api/jobs", TestServer.Form(Small));
        var id = await TestServer.IdOf(small);
        var settings = StyleTransferSettings.FromJson(await server.Client.GetStringAsync($"/api/jobs/{id}/settings"));
        await server.Client.GetStringAsync($"/api/jobs/{id}/events");

        Assert.Equal(HttpStatusCode.BadRequest, large.StatusCode);
        Assert.Matches(@"^size 3000 \(3000x2250\) needs about .* but 0\.[0-9] GiB is available", await TestServer.ErrorOf(large));
        Assert.Equal(1L << 30, settings.MaxMemory);
        Assert.Equal("Done", (await server.Client.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}")).GetProperty("job").GetProperty("status").GetString());
    }

    // Finished jobs stored as if posted at these times; their ids, newest first.
    private static List<string> Finished(string data, IReadOnlyList<DateTimeOffset> posted)
    {
        var store = new JobStore(data);
        var photo = ImageFile.Load(TestImages.PhotoPath, 32);
        var styles = new StyleSources([ImageFile.Load(TestImages.PaintingPath, 32)]);
        var jobs = posted.Select(when => store.Save(store.Create(photo, styles, new StyleTransferOptions { Size = 32 }) with { Created = when, Status = JobStatus.Done })).ToList();
        return [.. jobs.OrderByDescending(j => j.Created).Select(j => j.Id)];
    }

}
