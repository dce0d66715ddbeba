using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using NeuralStyle.Cli.Web;

namespace NeuralStyle.Tests.Cli.Web;

/// <summary>The web app on a free port of 127.0.0.1 with a data folder of its own, and a client for it.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private TestServer(WebApplication app, string data)
    {
        this.app = app;
        Data = data;
        Address = new Uri(app.Urls.First());
        Client = new HttpClient { BaseAddress = Address };
    }

    public Uri Address { get; }

    public string Data { get; }

    public HttpClient Client { get; }

    public static async Task<TestServer> Start(string data, string? token = null, long maxUploadBytes = 64L << 20, long maxPixels = 40_000_000, string? weights = null, string? queue = null, long minFreeBytes = 256L << 20, Func<ServeSettings, ServeSettings>? limits = null)
    {
        var settings = new ServeSettings("http://127.0.0.1:0", data, token, maxUploadBytes, maxPixels) { Weights = weights, Queue = queue, MinFreeBytes = minFreeBytes };
        var app = WebApp.Build(limits is null ? settings : limits(settings));
        await app.StartAsync();
        return new TestServer(app, data);
    }

    /// <summary>A client of its own that sends <paramref name="token"/> with every request.</summary>
    public HttpClient ClientWith(string token)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A job's form: the photo and paintings as files under the names given, and its settings.</summary>
    public static MultipartFormDataContent Form(string settings, string photoName = "photo.jpg", params string[] paintings)
    {
        var form = new MultipartFormDataContent();
        form.Add(File(TestImages.PhotoPath), "photo", photoName);
        foreach (var painting in paintings.Length == 0 ? [TestImages.PaintingPath] : paintings)
        {
            form.Add(File(painting), "painting", Path.GetFileName(painting));
        }

        form.Add(new StringContent(settings), "settings");
        return form;
    }

    public static ByteArrayContent File(string path)
    {
        var content = new ByteArrayContent(System.IO.File.ReadAllBytes(path));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    /// <summary>The id of the job a post created.</summary>
    public static async Task<string> IdOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("job").GetProperty("id").GetString()!;

    /// <summary>The message of an error answer, <c>{"error": "…"}</c>.</summary>
    public static async Task<string> ErrorOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
