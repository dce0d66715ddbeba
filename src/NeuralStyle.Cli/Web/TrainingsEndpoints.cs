using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using NeuralStyle.Cli.Web.Users;
using NeuralStyle.Jobs;
using NeuralStyle.Jobs.Queues;
using static NeuralStyle.Cli.Web.JobsEndpoints;

namespace NeuralStyle.Cli.Web;

/// <summary>
/// <c>/api/trainings</c>: a painter trained as a job, on the queue like any other (followed, cancelled
/// and listed under <c>/api/jobs</c>), from uploaded paintings and one of the server's photo folders
/// (<c>/api/training-photos</c>), never a path of the client's.
/// </summary>
internal static class TrainingsEndpoints
{
    /// <summary>A folder of the server's photos that a training may name: "" is all of them.</summary>
    public sealed record PhotoFolderView(string Name, int Photos);

    public static void MapTrainings(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/training-photos", (JobStore store) => TypedResults.Ok(PhotoFolders.List(store.DataFolder).Select(f => new PhotoFolderView(f.Name, f.Photos))));
        app.MapPost("/api/trainings", Create);
    }

    // multipart/form-data: "painting" (one or more files) and "settings" (a TrainingRequest's JSON:
    // painter, photos, iterations, size, …).
    private static async Task<Results<Created<JobView>, BadRequest<Problem>, JsonHttpResult<Problem>>> Create(HttpRequest request, ClaimsPrincipal user, JobAccess access, IJobQueue queue, ServeSettings settings, WaitingLimit limit, PainterShelf shelf)
    {
        var (place, waiting) = limit.Admit(user.Identity?.Name);
        if (place is null)
        {
            return TooManyWaiting(waiting, settings);
        }

        using (place)
        {
            var (form, refusal) = await ReadForm(request, access.Store, settings);
            if (form is null)
            {
                return refusal!;
            }

            Job job;
            try
            {
                job = Stored(form, user, access.Store, settings, shelf);
            }
            catch (StyleTransferException e)
            {
                return TypedResults.BadRequest(new Problem(JobWords.Of(e)));
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
    }

    private static Job Stored(IFormCollection form, ClaimsPrincipal user, JobStore store, ServeSettings settings, PainterShelf shelf)
    {
        var asked = TrainingRequest.FromJson(form["settings"].ToString() is { Length: > 0 } json ? json : "{}");
        PaintersEndpoints.RequireName(asked.Painter);
        if (shelf.FileOf(asked.Painter) is not null)
        {
            throw new StyleTransferException($"there is a painter {asked.Painter} already");
        }

        PhotoFolders.Resolve(store.DataFolder, asked.Photos);
        if (asked.Iterations > settings.MaxIterations)
        {
            throw StyleTransferException.About(nameof(TrainingRequest.Iterations), $"{asked.Iterations} is more than this server runs (at most {settings.MaxIterations})");
        }

        asked.Options.Validate();
        var files = form.Files.GetFiles("painting");
        if (files.Count == 0)
        {
            throw new StyleTransferException("painting: no painting was sent");
        }

        var paintings = files.Select((f, i) => Decode(new Upload(f, $"painting {i + 1}"), asked.PhotoSide, settings)).ToList();
        var names = files.Select(f => Path.GetFileName(f.FileName) is { Length: > 0 and <= 100 } name ? name : "painting").ToList();
        return store.CreateTraining(paintings, asked with { Paintings = names }, user.Identity?.Name);
    }
}
