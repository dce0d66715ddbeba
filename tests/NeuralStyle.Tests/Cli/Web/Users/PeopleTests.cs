using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NeuralStyle.Cli.Web.Users;

namespace NeuralStyle.Tests.Cli.Web.Users;

// A server with users: each person reaches only their own jobs, an admin every job, and nobody without a token.
public sealed class PeopleTests
{
    private const string Small = """{ "network": "resnet18", "size": 48, "iterations": 4, "seed": 1 }""";

    [Fact]
    public async Task GivenTwoPeopleAndAnAdmin_WhenEachReachesForTheJobs_ThenEachGetsOnlyTheirOwnAndTheAdminGetsAll()
    {
        using var folder = new TempFolder();
        var users = new UserStore(folder.Path);
        var (ana, ben, root) = (users.Add("ana", admin: false), users.Add("ben", admin: false), users.Add("root", admin: true));
        await using var server = await TestServer.Start(folder.Path);
        using var asAna = server.ClientWith(ana);
        using var asBen = server.ClientWith(ben);
        using var asRoot = server.ClientWith(root);

        var anas = await Posted(asAna);
        var bens = await Posted(asBen);

        var reaches = new List<HttpResponseMessage>();
        foreach (var path in new[] { "", "/result", "/photo", "/latest", "/paintings/0", "/settings", "/events" })
        {
            reaches.Add(await asBen.GetAsync($"/api/jobs/{anas}{path}"));
        }

        reaches.Add(await asBen.PostAsync($"/api/jobs/{anas}/cancel", null));
        reaches.Add(await asBen.DeleteAsync($"/api/jobs/{anas}"));
        Assert.All(reaches, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        var startFromAnas = TestServer.Form(Small);
        startFromAnas.Add(new StringContent(anas), "startFrom");
        Assert.Equal(HttpStatusCode.BadRequest, (await asBen.PostAsync("/api/jobs", startFromAnas)).StatusCode);

        Assert.Equal([bens], await Listed(asBen));
        Assert.Equal([anas], await Listed(asAna));
        Assert.Equal(new[] { anas, bens }.Order(), (await Listed(asRoot)).Order());
        Assert.Equal(HttpStatusCode.OK, (await asRoot.GetAsync($"/api/jobs/{anas}/result")).StatusCode);
        var record = (await asAna.GetFromJsonAsync<JsonElement>($"/api/jobs/{anas}")).GetProperty("job");
        Assert.Equal("ana", record.GetProperty("owner").GetString());
        var me = await asBen.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(("ben", false), (me.GetProperty("name").GetString(), me.GetProperty("admin").GetBoolean()));
    }

    [Fact]
    public async Task GivenAServerWithUsersOnTheLoopback_WhenARequestComesWithoutATokenOrWithAnUnknownOne_ThenItIsRefusedWith401()
    {
        using var folder = new TempFolder();
        var ana = new UserStore(folder.Path).Add("ana", admin: false);
        await using var server = await TestServer.Start(folder.Path);
        using var stranger = server.ClientWith(ana[..^1] + (ana[^1] == '0' ? '1' : '0'));
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.Address };

        var answers = new[]
        {
            await server.Client.GetAsync("/"),
            await server.Client.GetAsync("/api/jobs"),
            await server.Client.PostAsync("/api/jobs", TestServer.Form(Small)),
            await stranger.GetAsync("/api/jobs"),
            await noRedirects.GetAsync("/?token=guess"),
        };
        var signIn = await noRedirects.GetAsync($"/?token={ana}");

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        Assert.StartsWith("this server needs your own access token", (await answers[1].Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(answers[4].Headers.Contains("Set-Cookie"), "a token that stands for nobody was kept as a cookie");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"neural_style_token={ana}", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(Directory.GetDirectories(Path.Combine(folder.Path, "jobs")));
    }

    [Fact]
    public async Task GivenTheUsersCommand_WhenPeopleAreAddedListedAndRemoved_ThenOnlyHashesAreKeptAndARemovedTokenStopsWorkingAtOnce()
    {
        using var folder = new TempFolder();
        var token = Output(["users", "add", "ana", "--data", folder.Path]).Single();
        Assert.Equal(0, CliProcess.Run(["users", "add", "root", "--admin", "--data", folder.Path]).ExitCode);
        await using var server = await TestServer.Start(folder.Path);
        using var asAna = server.ClientWith(token);
        var before = await asAna.GetAsync("/api/jobs");

        var listed = Output(["users", "list", "--data", folder.Path]);
        var again = CliProcess.Run(["users", "add", "ana", "--data", folder.Path]);
        var oddName = CliProcess.Run(["users", "add", "../ana", "--data", folder.Path]);
        var removed = CliProcess.Run(["users", "remove", "ana", "--data", folder.Path]);
        var after = await asAna.GetAsync("/api/jobs");
        var removedTwice = CliProcess.Run(["users", "remove", "ana", "--data", folder.Path]);

        Assert.Matches("^[0-9a-f]{64}$", token);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(["ana\tuser", "root\tadmin"], listed.Select(l => string.Join('\t', l.Split('\t')[..2])));
        Assert.DoesNotContain(token, File.ReadAllText(Path.Combine(folder.Path, "users.json")), StringComparison.Ordinal);
        Assert.Equal((1, "neural-style: users: ana exists already (remove them first to give them a new token)"), (again.ExitCode, Assert.Single(again.Errors)));
        Assert.Equal(1, oddName.ExitCode);
        Assert.Single(oddName.Errors);
        Assert.Equal(0, removed.ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(1, removedTwice.ExitCode);
    }

    private static IReadOnlyList<string> Output(string[] args)
    {
        using var cli = CliProcess.Start(args);
        Assert.Equal(0, cli.WaitForExit());
        return cli.OutputLines;
    }

    private static async Task<string> Posted(HttpClient client)
    {
        var created = await client.PostAsync("/api/jobs", TestServer.Form(Small));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("job").GetProperty("id").GetString()!;
        await client.GetStringAsync($"/api/jobs/{id}/events");
        return id;
    }

    private static async Task<string[]> Listed(HttpClient client) =>
        [.. (await client.GetFromJsonAsync<JsonElement[]>("/api/jobs"))!.Select(j => j.GetProperty("job").GetProperty("id").GetString()!)];
}
