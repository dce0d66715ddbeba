using System.Text.Json;
using NeuralStyle.Synthesis;

namespace NeuralStyle.Cli;

/// <summary>
/// <c>--trace FILE</c>: one JSON object per iteration, a line each, flushed as it is written so that a
/// run stopped by any means leaves every finished iteration's line.
/// </summary>
internal sealed class Trace : IDisposable
{
    private readonly StreamWriter writer;
    private readonly string path;
    private int lines;

    private Trace(StreamWriter writer, string path) => (this.writer, this.path) = (writer, path);

    /// <summary>Opens (replaces) the file before any work, so that a path that cannot be written fails at once.</summary>
    public static Trace Create(string path)
    {
        try
        {
            return new Trace(new StreamWriter(path, append: false) { AutoFlush = true }, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StyleTransferException($"--trace {path}: cannot write ({e.Message})", e);
        }
    }

    /// <summary>A progress that writes each record's line, then hands the record to <paramref name="next"/>.</summary>
    public IProgress<StepProgress> Alongside(IProgress<StepProgress> next) => new SynchronousProgress<StepProgress>(p =>
    {
        writer.WriteLine(JsonSerializer.Serialize(new
        {
            iteration = p.Iteration,
            scale = p.Scale,
            width = p.Stage?.Width,
            height = p.Stage?.Height,
            tile = p.Stage?.Tile,
            content = p.ContentLoss,
            style = p.StyleLoss,
            tv = p.TvLoss,
            total = p.TotalLoss,
            seconds = Math.Round(p.Elapsed.TotalSeconds, 3),
            residentBytes = p.WorkingSetBytes,
        }));
        lines++;
        next.Report(p);
    });

    /// <summary>Closes and removes the file when no line was written to it.</summary>
    public void DeleteIfEmpty()
    {
        if (lines == 0)
        {
            writer.Dispose();
            File.Delete(path);
        }
    }

    public void Dispose() => writer.Dispose();
}
