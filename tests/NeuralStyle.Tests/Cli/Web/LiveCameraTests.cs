using System.Text.Json;
using Microsoft.Playwright;
using NeuralStyle.Cli.Web;
using NeuralStyle.Networks;
using NeuralStyle.Tests.FastPainters;

namespace NeuralStyle.Tests.Cli.Web;

// The page's live camera in headless Chromium, whose fake camera plays a clip the test makes.
[Collection(TinyPainterCollection.Name)]
public sealed class LiveCameraTests(TinyPainter tiny)
{
    private const string Chromium = "/usr/bin/chromium";
    private const float Patience = 120_000;

    // What the painted canvas holds now, as a few numbers: its mean and its means over a 4×4 grid.
    private const string PaintedSignature = "() => { const c = document.querySelector('#live-painted'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; const cells = new Array(16).fill(0); for (let y = 0; y < c.height; y++) for (let x = 0; x < c.width; x++) { const i = 4 * (y * c.width + x); cells[Math.floor(4 * y / c.height) * 4 + Math.floor(4 * x / c.width)] += d[i] + d[i + 1] + d[i + 2]; } return cells.map(v => v / (c.width * c.height / 16) / 3); }";

    // How far the painted frame is from the camera's frame it was painted from: mean absolute difference, 0–255.
    private const string PaintedFromCamera = "() => { const a = document.querySelector('#live-painted'), b = document.querySelector('#live-frame'); const p = a.getContext('2d').getImageData(0, 0, a.width, a.height).data, q = b.getContext('2d').getImageData(0, 0, b.width, b.height).data; let s = 0; for (let i = 0; i < p.length; i += 4) s += Math.abs(p[i] - q[i]) + Math.abs(p[i + 1] - q[i + 1]) + Math.abs(p[i + 2] - q[i + 2]); return s / (p.length / 4 * 3); }";

