using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NeuralStyle.Images;

namespace NeuralStyle.Tests.Cli.Web;

// The HTTP API of `neural-style serve`, in process over real HTTP on 127.0.0.1.
public sealed class JobsApiTests
{
    private const string Small = """{ "network": "resnet18", "size": 48, "iterations": 6, "seed": 1 }""";
    private const string Long = """{ "network": "resnet18", "size": 48, "iterations": 10000, "seed": 1 }""";

    [Fact]
    public async Task GivenAPhotoAndAPainting_WhenAJobIsPostedAndRuns_ThenItsEventsResultAndSettingsAreServed()
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path);

        var created = await server.Client.PostAsync("/api/jobs", TestServer.Form(Small));
        var id = await TestServer.IdOf(created);
        var events = await server.Client.GetStringAsync($"/api/jobs/{id}/events");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var lines = events.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l["data: ".Length..]).RootElement).ToList();
        var final = lines[^1];
        Assert.Equal("Done", final.GetProperty("job").GetProperty("status").GetString());
        File.WriteAllBytes(folder.File("result.png"), await server.Client.GetByteArrayAsync($"/api/jobs/{id}/result"));
        var picture = ImageFile.Load(folder.File("result.png"));
        Assert.Equal((48, 36), (picture.Width, picture.Height));
        var settings = StyleTransferSettings.FromJson(await server.Client.GetStringAsync($"/api/jobs/{id}/settings"));
        Assert.Equal((48, 6, 1), (settings.Size, settings.Iterations, settings.Seed));
        var list = await server.Client.GetFromJsonAsync<JsonElement>("/api/jobs");
        Assert.Equal(id, list[0].GetProperty("job").GetProperty("id").GetString());
    }

    [Fact]
    public async Task GivenAJobThatRuns_WhenItsEventsAreFollowed_ThenEachIterationComesAsProgressAndPicturesComeEveryFew()
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path);

        var id = await TestServer.IdOf(await server.Client.PostAsync("/api/jobs", TestServer.Form("""{ "network": "resnet18", "size": 48, "iterations": 12 }""")));
        var events = (await server.Client.GetStringAsync($"/api/jobs/{id}/events")).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l["data: ".Length..]).RootElement).ToList();

        // A job that ends before the page listens shows its end only; one that runs shows each step.
        var progress = events.Where(e => e.GetProperty("type").GetString() == "progress").Select(e => e.GetProperty("iteration").GetInt32()).ToList();
        var pictures = events.Where(e => e.GetProperty("type").GetString() == "picture").Select(e => e.GetProperty("iteration").GetInt32()).ToList();
        Assert.True(progress.Count == 0 || progress.SequenceEqual(Enumerable.Range(progress[0], progress.Count)), string.Join(",", progress));
        Assert.All(pictures, i => Assert.Equal(0, i % 5));
    }

    [Fact]
    public async Task GivenAJobRecordEditedIntoNonsense_WhenTheServerStarts_ThenThatJobIsLeftOutAndTheOthersAreServed()
    {
        using var folder = new TempFolder();
        string done;
        await using (var server = await TestServer.Start(folder.Path))
        {
            done = await TestServer.IdOf(await server.Client.PostAsync("/api/jobs", TestServer.Form(Small)));
            await server.Client.GetStringAsync($"/api/jobs/{done}/events");
        }

        Directory.CreateDirectory(Path.Combine(folder.Path, "jobs", "broken"));
        File.WriteAllText(Path.Combine(folder.Path, "jobs", "broken", "job.json"), "{ not json");
        await using var restarted = await TestServer.Start(folder.Path);

        var jobs = await restarted.Client.GetFromJsonAsync<JsonElement[]>("/api/jobs");
        Assert.Equal([done], jobs!.Select(j => j.GetProperty("job").GetProperty("id").GetString()));
    }

    [Fact]
    public async Task GivenAFinishedJob_WhenANewOneStartsFromIt_ThenItStartsFromThatJobsResult()
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path);
        var first = await TestServer.IdOf(await server.Client.PostAsync("/api/jobs", TestServer.Form(Small)));
        await server.Client.GetStringAsync($"/api/jobs/{first}/events");

        var again = await server.Client.PostAsync("/api/jobs", StartingFrom(first));
        var second = await TestServer.IdOf(again);
        await server.Client.GetStringAsync($"/api/jobs/{second}/events");

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var settings = StyleTransferSettings.FromJson(await server.Client.GetStringAsync($"/api/jobs/{second}/settings"));
        Assert.Equal(Path.Combine(folder.Path, "jobs", first, "result.png"), settings.Init!.Path);
        Assert.Equal("Done", await StatusOf(server, second));
    }

    [Fact]
    public async Task GivenMasksOrACoarsePainting_WhenPosted_ThenTheJobKeepsThemAndRunsWithThem()
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path);

        var masked = await TestServer.IdOf(await server.Client.PostAsync("/api/jobs", WithFiles(("mask", SharedData.Sample("chelsea-face-mask.png")))));
        var coarse = await TestServer.IdOf(await server.Client.PostAsync("/api/jobs", WithFiles(("coarse", SharedData.Image("the_scream.jpg")))));
        await server.Client.GetStringAsync($"/api/jobs/{masked}/events");
        await server.Client.GetStringAsync($"/api/jobs/{coarse}/events");

        Assert.Equal(("Done", "Done"), (await StatusOf(server, masked), await StatusOf(server, coarse)));
        Assert.True(File.Exists(Path.Combine(folder.Path, "jobs", masked, "mask-0.png")));
        Assert.True(File.Exists(Path.Combine(folder.Path, "jobs", coarse, "coarse.png")));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://localhost:5000;http://[::1]:5001", true)]
    [InlineData("http://0.0.0.0:5000", false)]
    [InlineData("http://127.0.0.1:5000;http://192.168.1.20:5000", false)]
    public void GivenTheAddressesToListenOn_WhenTheServerStarts_ThenItRequiresATokenExactlyWhenOneIsBeyondTheLoopback(string urls, bool loopbackOnly)
    {
        Assert.Equal(loopbackOnly, NeuralStyle.Cli.Web.ServeSettings.IsLoopbackOnly(urls));
    }

    [Fact]
    public async Task GivenAnUploadLargerThanTheLimit_WhenPosted_ThenItIsRefusedWith413AndAMessage()
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path, maxUploadBytes: 50_000);

        var response = await server.Client.PostAsync("/api/jobs", TestServer.Form(Small));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("the upload is larger than this server takes (0 MiB in all)", await TestServer.ErrorOf(response));
        Assert.Empty(await server.Client.GetFromJsonAsync<JsonElement[]>("/api/jobs") ?? []);
    }

    [Fact]
    public async Task GivenAServerWithItsOwnWeights_WhenAJobAsksForVgg19_ThenItPaintsWithThoseAndItsStoredSettingsNameNoFile()
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path, weights: SharedData.TestWeights);

        var id = await TestServer.IdOf(await server.Client.PostAsync("/api/jobs", TestServer.Form("""{ "network": "vgg19", "size": 32, "iterations": 2, "seed": 1 }""")));
        await WaitFor(server, id, "Done");

        var stored = await server.Client.GetStringAsync($"/api/jobs/{id}/settings");
        Assert.DoesNotContain("weightsPath", stored, StringComparison.Ordinal);
        Assert.Equal(NeuralStyle.Networks.NetworkKind.Vgg19, StyleTransferSettings.FromJson(stored).Network);
    }

    [Fact]
    public async Task GivenAQueueThatCannotBeReached_WhenAJobIsPosted_ThenItIsRefusedWith503AndNoJobIsKept()
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path, queue: $"redis://127.0.0.1:{Queue.RedisServer.FreePort()}");

        var response = await server.Client.PostAsync("/api/jobs", TestServer.Form(Small));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.StartsWith("the queue at redis://127.0.0.1:", await TestServer.ErrorOf(response), StringComparison.Ordinal);
        Assert.Empty(await server.Client.GetFromJsonAsync<JsonElement[]>("/api/jobs") ?? []);
        Assert.Empty(Directory.GetDirectories(Path.Combine(folder.Path, "jobs")));
    }

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "json", "a job is posted as multipart/form-data (photo, painting, settings), with its boundary" },
        { "no boundary", "a job is posted as multipart/form-data (photo, painting, settings), with its boundary" },
        { "cut short", "the upload is not a well-formed multipart body (" },
        { "too many parts", "the upload has more parts than this server takes (1024)" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task GivenABodyThatIsNoWellFormedForm_WhenPosted_ThenItIsAClientErrorInOneJsonLine(string kind, string expected)
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path);
        HttpContent body = kind switch
        {
            "json" => JsonContent.Create(new { size = 64 }),
            "no boundary" => Typed(new StringContent("--b\r\n"), "multipart/form-data"),
            "cut short" => Typed(new StringContent("--b\r\nContent-Disposition: form-data; name=\"settings\"\r\n\r\n{}"), "multipart/form-data; boundary=b"),
            _ => ManyParts(1100),
        };

        var response = await server.Client.PostAsync("/api/jobs", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(expected, await TestServer.ErrorOf(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenADataFolderOnAFullDisk_WhenAJobIsPosted_ThenItIsRefusedWith507AndTheServerGoesOn()
    {
        using var folder = new TempFolder();
        using var disk = new Tmpfs(folder.File("data"), 1 << 20);
        await using var server = await TestServer.Start(disk.Folder);

        var response = await server.Client.PostAsync("/api/jobs", TestServer.Form(Small));

        Assert.Equal(HttpStatusCode.InsufficientStorage, response.StatusCode);
        Assert.StartsWith("the server's disk is full: 1 MiB free in its data folder, and a job needs 256 MiB", await TestServer.ErrorOf(response), StringComparison.Ordinal);
        Assert.Empty(await server.Client.GetFromJsonAsync<JsonElement[]>("/api/jobs") ?? []);
    }

    [Fact]
    public async Task GivenADiskThatFillsWhileAJobPaints_WhenItSavesItsPicture_ThenTheJobFailsSayingWhyAndTheServerAnswersTheNextRequest()
    {
        using var folder = new TempFolder();
        using var disk = new Tmpfs(folder.File("data"), 2 << 20);
        await using var server = await TestServer.Start(disk.Folder, minFreeBytes: 0);
        var id = await TestServer.IdOf(await server.Client.PostAsync("/api/jobs", TestServer.Form(Long)));

        disk.Fill();
        await WaitFor(server, id, "Failed");

        var job = (await server.Client.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}")).GetProperty("job");
        Assert.Contains("No space left on device", job.GetProperty("error").GetString(), StringComparison.Ordinal);
        var next = await server.Client.PostAsync("/api/jobs", TestServer.Form(Small));
        Assert.Equal(HttpStatusCode.InsufficientStorage, next.StatusCode);
        Assert.StartsWith("the server's disk is full: 0 MiB free", await TestServer.ErrorOf(next), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadUploads => new()
    {
        { "text", "photo: not an image that can be decoded (PNG, JPEG, WebP, GIF or BMP)" },
        { "pixels", "photo: 1024×768 pixels is more than the 0.5 megapixels this server takes" },
        { "no painting", "painting: no painting was sent" },
        { "bad settings", "settings: " },
        { "impossible option", "size must be at least 16 (got 4)" },
        { "init file", "settings: init may be noise, content or style here (to start from a picture, use startFrom with a job)" },
        { "init in the store's disguise", "settings: init may be noise, content or style here (to start from a picture, use startFrom with a job)" },
        { "iterations beyond the limit", "iterations 2147483647 is more than this server runs (at most 10000)" },
        { "no such start", "startFrom: job nothing has no picture to start from" },
        { "masks", "mask was given 2 times for 1 painting; give one mask per painting, in their order" },
        { "weights path", "settings: weightsPath is not taken from a client; this server's weights are its own (serve --weights, or the PyTorch cache)" },
        { "size that cannot fit", "size 100000 (100000x66519) needs about " },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task GivenABadUpload_WhenPosted_ThenItIsRefusedWith400AndAMessageAndNoJobIsMade(string kind, string expected)
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path, maxPixels: 500_000);
        var text = folder.File("notes.png");
        File.WriteAllText(text, "not a picture");
        var form = kind switch
        {
            "text" => Form(text),
            "no painting" => new MultipartFormDataContent { { TestServer.File(TestImages.PhotoPath), "photo", "a.jpg" } },
            "bad settings" => TestServer.Form("""{ "size": "big" }"""),
            "impossible option" => TestServer.Form("""{ "size": 4 }"""),
            "init file" => TestServer.Form("""{ "init": "/etc/passwd" }"""),
            "init in the store's disguise" => TestServer.Form($$"""{ "init": "{{Secret(folder)}}" }"""),
            "weights path" => TestServer.Form("""{ "network": "vgg19", "weightsPath": "/etc/passwd" }"""),
            "size that cannot fit" => Form(SharedData.Sample("chelsea.png"), """{ "network": "resnet18", "size": 100000 }""", SharedData.Sample("ihc.png")),
            "iterations beyond the limit" => TestServer.Form("""{ "iterations": 2147483647 }"""),
            "no such start" => StartingFrom("nothing"),
            "masks" => WithFiles(("mask", SharedData.Sample("chelsea-face-mask.png")), ("mask", SharedData.Sample("chelsea-around-mask.png"))),
            _ => TestServer.Form(Small),
        };

        var response = await server.Client.PostAsync("/api/jobs", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(expected, await TestServer.ErrorOf(response), StringComparison.Ordinal);
        Assert.Empty(await server.Client.GetFromJsonAsync<JsonElement[]>("/api/jobs") ?? []);
    }

    [Fact]
    public async Task GivenAHostHeaderThisServerDoesNotAnswerTo_WhenAnyRequestComes_ThenItIsRefusedWith400()
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
        request.Headers.Host = "attacker.example";

        var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("this server does not answer to the host 'attacker.example'", await TestServer.ErrorOf(response));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/api/jobs")).StatusCode);
    }

    [Theory]
    [InlineData("Origin", "http://attacker.example")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    public async Task GivenAPostFromAnotherSite_WhenItComes_ThenItIsRefusedWith403AndNoJobIsMade(string header, string value)
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = TestServer.Form(Small) };
        request.Headers.Add(header, value);

        var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("requests from another site are refused", await TestServer.ErrorOf(response));
        Assert.Empty(await server.Client.GetFromJsonAsync<JsonElement[]>("/api/jobs") ?? []);
    }

    [Fact]
    public async Task GivenAServerWithAToken_WhenARequestComesWithoutIt_ThenItIsRefusedWith401AndWithItAnswered()
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path, token: "secret");

        var without = await server.Client.GetAsync("/api/jobs");
        var page = await server.Client.GetAsync("/");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
        request.Headers.Authorization = new("Bearer", "secret");
        var with = await server.Client.SendAsync(request);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.OK), (without.StatusCode, page.StatusCode, with.StatusCode));
        Assert.StartsWith("this server needs the access token it printed at its start", await TestServer.ErrorOf(without), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenTheTokenInAnAddressWhosePathNamesAnotherSite_WhenOpened_ThenTheRedirectStaysOnThisServer()
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path, token: "secret");
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };

        var response = await client.GetAsync(new Uri($"{server.Address.GetLeftPart(UriPartial.Authority)}//evil.example/x?token=secret"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/evil.example/x", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task GivenAnyAnswer_WhenItsHeadersAreRead_ThenThePageIsKeptToItsOwnScriptsOutOfFramesAndUnsniffed()
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path);

        foreach (var path in new[] { "/", "/app.js", "/camera.js", "/ort/ort.min.mjs", "/api/jobs", "/api/jobs/nothing" })
        {
            var response = await server.Client.GetAsync(path);
            Assert.Equal("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'", string.Join(',', response.Headers.GetValues("Content-Security-Policy")));
            Assert.Equal("same-origin", string.Join(',', response.Headers.GetValues("Cross-Origin-Opener-Policy")));
            Assert.Equal("require-corp", string.Join(',', response.Headers.GetValues("Cross-Origin-Embedder-Policy")));
            Assert.Equal("DENY", string.Join(',', response.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("nosniff", string.Join(',', response.Headers.GetValues("X-Content-Type-Options")));
        }
    }

    [Fact]
    public async Task GivenFileNamesThatLookLikePaths_WhenUploaded_ThenTheJobKeepsItsPicturesUnderItsOwnNamesAndNothingIsWrittenElsewhere()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");
        await using var server = await TestServer.Start(data);

        var response = await server.Client.PostAsync("/api/jobs", TestServer.Form(Small, photoName: "../../escaped.png"));
        var id = await TestServer.IdOf(response);
        await server.Client.GetStringAsync($"/api/jobs/{id}/events");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty(Directory.GetFiles(folder.Path, "escaped*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), "escaped*"));
        Assert.Equal(["job.json", "latest.png", "painting-0.png", "photo.png", "result.png", "settings.json"], Directory.GetFiles(Path.Combine(data, "jobs", id)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GivenJobsWaitingAndRunning_WhenCancelled_ThenTheRunningOneStopsTheWaitingOneLeavesTheQueueAndAFinishedOneIsAConflict()
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path);
        var running = await TestServer.IdOf(await server.Client.PostAsync("/api/jobs", TestServer.Form(Long)));
        var waiting = await server.Client.PostAsync("/api/jobs", TestServer.Form(Long));
        var waitingId = await TestServer.IdOf(waiting);
        await WaitFor(server, running, "Running");

        var position = (await server.Client.GetFromJsonAsync<JsonElement>($"/api/jobs/{waitingId}")).GetProperty("queuePosition").GetInt32();
        var cancelWaiting = await server.Client.PostAsync($"/api/jobs/{waitingId}/cancel", null);
        var cancelRunning = await server.Client.PostAsync($"/api/jobs/{running}/cancel", null);
        await server.Client.GetStringAsync($"/api/jobs/{running}/events");
        var again = await server.Client.PostAsync($"/api/jobs/{running}/cancel", null);

        Assert.Equal(1, position);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Conflict), (cancelWaiting.StatusCode, cancelRunning.StatusCode, again.StatusCode));
        Assert.Equal($"job {running} has already finished (cancelled)", await TestServer.ErrorOf(again));
        Assert.Equal("Cancelled", await StatusOf(server, waitingId));
        Assert.Equal("Cancelled", await StatusOf(server, running));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.PostAsync("/api/jobs/nothing/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task GivenAFinishedJobAndARunningOne_WhenTheServerStopsAndStartsAgain_ThenTheResultIsStillServedAndTheRunningOneIsInterruptedWithItsPicture()
    {
        using var folder = new TempFolder();
        string done, interrupted;
        await using (var server = await TestServer.Start(folder.Path))
        {
            done = await TestServer.IdOf(await server.Client.PostAsync("/api/jobs", TestServer.Form(Small)));
            await server.Client.GetStringAsync($"/api/jobs/{done}/events");
            interrupted = await TestServer.IdOf(await server.Client.PostAsync("/api/jobs", TestServer.Form(Long)));
            await WaitFor(server, interrupted, "Running", picture: true);
        }

        await using var restarted = await TestServer.Start(folder.Path);

        Assert.Equal("Done", await StatusOf(restarted, done));
        Assert.Equal(HttpStatusCode.OK, (await restarted.Client.GetAsync($"/api/jobs/{done}/result")).StatusCode);
        var job = (await restarted.Client.GetFromJsonAsync<JsonElement>($"/api/jobs/{interrupted}")).GetProperty("job");
        Assert.Equal(("Interrupted", "the server stopped during the run"), (job.GetProperty("status").GetString(), job.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await restarted.Client.GetAsync($"/api/jobs/{interrupted}/latest")).StatusCode);
    }

    // The sample cat as the photo (within the pixel limit of the bad-upload tests), the painting, and more files.
    private static MultipartFormDataContent WithFiles(params (string Field, string Path)[] files)
    {
        var form = new MultipartFormDataContent
        {
            { TestServer.File(SharedData.Sample("chelsea.png")), "photo", "cat.png" },
            { TestServer.File(SharedData.Sample("ihc.png")), "painting", "p.png" },
            { new StringContent(Small), "settings" },
        };
        foreach (var (field, path) in files)
        {
            form.Add(TestServer.File(path), field, "x.jpg");
        }

        return form;
    }

    private static MultipartFormDataContent StartingFrom(string id)
    {
        var form = TestServer.Form(Small);
        form.Add(new StringContent(id), "startFrom");
        return form;
    }

    // A picture outside the data folder, named by a path that starts with the store's and climbs out
    // of it through a folder that is no job's: a text prefix check takes it for a job's picture.
    private static string Secret(TempFolder folder)
    {
        var secret = Path.Combine(folder.Path, "secret");
        Directory.CreateDirectory(secret);
        File.Copy(SharedData.Sample("chelsea.png"), Path.Combine(secret, "picture.png"), overwrite: true);
        return Path.Combine(folder.Path, "jobs", "..", "secret", ".", "picture.png");
    }

    private static MultipartFormDataContent Form(string photo, string settings = Small, string? painting = null) => new()
    {
        { TestServer.File(photo), "photo", "notes.png" },
        { TestServer.File(painting ?? TestImages.PaintingPath), "painting", "p.jpg" },
        { new StringContent(settings), "settings" },
    };

    private static HttpContent Typed(HttpContent content, string type)
    {
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        return content;
    }

    private static MultipartFormDataContent ManyParts(int count)
    {
        var form = new MultipartFormDataContent();
        for (var i = 0; i < count; i++)
        {
            form.Add(new StringContent("x", Encoding.UTF8), $"part{i}");
        }

        return form;
    }

    private static async Task<string> StatusOf(TestServer server, string id) =>
        (await server.Client.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}")).GetProperty("job").GetProperty("status").GetString()!;

    private static async Task WaitFor(TestServer server, string id, string status, bool picture = false)
    {
        for (var i = 0; i < 600; i++)
        {
            var job = (await server.Client.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}")).GetProperty("job");
            if (job.GetProperty("status").GetString() == status && (!picture || job.GetProperty("hasPicture").GetBoolean()))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"job {id} never reached {status}");
    }
}
