using System.Reflection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using NeuralStyle.Cli.Web.Users;
using NeuralStyle.Jobs;
using NeuralStyle.Jobs.Queues;

namespace NeuralStyle.Cli.Web;

/// <summary>The web app of <c>neural-style serve</c>: the page, the API under <c>/api</c>, the job queue.</summary>
internal static class WebApp
{
    private static readonly Dictionary<string, string> Assets = new()
    {
        ["/"] = "index.html",
        ["/app.js"] = "app.js",
        ["/app.css"] = "app.css",
        ["/camera.js"] = "camera.js",
    };

    // onnxruntime-web's files, which the build copies beside the program (NeuralStyle.Cli.csproj).
    private static readonly Dictionary<string, string> Runtime = new()
    {
        ["ort.min.mjs"] = "text/javascript; charset=utf-8",
        ["ort-wasm-simd-threaded.jsep.mjs"] = "text/javascript; charset=utf-8",
        ["ort-wasm-simd-threaded.jsep.wasm"] = "application/wasm",
    };

    /// <summary>The folder of the page's runtime files.</summary>
    public static string RuntimeFolder => Path.Combine(AppContext.BaseDirectory, "wwwroot", "ort");

    public static WebApplication Build(ServeSettings settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(settings.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.MaxUploadBytes);
        builder.Logging.ClearProviders();
        builder.Services.Configure<FormOptions>(f => f.MultipartBodyLengthLimit = settings.MaxUploadBytes);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new JobStore(settings.DataFolder, soleRunner: settings.Queue is null));
        builder.Services.AddSingleton<JobEvents>();
        builder.Services.AddSingleton(new SizeCheck(settings.Weights, settings.MaxMemory));
        builder.Services.AddSingleton(new UserStore(settings.DataFolder));
        builder.Services.AddAuthentication(TokenAuthentication.Name).AddScheme<AuthenticationSchemeOptions, TokenAuthentication>(TokenAuthentication.Name, null);
        builder.Services.AddSingleton<IAuthorizationHandler, JobOwnership>();
        builder.Services.AddSingleton<JobAccess>();
        builder.Services.AddSingleton<WaitingLimit>();
        builder.Services.AddSingleton<PainterShelf>();
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(JobOwnership.Policy, p => p.AddRequirements(new JobOwnership()));
        builder.Services.AddSingleton<IJobQueue>(s => settings.Queue is null
            ? new InProcessQueue(s.GetRequiredService<JobStore>(), s.GetRequiredService<JobEvents>(), settings.Weights, settings.PaintersFolder)
            : new RedisJobQueue(s.GetRequiredService<JobStore>(), s.GetRequiredService<JobEvents>(), settings.Queue));
        builder.Services.AddHostedService<QueueService>();
        builder.Services.AddHostedService<Retention>();

        builder.Services.AddSingleton<RequestGuard>();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
            {
                // One request's failure is its own: it gets the message, the server goes on.
                await RequestGuard.Refuse(context, StatusCodes.Status500InternalServerError, e.Message);
            }
        });
        app.Use((context, next) => context.RequestServices.GetRequiredService<RequestGuard>().InvokeAsync(context, next));
        app.UseAuthentication();
        app.UseAuthorization();
        foreach (var (path, name) in Assets)
        {
            app.MapGet(path, () => TypedResults.Text(Asset(name), ContentType(name)));
        }

        app.MapGet("/ort/{name}", (string name) => Runtime.TryGetValue(name, out var type) && File.Exists(Path.Combine(RuntimeFolder, name))
            ? Results.File(Path.Combine(RuntimeFolder, name), type)
            : Results.Json(new { error = $"no runtime file {name}: this server was built without npm, so the page's live camera cannot run" }, statusCode: StatusCodes.Status404NotFound));
        app.MapJobs();
        app.MapPainters();
        app.MapTrainings();
        return app;
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        _ => "text/css; charset=utf-8",
    };

    private static string Asset(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"NeuralStyle.Cli.Web.wwwroot.{name}")!;
        return new StreamReader(stream).ReadToEnd();
    }
}
