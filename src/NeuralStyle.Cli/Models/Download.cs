using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace NeuralStyle.Cli.Models;

/// <summary>
/// Downloads a file into place: into <c>NAME.partial</c> beside it, resuming with a range request
/// after a dropped connection, checked against its SHA-256, then renamed. A checksum or HTTP error
/// leaves nothing; a connection that keeps dropping leaves the part already fetched for the next run
/// to resume. Proxies come from the environment (<c>HTTPS_PROXY</c>, <c>HTTP_PROXY</c>,
/// <c>NO_PROXY</c>), as .NET's HTTP client reads them.
/// </summary>
internal sealed class Download(Uri address, string destination, Func<string, bool> hashAccepted, string expected)
{
    private const int Attempts = 5;

    /// <summary>Where the file is fetched from.</summary>
    public Uri Address => address;
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);

    /// <summary>Fetches the file; reports the bytes so far and the total (when known) to <paramref name="progress"/>.</summary>
    /// <exception cref="StyleTransferException">The server refused, the checksum differs, or the connection kept dropping.</exception>
    public void Run(Action<long, long?> progress, CancellationToken stop)
    {
        var partial = destination + ".partial";
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Fetch(http, partial, progress, stop);
                break;
            }
            catch (Exception e) when (e is IOException or HttpRequestException { StatusCode: null } && !stop.IsCancellationRequested)
            {
                var have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
                if (attempt == Attempts)
                {
                    throw new StyleTransferException($"{address}: the connection dropped {Attempts} times ({e.Message}); {Megabytes(have)} are kept in {partial}, and the same command resumes from there");
                }

                Console.Error.WriteLine($"neural-style: the connection dropped at {Megabytes(have)} ({e.Message}); resuming");
                Thread.Sleep(Pause);
            }
        }

        Verify(partial);
        File.Move(partial, destination, overwrite: true);
    }

    private void Fetch(HttpClient http, string partial, Action<long, long?> progress, CancellationToken stop)
    {
        var have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
        }

        using var response = http.Send(request, HttpCompletionOption.ResponseHeadersRead, stop);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
        {
            return;
        }

        if (!response.IsSuccessStatusCode)
        {
            File.Delete(partial);
            throw new StyleTransferException($"{address}: the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        // A server that ignores the range sends the whole file again.
        var resumed = response.StatusCode == HttpStatusCode.PartialContent;
        var total = response.Content.Headers.ContentLength + (resumed ? have : 0);
        using var body = response.Content.ReadAsStream(stop);
        using var file = new FileStream(partial, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write);
        var (buffer, written, clock) = (new byte[1 << 16], resumed ? have : 0, Stopwatch.StartNew());
        int read;
        while ((read = body.Read(buffer)) > 0)
        {
            stop.ThrowIfCancellationRequested();
            file.Write(buffer, 0, read);
            written += read;
            if (clock.ElapsedMilliseconds > 250)
            {
                progress(written, total);
                clock.Restart();
            }
        }

        progress(written, total);
        if (total is { } whole && written != whole)
        {
            throw new IOException($"the server ended after {written} of {whole} bytes");
        }
    }

    private void Verify(string partial)
    {
        string actual;
        using (var file = File.OpenRead(partial))
        {
            actual = Convert.ToHexStringLower(SHA256.HashData(file));
        }

        if (!hashAccepted(actual))
        {
            File.Delete(partial);
            throw new StyleTransferException($"{address}: the file's SHA-256 is {actual}, expected {expected}; nothing was kept");
        }
    }

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB");
}