    [Fact]
    public async Task GivenAFakeCameraAndAPainter_WhenThePagePaintsIt_ThenPaintedFramesFollowTheClipAndNoFrameReachesTheServer()
    {
        Assert.True(File.Exists(Path.Combine(WebApp.RuntimeFolder, "ort.min.mjs")), $"the page's runtime is missing from {WebApp.RuntimeFolder}: the build fetches npm's onnxruntime-web with npm (tests/run.sh installs Debian's npm)");
        using var folder = new TempFolder();
        var clip = MovingClip(folder);
        File.Copy(tiny.File, Path.Combine(Directory.CreateDirectory(folder.File("data/painters")).FullName, "starry.onnx"));
        await using var server = await TestServer.Start(folder.File("data"));
        await using var session = await Camera(clip);
        var requests = new List<IRequest>();
        session.Context.Request += (_, request) => requests.Add(request);
        var page = session.Page;
        await page.GotoAsync(server.Address.ToString());
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#live-painter option').length === 1");

        // The photo dropped above, painted in the page.
        await page.SetInputFilesAsync("#photo-input", TestImages.PhotoPath);
        await page.ClickAsync("#live-photo");
        await page.WaitForFunctionAsync("() => document.querySelector('#live-painted').dataset.frames === '1' || document.querySelector('#live-error').textContent !== ''");
        Assert.Equal("", await page.TextContentAsync("#live-error"));
        Assert.True(await page.EvaluateAsync<double>(PaintedFromCamera) > 10, "the photo painted in the page is the photo");

        var console = new List<string>();
        page.Console += (_, message) => console.Add(message.Text);
        await page.ClickAsync("#live-start");
        await page.WaitForFunctionAsync("() => Number(document.querySelector('#live-painted').dataset.frames) >= 5 || document.querySelector('#live-error').textContent !== ''");
        Assert.True(await page.TextContentAsync("#live-error") == "", $"{await page.TextContentAsync("#live-error")}; the page's console: {string.Join(" | ", console)}");
        var first = await page.EvaluateAsync<double[]>(PaintedSignature);
        var seen = await page.EvaluateAsync<int>("() => Number(document.querySelector('#live-painted').dataset.frames)");
        await page.WaitForFunctionAsync("n => Number(document.querySelector('#live-painted').dataset.frames) >= n + 10", seen);
        var later = await page.EvaluateAsync<double[]>(PaintedSignature);
        var fromCamera = await page.EvaluateAsync<double>(PaintedFromCamera);
        var speed = await page.TextContentAsync("#live-fps");
        Directory.CreateDirectory(Path.Combine(SharedData.RepositoryRoot, "TestResults"));
        await page.Locator("#camera").ScreenshotAsync(new() { Path = Path.Combine(SharedData.RepositoryRoot, "TestResults", "web-app-live-camera.png") });
        await page.ClickAsync("#live-snapshot");
        await page.WaitForSelectorAsync("#snapshots li img");
        await page.ClickAsync("#live-stop");

        // The clip moves, so the painted frames do; they are paintings, not the camera's frames.
        Assert.True(first.Zip(later).Max(p => Math.Abs(p.First - p.Second)) > 2, $"the painted frames did not change with the clip: {JsonSerializer.Serialize(first)} then {JsonSerializer.Serialize(later)}");
        Assert.True(fromCamera > 10, $"the painted frame is the camera's frame ({fromCamera:0.0} apart on 0–255)");
        Assert.Matches(@"^\d+\.\d frames a second · 256×192 · starry on (wasm, \d threads?|webgpu)$", speed);
        Console.WriteLine($"live camera, tiny painter: {speed}");

        // Nothing was sent: every request the page and its workers made was a GET of the page, the
        // runtime, the API's lists or the painter's file.
        Assert.All(requests, r => Assert.True(r.Method == "GET" && r.PostDataBuffer is null, $"{r.Method} {r.Url} sent something to the server"));
        Assert.Contains(requests, r => r.Url.EndsWith("/api/painters/starry/file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenAFileThatIsNotAPainter_WhenThePageLoadsIt_ThenItSaysSoInOneLine()
    {
        using var folder = new TempFolder();
        await using var server = await TestServer.Start(folder.File("data"));
        await using var session = await Camera(MovingClip(folder));
        var page = session.Page;
        await page.GotoAsync(server.Address.ToString());
        var text = folder.File("notes.onnx");
        await File.WriteAllTextAsync(text, "not a model");

        await page.SetInputFilesAsync("#live-file", text);
        await page.WaitForFunctionAsync("() => document.querySelector('#live-error').textContent !== ''");
        var notAModel = await page.TextContentAsync("#live-error");
        await page.SetInputFilesAsync("#live-file", BuiltInResNet18.ModelPath);
        await page.WaitForFunctionAsync("() => document.querySelector('#live-error').textContent.includes('takes')");
        var classifier = await page.TextContentAsync("#live-error");

        Assert.Equal("notes.onnx is not a painter: not an ONNX model", notAModel);
        Assert.Matches(@"^ResNet18\.onnx is not a painter: it takes [^\n]+, not one photo \[N, 3, H, W\]$", classifier);
    }

    // A clip whose content moves through every frame: ffmpeg's test pattern, as Chromium's fake camera reads it.
    private static string MovingClip(TempFolder folder)
    {
        var clip = folder.File("camera.y4m");
        using var ffmpeg = new ChildProcess("ffmpeg", ["-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15", "-t", "3", "-pix_fmt", "yuv420p", clip]);
        Assert.True(ffmpeg.WaitForExit() == 0, string.Join('\n', ffmpeg.ErrorLines));
        return clip;
    }

    private static async Task<Browsing> Camera(string clip)
    {
        Assert.True(File.Exists(Chromium), $"Chromium is not installed at {Chromium}: the browser tests need Debian's chromium package (apt-get install chromium; tests/run.sh installs it)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--use-fake-device-for-media-stream", $"--use-file-for-fake-video-capture={clip}"],
        });
        var context = await browser.NewContextAsync(new() { Permissions = ["camera"], ViewportSize = new() { Width = 1200, Height = 1000 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(Patience);
        return new Browsing(playwright, browser, context, page);
    }

    private sealed record Browsing(IPlaywright Playwright, IBrowser Browser, IBrowserContext Context, IPage Page) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Browser.DisposeAsync();
            Playwright.Dispose();
        }
    }
}
