using Microsoft.Playwright;
using NeuralStyle.Cli.Web.Users;
using NeuralStyle.Images;
using NeuralStyle.Jobs;

namespace NeuralStyle.Tests.Cli.Web;

// What a person sees: the page of `neural-style serve` in headless Chromium (Debian's `chromium`,
// which tests/run.sh installs), driven by Playwright.
public sealed class PageTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const float Patience = 120_000;

    [Fact]
    public async Task GivenThePage_WhenAPersonUploadsStartsWatchesCancelsRunsToTheEndDownloadsAndReloads_ThenEachStepShows()
    {
        Assert.True(File.Exists(Chromium), $"Chromium is not installed at {Chromium}: the browser tests need Debian's chromium package (apt-get install chromium; tests/run.sh installs it)");
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.Path);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
        var page = await browser.NewPageAsync(new() { AcceptDownloads = true, ViewportSize = new() { Width = 1200, Height = 1000 } });
        page.SetDefaultTimeout(Patience);
        await page.GotoAsync(server.Address.ToString());

        // Upload, with thumbnails; a long job so that there is time to watch it.
        await page.SetInputFilesAsync("#photo-input", TestImages.PhotoPath);
        await page.SetInputFilesAsync("#painting-input", [TestImages.PaintingPath, SharedData.Image("the_scream.jpg")]);
        Assert.Equal(2, await page.Locator("#painting-thumbs img").CountAsync());
        await page.FillAsync("input[name=size]", "128");
        await page.FillAsync("input[name=iterations]", "10000");
        await page.SelectOptionAsync("select[name=network]", "resnet18");
        await page.ClickAsync("#start");

        // Progress and the picture so far arrive, and the picture is refreshed as it forms (the job's
        // iterations count every scale's 10000).
        await page.WaitForFunctionAsync("() => /iteration \\d+ of [1-9]0000\\b/.test(document.querySelector('#progress').textContent)");
        await page.WaitForFunctionAsync("() => document.querySelector('#live').naturalWidth > 0");
        var firstPicture = await page.GetAttributeAsync("#live", "src");
        await page.WaitForFunctionAsync("src => document.querySelector('#live').getAttribute('src') !== src", firstPicture);
        Directory.CreateDirectory(Path.Combine(SharedData.RepositoryRoot, "TestResults"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(SharedData.RepositoryRoot, "TestResults", "web-app.png"), FullPage = true });

        // A second tab shows the running job too.
        var second = await browser.NewPageAsync();
        second.SetDefaultTimeout(Patience);
        await second.GotoAsync(server.Address.ToString());
        await second.WaitForFunctionAsync("() => document.querySelector('#status').textContent === 'running' && document.querySelector('#progress').textContent.includes('iteration')");
        await second.CloseAsync();

        // Cancel.
        await page.ClickAsync("#cancel");
        await page.WaitForFunctionAsync("() => document.querySelector('#status').textContent === 'cancelled'");

        // Run one to the end, download its result.
        await page.FillAsync("input[name=iterations]", "8");
        await page.ClickAsync("#start");
        await page.WaitForFunctionAsync("() => document.querySelector('#status').textContent === 'done'");
        await page.WaitForSelectorAsync("#gallery li a.download");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#gallery li a.download"));
        var saved = folder.File("downloaded.png");
        await download.SaveAsAsync(saved);
        var picture = ImageFile.Load(saved);
        Assert.Equal((128, 96), (picture.Width, picture.Height));

        // Reload: both jobs are in the gallery, newest first.
        await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#gallery li').length === 2");
        var items = await page.Locator("#gallery li .meta").AllInnerTextsAsync();
        Assert.Contains("· done ·", items[0], StringComparison.Ordinal);
        Assert.Contains("· cancelled ·", items[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenAServerWithUsers_WhenAPersonOpensTheAddressWithTheirTokenPaintsAndDeletes_ThenThePageNamesThemAndShowsOnlyTheirJobs()
    {
        Assert.True(File.Exists(Chromium), $"Chromium is not installed at {Chromium}: the browser tests need Debian's chromium package (apt-get install chromium; tests/run.sh installs it)");
        using var folder = new TempFolder();
        var users = new UserStore(folder.Path);
        var ana = users.Add("ana", admin: false);
        var store = new JobStore(folder.Path);
        var bens = store.Save(store.Create(ImageFile.Load(TestImages.PhotoPath, 32), new StyleSources([ImageFile.Load(TestImages.PaintingPath, 32)]), new StyleTransferOptions { Size = 32 }, owner: "ben") with { Status = JobStatus.Done });
        await using var server = await TestServer.Start(folder.Path);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 1000 } });
        page.SetDefaultTimeout(Patience);

        var refused = await page.GotoAsync(server.Address.ToString());
        Assert.Equal(401, refused!.Status);
        await page.GotoAsync($"{server.Address}?token={ana}");
        await page.WaitForFunctionAsync("() => document.querySelector('#who').textContent === 'Signed in as ana'");
        Assert.Equal(server.Address.ToString(), page.Url);

        await page.SetInputFilesAsync("#photo-input", TestImages.PhotoPath);
        await page.SetInputFilesAsync("#painting-input", TestImages.PaintingPath);
        await page.FillAsync("input[name=size]", "64");
        await page.FillAsync("input[name=iterations]", "6");
        await page.SelectOptionAsync("select[name=network]", "resnet18");
        await page.ClickAsync("#start");
        await page.WaitForFunctionAsync("() => document.querySelector('#status').textContent === 'done'");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#gallery li').length === 1");
        var mine = await page.GetAttributeAsync("#gallery li", "data-job");
        Assert.NotEqual(bens.Id, mine);

        await page.ClickAsync("#gallery li button.delete");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#gallery li').length === 0");
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "jobs", mine!)));
        Assert.True(Directory.Exists(Path.Combine(folder.Path, "jobs", bens.Id)));
    }

    [Fact]
    public async Task GivenTheServersPhotos_WhenAPersonTrainsAPainterFromThePage_ThenItsStepsShowAndThePainterJoinsTheLists()
    {
        Assert.True(File.Exists(Chromium), $"Chromium is not installed at {Chromium}: the browser tests need Debian's chromium package (apt-get install chromium; tests/run.sh installs it)");
        using var folder = new TempFolder();
        FastPainters.TinyPainter.PhotoFolder(folder.File("photos"), "samples");
        await using var server = await TestServer.Start(folder.Path);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 1000 } });
        page.SetDefaultTimeout(Patience);
        await page.GotoAsync(server.Address.ToString());

        await page.SetInputFilesAsync("#painting-input", TestImages.PaintingPath);
        await page.ClickAsync("#training summary");
        await page.FillAsync("#train-name", "bad/name");
        await page.ClickAsync("#train");
        await page.WaitForFunctionAsync("() => document.querySelector('#train-error').textContent !== ''");
        var refused = await page.TextContentAsync("#train-error");
        await page.FillAsync("#train-name", "quick");
        await page.FillAsync("#train-iterations", "12");
        await page.FillAsync("#train-size", "64");
        await page.ClickAsync("#train");
        await page.WaitForFunctionAsync("() => /^step \\d+ of 12 /.test(document.querySelector('#progress').textContent)");
        await page.WaitForFunctionAsync("() => document.querySelector('#status').textContent === 'done'");
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#live-painter option')].some(o => o.value === 'quick')");
        await page.WaitForSelectorAsync("#gallery li a.download");

        Assert.Equal("'bad/name' cannot name a painter: 1 to 64 letters, digits, '-' or '_'", refused);
        Assert.Equal("all (4 photos)", await page.TextContentAsync("#train-photos option"));
        Assert.Contains("12/12 steps", await page.TextContentAsync("#gallery li .meta"), StringComparison.Ordinal);
        Assert.Equal("/api/painters/quick/file", await page.GetAttributeAsync("#gallery li a.download", "href"));
        Assert.True(File.Exists(Path.Combine(folder.Path, "painters", "quick.onnx")));
    }
}
