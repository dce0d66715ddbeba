using Microsoft.AspNetCore.Http.HttpResults;
using NeuralStyle.FastPainters;
using NeuralStyle.Images;
using static NeuralStyle.Cli.Web.JobsEndpoints;

namespace NeuralStyle.Cli.Web;

/// <summary>
/// <c>/api/painters</c>: the trained painters, and a picture from one of them in the response to the
/// request that sends the photo (a fraction of a second: no job, no queue).
/// </summary>
internal static class PaintersEndpoints
{
    private const int LargestSide = 4096;

    /// <summary>A painter as the API lists it.</summary>
    public sealed record PainterView(string Name, int Styles, IReadOnlyList<string> Paintings);

    public static void MapPainters(this IEndpointRouteBuilder app)
    {
        var painters = app.MapGroup("/api/painters");
        painters.MapGet("/", (PainterShelf shelf) => TypedResults.Ok(shelf.Names.Select(n => View(shelf, n)).OfType<PainterView>().ToList()));
        painters.MapPost("/{name}/pictures", Paint).DisableAntiforgery();
        painters.MapGet("/{name}/file", Results<PhysicalFileHttpResult, NotFound<Problem>> (string name, PainterShelf shelf) => shelf.FileOf(name) is { } file
            ? TypedResults.PhysicalFile(file, "application/octet-stream", name + ".onnx")
            : TypedResults.NotFound(new Problem($"no painter {name}")));
        painters.MapPost("/", Add).DisableAntiforgery();
    }

    // A painter's name is its file's, so it is kept to letters, digits, '-' and '_'.
    private static readonly System.Text.RegularExpressions.Regex Name = new("^[A-Za-z0-9_-]{1,64}$");

    /// <summary>Refuses a name that cannot name a painter's file.</summary>
    /// <exception cref="StyleTransferException">It cannot.</exception>
    public static void RequireName(string name)
    {
        if (!Name.IsMatch(name))
        {
            throw new StyleTransferException(NotAName(name));
        }
    }

    private static string NotAName(string name) => $"'{name}' cannot name a painter: 1 to 64 letters, digits, '-' or '_'";

    // The painters are everyone's, so on a server with people only an admin adds a file; anyone may
    // train one (POST /api/trainings), which the server makes itself.
    private static async Task<Results<Created<PainterView>, BadRequest<Problem>, Conflict<Problem>, JsonHttpResult<Problem>>> Add(HttpRequest request, System.Security.Claims.ClaimsPrincipal user, PainterShelf shelf)
    {
        if (!user.IsInRole(Users.TokenAuthentication.AdminRole))
        {
            return TypedResults.Json(new Problem("only an admin adds a painter's file to this server; train one from your paintings instead"), statusCode: StatusCodes.Status403Forbidden);
        }

        var form = await request.ReadFormAsync();
        if (form.Files.GetFile("painter") is not { } upload)
        {
            return TypedResults.BadRequest(new Problem("no painter: send it as the form's 'painter' file"));
        }

        var name = form["name"].ToString() is { Length: > 0 } given ? given : Path.GetFileNameWithoutExtension(upload.FileName);
        if (!Name.IsMatch(name))
        {
            return TypedResults.BadRequest(new Problem(NotAName(name)));
        }

        var file = await Saved(upload);
        try
        {
            return shelf.Add(name, file)
                ? TypedResults.Created($"/api/painters/{name}", View(shelf, name))
                : TypedResults.Conflict(new Problem($"there is a painter {name} already"));
        }
        catch (StyleTransferException e)
        {
            // The message names the server's temporary file; the person knows their file by its name.
            return TypedResults.BadRequest(new Problem(e.Message.Replace(file, upload.FileName, StringComparison.Ordinal)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static PainterView? View(PainterShelf shelf, string name)
    {
        PainterView? view = null;
        try
        {
            shelf.Use(name, p => view = new PainterView(name, p.Styles, p.Metadata?.Paintings ?? []));
        }
        catch (StyleTransferException)
        {
            // A file that is not a painter is not offered.
        }

        return view;
    }

    private static async Task<Results<FileContentHttpResult, NotFound<Problem>, BadRequest<Problem>>> Paint(string name, HttpRequest request, PainterShelf shelf, ServeSettings settings)
    {
        var form = await request.ReadFormAsync();
        if (form.Files.GetFile("photo") is not { } upload)
        {
            return TypedResults.BadRequest(new Problem("no photo: send it as the form's 'photo' file"));
        }

        try
        {
            var size = int.TryParse(form["size"], out var asked) ? asked : 512;
            Require(size is >= 16 and <= LargestSide, $"size {size}: takes 16 to {LargestSide}");
            var options = new FastPaintingOptions(Blend(form["styleBlend"]), double.TryParse(form["styleStrength"], System.Globalization.CultureInfo.InvariantCulture, out var strength) ? strength : 1, form["preserveColors"].ToString() is "luminance" or "post");
            var photo = await Decoded(upload, size, settings);
            byte[]? png = null;
            var found = shelf.Use(name, painter => png = ImageFile.EncodePng(painter.Paint(photo, options)));
            return found ? TypedResults.File(png!, "image/png") : TypedResults.NotFound(new Problem($"no painter {name}"));
        }
        catch (StyleTransferException e)
        {
            return TypedResults.BadRequest(new Problem(e.Message));
        }
    }

    private static void Require(bool holds, string message)
    {
        if (!holds)
        {
            throw new StyleTransferException(message);
        }
    }

    private static IReadOnlyList<double>? Blend(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : [.. text.Split(',').Select(s => double.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1)];

    private static async Task<RgbImage> Decoded(IFormFile upload, int size, ServeSettings settings)
    {
        var file = await Saved(upload);
        try
        {
            var (width, height) = ImageFile.ReadSize(file);
            Require((long)width * height <= settings.MaxPixels, $"the photo has {(long)width * height / 1e6:0.#} megapixels; this server takes {settings.MaxPixels / 1e6:0.#}");
            return FastPainterBatch.Fit(ImageFile.Load(file, size), size);
        }
        finally
        {
            File.Delete(file);
        }
    }

    // An upload in a temporary file of the server's naming, which the caller deletes; none is left when the copy fails.
    private static async Task<string> Saved(IFormFile upload)
    {
        var file = Path.GetTempFileName();
        try
        {
            await using var stream = File.Create(file);
            await upload.CopyToAsync(stream);
            return file;
        }
        catch
        {
            File.Delete(file);
            throw;
        }
    }
}
