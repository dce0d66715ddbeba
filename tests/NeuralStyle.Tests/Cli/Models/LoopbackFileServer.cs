using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace NeuralStyle.Tests.Cli.Models;

/// <summary>
/// One file served over HTTP on 127.0.0.1, as a download mirror serves it: <c>/whole.pth</c> with
/// range requests honoured, <c>/dropping.pth</c> whose first answer breaks off halfway (the connection
/// aborted) and which honours a range after that; anything else is 404.
/// </summary>
internal sealed class LoopbackFileServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private LoopbackFileServer(WebApplication app, byte[] bytes)
    {
        this.app = app;
        Bytes = bytes;
    }

    public byte[] Bytes { get; }

    public string Address => app.Urls.First();

    /// <summary>Each request's path and its Range header (empty when none), in order.</summary>
    public ConcurrentQueue<(string Path, string Range)> Requests { get; } = new();

    public static async Task<LoopbackFileServer> Start(byte[] bytes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LoopbackFileServer(app, bytes);
        app.MapGet("/whole.pth", context => server.Serve(context, dropHalfway: false));
        app.MapGet("/dropping.pth", context => server.Serve(context, dropHalfway: true));
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task Serve(HttpContext context, bool dropHalfway)
    {
        var range = context.Request.Headers.Range.ToString();
        Requests.Enqueue((context.Request.Path, range));
        var from = range.StartsWith("bytes=", StringComparison.Ordinal) ? long.Parse(range["bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture) : 0;
        context.Response.StatusCode = from > 0 ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
        context.Response.ContentLength = Bytes.Length - from;
        if (from > 0)
        {
            context.Response.Headers.ContentRange = $"bytes {from}-{Bytes.Length - 1}/{Bytes.Length}";
        }

        if (dropHalfway && from == 0)
        {
            await context.Response.Body.WriteAsync(Bytes.AsMemory(0, Bytes.Length / 2));
            await context.Response.Body.FlushAsync();
            context.Abort();
            return;
        }

        await context.Response.Body.WriteAsync(Bytes.AsMemory((int)from));
    }
}
