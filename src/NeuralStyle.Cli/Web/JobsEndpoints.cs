using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using System.Security.Claims;
using NeuralStyle.Cli.Web.Users;
using NeuralStyle.Images;
using NeuralStyle.Jobs;
using NeuralStyle.Jobs.Queues;

namespace NeuralStyle.Cli.Web;

/// <summary>The HTTP API under <c>/api/jobs</c>, which the page itself uses (README, "Web app").</summary>
internal static class JobsEndpoints
{
    /// <summary>The most jobs one page of <c>GET /api/jobs</c> holds, and how many it holds unless asked.</summary>
    private const int MostPerPage = 1000, PerPage = 100;

    public static void MapJobs(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", (ClaimsPrincipal user) => TypedResults.Ok(new Person(user.Identity?.Name, user.IsInRole(TokenAuthentication.AdminRole))));
        var jobs = app.MapGroup("/api/jobs");
        jobs.MapPost("/", Create);
        jobs.MapGet("/", List);
        jobs.MapGet("/{id}", async Task<Results<Ok<JobView>, NotFound<Problem>>> (string id, ClaimsPrincipal user, JobAccess access) =>
            await access.Find(user, id) is { } job ? TypedResults.Ok(access.View(job)) : NoSuchJob(id));
        jobs.MapPost("/{id}/cancel", async Task<Results<Ok<JobView>, NotFound<Problem>, Conflict<Problem>>> (string id, ClaimsPrincipal user, JobAccess access, IJobQueue queue) =>
            await access.Find(user, id) is not { } job ? NoSuchJob(id)
            : await queue.CancelAsync(job) ? TypedResults.Ok(access.View(access.Store.Find(id) ?? job))
            : TypedResults.Conflict(new Problem($"job {id} has already finished ({job.Status.ToString().ToLowerInvariant()})")));
        jobs.MapDelete("/{id}", async Task<Results<NoContent, NotFound<Problem>, Conflict<Problem>>> (string id, ClaimsPrincipal user, JobAccess access) =>
            await access.Find(user, id) is not { } job ? NoSuchJob(id)
            : !job.Finished ? TypedResults.Conflict(new Problem($"job {id} is {job.Status.ToString().ToLowerInvariant()}; cancel it before deleting it"))
            : Deleted(access.Store, id));
        jobs.MapGet("/{id}/events", Events);
        jobs.MapGet("/{id}/result", (string id, ClaimsPrincipal user, JobAccess access) => Picture(user, access, id, "result.png", "result"));
        jobs.MapGet("/{id}/latest", (string id, ClaimsPrincipal user, JobAccess access) => Picture(user, access, id, "latest.png", "picture"));
        jobs.MapGet("/{id}/photo", (string id, ClaimsPrincipal user, JobAccess access) => Picture(user, access, id, "photo.png", "photo"));
        jobs.MapGet("/{id}/paintings/{index:int}", (string id, int index, ClaimsPrincipal user, JobAccess access) => Picture(user, access, id, $"painting-{index}.png", "painting"));
        jobs.MapGet("/{id}/settings", async Task<Results<FileContentHttpResult, NotFound<Problem>>> (string id, ClaimsPrincipal user, JobAccess access) =>
            await access.Find(user, id) is { } job
                ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(job.Settings), "application/json", $"neural-style-{id}.json")
                : NoSuchJob(id));
    }

    /// <summary>A job as the API shows it: the stored record and, while it waits, its place in the queue.</summary>
    public sealed record JobView(Job Job, int QueuePosition);

    /// <summary>Who the server takes a request's token for: a name (none on a server without users), and whether they see every job.</summary>
    public sealed record Person(string? Name, bool Admin);

    /// <summary>Every error the API returns: <c>{"error": "…"}</c>.</summary>
    public sealed record Problem(string Error);

    // An uploaded picture and what the client is told it is ("painting 2").
    internal sealed record Upload(IFormFile File, string What);

    /// <summary>The answer to a post from someone with <paramref name="waiting"/> jobs waiting or running, the most the server takes (429).</summary>
    internal static JsonHttpResult<Problem> TooManyWaiting(int waiting, ServeSettings settings) =>
        TypedResults.Json(new Problem($"you have {waiting} jobs waiting or running, and this server takes {settings.MaxWaiting} a person at once; wait for one to finish, or cancel one"), statusCode: StatusCodes.Status429TooManyRequests);

    private static NotFound<Problem> NoSuchJob(string id) => TypedResults.NotFound(new Problem($"no job {id}"));

    private static NoContent Deleted(JobStore store, string id)
    {
        store.Delete(id);
        return TypedResults.NoContent();
    }

    private static async Task<Results<PhysicalFileHttpResult, NotFound<Problem>>> Picture(ClaimsPrincipal user, JobAccess access, string id, string file, string what) =>
        await access.Find(user, id) is not null && File.Exists(access.Store.FileOf(id, file))
            ? TypedResults.PhysicalFile(access.Store.FileOf(id, file), "image/png", $"neural-style-{id}-{file}")
            : TypedResults.NotFound(new Problem($"job {id} has no {what}"));

    // The jobs the person may see, newest first, a page at a time: ?limit=N (100 unless asked, at most
    // 1000) and ?before=ID (the jobs after that one); a Link header names the next page while there is one.
    private static async Task<Results<Ok<IEnumerable<JobView>>, BadRequest<Problem>>> List(HttpContext context, ClaimsPrincipal user, JobAccess access, string? limit, string? before)
    {
        var size = PerPage;
        if (limit is not null && (!int.TryParse(limit, out size) || size is < 1 or > MostPerPage))
        {
            return TypedResults.BadRequest(new Problem($"limit: a number from 1 to {MostPerPage} (got '{limit}')"));
        }

        var visible = await access.Visible(user);
        var start = before is null ? 0 : visible.FindIndex(j => j.Id == before) + 1;
        if (start == 0 && before is not null)
        {
            return TypedResults.BadRequest(new Problem($"before: no job {before} (it may have been deleted; list again from the start)"));
        }

        var page = visible.Skip(start).Take(size).ToList();
        if (start + size < visible.Count)
        {
            context.Response.Headers.Link = $"</api/jobs?limit={size}&before={page[^1].Id}>; rel=\"next\"";
        }

        return TypedResults.Ok(access.Views(page));
    }

    // multipart/form-data: "photo" (one file), "painting" (one or more files), "mask" (none, or one per
    // painting), "coarse" (a coarse painting, optional), "settings" (JSON of the options, optional),
    // "startFrom" (a job whose result, or else latest picture, is the start; optional).
    private static async Task<Results<Created<JobView>, BadRequest<Problem>, JsonHttpResult<Problem>>> Create(HttpRequest request, ClaimsPrincipal user, JobAccess access, IJobQueue queue, ServeSettings settings, SizeCheck sizes, WaitingLimit limit)
    {
        var (place, waiting) = limit.Admit(user.Identity?.Name);
        if (place is null)
        {
            return TooManyWaiting(waiting, settings);
        }

        using (place)
        {
            return await Post(request, user, access, queue, settings, sizes);
        }
    }

    private static async Task<Results<Created<JobView>, BadRequest<Problem>, JsonHttpResult<Problem>>> Post(HttpRequest request, ClaimsPrincipal user, JobAccess access, IJobQueue queue, ServeSettings settings, SizeCheck sizes)
    {
        var (store, owner) = (access.Store, user.Identity?.Name);
        var (form, refusal) = await ReadForm(request, store, settings);
        if (form is null)
        {
            return refusal!;
        }

        try
        {
            var options = form["settings"].ToString() is { Length: > 0 } json ? ClientSettings(json) : new StyleTransferOptions();
            options = options with { Init = await StartFrom(form["startFrom"].ToString(), user, access) ?? options.Init, SaveEvery = 0 };

            if (options.Iterations > settings.MaxIterations)
            {
                throw StyleTransferException.About(nameof(StyleTransferOptions.Iterations), $"{options.Iterations} is more than this server runs (at most {settings.MaxIterations})");
            }

            var photoFile = form.Files.GetFile("photo") ?? throw new StyleTransferException("photo: no photo was sent");
            var paintingFiles = form.Files.GetFiles("painting");
            if (paintingFiles.Count == 0)
            {
                throw new StyleTransferException("painting: no painting was sent");
            }

            // Checked before the photo is decoded at the size they give; the paintings' call checks them itself.
            StyleTransfer.Validate(options);
            var photo = Decode(new Upload(photoFile, "photo"), options.Size, settings);
            var styles = StyleSources.Read(
                [.. paintingFiles.Select((f, i) => new Upload(f, $"painting {i + 1}"))],
                options,
                (upload, side) => Decode(upload, side, settings),
                [.. form.Files.GetFiles("mask").Select((f, i) => new Upload(f, $"mask {i + 1}"))],
                form.Files.GetFile("coarse") is { } coarse ? new Upload(coarse, "coarse painting") : null);
            options = sizes.Check(styles, options, (photo.Width, photo.Height));
            if (Stored(store, photo, styles, options, owner) is not { } job)
            {
                return TypedResults.Json(new Problem("the server cannot store the job: its disk is full; try again later"), statusCode: StatusCodes.Status507InsufficientStorage);
            }

            try
            {
                await queue.EnqueueAsync(job);
            }
            catch (StyleTransferException e)
            {
                return TypedResults.Json(new Problem(JobWords.Of(e)), statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            return TypedResults.Created($"/api/jobs/{job.Id}", access.View(job));
        }
        catch (StyleTransferException e)
        {
            return TypedResults.BadRequest(new Problem(JobWords.Of(e)));
        }
    }

    // The form of a post, or why it is refused: not a multipart body, a malformed one, too many parts
    // or bytes, or no room for the job on the server's disk.
    internal static async Task<(IFormCollection? Form, JsonHttpResult<Problem>? Refusal)> ReadForm(HttpRequest request, JobStore store, ServeSettings settings)
    {
        static JsonHttpResult<Problem> Refused(int status, string message) => TypedResults.Json(new Problem(message), statusCode: status);
        if (!request.HasFormContentType || !MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.Boundary.Length == 0)
        {
            return (null, Refused(StatusCodes.Status400BadRequest, "a job is posted as multipart/form-data (photo, painting, settings), with its boundary"));
        }

        if (new DriveInfo(store.Root).AvailableFreeSpace is var free && free < settings.MinFreeBytes + request.ContentLength.GetValueOrDefault())
        {
            return (null, Refused(StatusCodes.Status507InsufficientStorage, $"the server's disk is full: {free >> 20} MiB free in its data folder, and a job needs {settings.MinFreeBytes >> 20} MiB; try again later"));
        }

        try
        {
            return (await request.ReadFormAsync(), null);
        }
        catch (InvalidDataException e) when (e.Message.Contains("count limit", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Refused(StatusCodes.Status400BadRequest, $"the upload has more parts than this server takes ({new FormOptions().ValueCountLimit})"));
        }
        catch (Exception e) when (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } || (e is InvalidDataException && e.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, Refused(StatusCodes.Status413PayloadTooLarge, $"the upload is larger than this server takes ({settings.MaxUploadBytes >> 20} MiB in all)"));
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException or IOException)
        {
            return (null, Refused(StatusCodes.Status400BadRequest, $"the upload is not a well-formed multipart body ({e.Message.TrimEnd('.')})"));
        }
    }

    // The job stored, or null when the disk takes it no more (nothing of it is left).
    private static Job? Stored(JobStore store, RgbImage photo, StyleSources styles, StyleTransferOptions options, string? owner)
    {
        try
        {
            return store.Create(photo, styles, options, owner);
        }
        catch (StyleTransferException e) when (e.InnerException is IOException)
        {
            return null;
        }
    }

    // A client's settings choose the network and the start but never a file on the server: the weights
    // are the server's own, and a start picture is named by a job (startFrom), never by a path.
    private static StyleTransferOptions ClientSettings(string json)
    {
        var options = StyleTransferSettings.FromJson(json);
        return options.WeightsPath is not null
            ? throw new StyleTransferException("settings: weightsPath is not taken from a client; this server's weights are its own (serve --weights, or the PyTorch cache)")
            : options.Init?.Path is not null
            ? throw new StyleTransferException("settings: init may be noise, content or style here (to start from a picture, use startFrom with a job)")
            : options;
    }

    private static async Task<InitialImage?> StartFrom(string id, ClaimsPrincipal user, JobAccess access)
    {
        var store = access.Store;
        if (id.Length == 0)
        {
            return null;
        }

        var picture = await access.Find(user, id) is null ? null : new[] { "result.png", "latest.png" }.Select(f => store.FileOf(id, f)).FirstOrDefault(File.Exists);
        return picture is null ? throw new StyleTransferException($"startFrom: job {id} has no picture to start from") : InitialImage.FromFile(picture);
    }

    // The upload is decoded from a temporary file of our naming (its own name is never used) and refused
    // unless it is an image within the pixel limit.
    internal static RgbImage Decode(Upload upload, int longestSide, ServeSettings settings)
    {
        var (file, what) = upload;
        var temporary = Path.GetTempFileName();
        try
        {
            using (var stream = File.Create(temporary))
            {
                file.CopyTo(stream);
            }

            using (var codec = SkiaSharp.SKCodec.Create(temporary))
            {
                if (codec is null)
                {
                    throw new StyleTransferException($"{what}: not an image that can be decoded (PNG, JPEG, WebP, GIF or BMP)");
                }

                if ((long)codec.Info.Width * codec.Info.Height > settings.MaxPixels)
                {
                    throw new StyleTransferException($"{what}: {codec.Info.Width}×{codec.Info.Height} pixels is more than the {settings.MaxPixels / 1e6:0.#} megapixels this server takes");
                }
            }

            return ImageFile.Load(temporary, longestSide);
        }
        catch (StyleTransferException e) when (e.Message.StartsWith(temporary, StringComparison.Ordinal))
        {
            throw new StyleTransferException($"{what}{e.Message[temporary.Length..]}", e);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    // Server-sent events: what the job has reported so far, then each new event, until it ends.
    private static async Task Events(string id, HttpContext context, ClaimsPrincipal user, JobAccess access, JobEvents events, CancellationToken aborted)
    {
        // Subscribed before the record is read: a job that ends in between is seen finished, not waited for.
        using var subscription = events.Subscribe(id);
        if (await access.Find(user, id) is not { } job)
        {
            await RequestGuard.Refuse(context, StatusCodes.Status404NotFound, $"no job {id}");
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await Send(context, JobEvents.StatusEvent(job), aborted);
        if (job.Finished)
        {
            return;
        }

        try
        {
            await foreach (var line in subscription.Reader.ReadAllAsync(aborted))
            {
                await Send(context, line, aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    private static async Task Send(HttpContext context, string json, CancellationToken aborted)
    {
        await context.Response.WriteAsync($"data: {json}\n\n", aborted);
        await context.Response.Body.FlushAsync(aborted);
    }
}
