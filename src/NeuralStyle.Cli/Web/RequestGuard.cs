using System.Net;
using NeuralStyle.Cli.Web.Users;

namespace NeuralStyle.Cli.Web;

/// <summary>
/// What every request must pass before it reaches the app: a Host header this server answers to
/// (against DNS rebinding, where another site's name comes to point at 127.0.0.1), no state-changing
/// request from another origin (against a page elsewhere posting a form here); a token in the address
/// (<c>?token=TOKEN</c>, once in the browser) is left as a cookie for <see cref="TokenAuthentication"/>.
/// Every answer carries headers that keep the page to its own scripts, out of other sites' frames, and
/// its files read as the types they are sent as.
/// </summary>
internal sealed class RequestGuard(ServeSettings settings, UserStore users)
{
    // The page's own script, style and pictures (an upload is previewed from a blob: address), and the
    // API's own address for fetch and the event stream; nothing inline, nothing from elsewhere. The live
    // camera's runtime compiles its own WebAssembly ('wasm-unsafe-eval' allows that and no eval) and
    // runs it in workers of its own script (default-src covers those).
    private const string ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
    private readonly HashSet<string>? hosts = AllowedHosts(settings.Urls);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";

        // Cross-origin isolation, which the page's runtime needs for its WebAssembly threads; everything
        // the page loads is its own, so it costs nothing.
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Embedder-Policy"] = "require-corp";
        if (hosts is not null && !hosts.Contains(request.Host.Host))
        {
            await Refuse(context, StatusCodes.Status400BadRequest, $"this server does not answer to the host '{request.Host.Host}'");
            return;
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && CrossOrigin(request))
        {
            await Refuse(context, StatusCodes.Status403Forbidden, "requests from another site are refused");
            return;
        }

        // A token in the address becomes a cookie, so that the page's own requests carry it; only a
        // token that stands for someone does, so that no other site can sign a browser in as its own.
        if (request.Query["token"].ToString() is { Length: > 0 } token && HttpMethods.IsGet(request.Method)
            && TokenAuthentication.Required(settings, users) && TokenAuthentication.Who(token, settings, users) is not null)
        {
            context.Response.Cookies.Append(TokenAuthentication.Cookie, token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = request.IsHttps });
            // To this server's own path: "//evil.example/x" would be another site's address.
            context.Response.Redirect("/" + request.Path.Value?.TrimStart('/'));
            return;
        }

        await next(context);
    }

    /// <summary>Writes the error as the API writes all of them: <c>{"error": "…"}</c>.</summary>
    public static Task Refuse(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = message });
    }

    private static bool CrossOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site is "cross-site" or "same-site")
        {
            return true;
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    // The host names of the addresses listened on; null (any) when one of them is a wildcard, which
    // only a server that requires its token does.
    private static HashSet<string>? AllowedHosts(string urls)
    {
        var allowed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var host = new Uri(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal)).Host;
            if (host is "0.0.0.0" or "[::]")
            {
                return null;
            }

            allowed.Add(host);
            if (host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)))
            {
                allowed.UnionWith(["localhost", "127.0.0.1", "[::1]"]);
            }
        }

        return allowed;
    }
}
