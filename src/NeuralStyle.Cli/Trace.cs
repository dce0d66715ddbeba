using System.Text.Json;
using NeuralStyle.Optimization;

namespace NeuralStyle.Cli;

/// <summary>
/// <c>--trace FILE</c>: one JSON object per iteration, a line each, flushed as it is written so that a
/// run stopped by any means leaves every finished iteration's line.
/// </summary>
internal sealed class Trace : IDisposable
{
    private readonly StreamWriter writer;
    private readonly string path;
    private readonly bool created;
    private int lines;

    private Trace(StreamWriter writer, string path, bool created) => (this.writer, this.path, this.created) = (writer, path, created);

    /// <summary>Opens (replaces) the file before any work, so that a path that cannot be written fails at once.</summary>
    public static Trace Create(string path)
    {
        try
        {
            var created = !File.Exists(path);
            return new Trace(new StreamWriter(path, append: false) { AutoFlush = true }, path, created);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StyleTransferException($"--trace {path}: cannot write ({e.Message})", e);
        }
    }

    /// <summary>A progress that writes each record's line, then hands the record to <paramref name="next"/>.</summary>
    /// <exception cref="StyleTransferException">A line cannot be written (a full disk, a device that takes nothing).</exception>
    public IProgress<StepProgress> Alongside(IProgress<StepProgress> next) => new SynchronousProgress<StepProgress>(p =>
    {
        Write(p);
        lines++;
        next.Report(p);
    });

    private void Write(StepProgress p)
    {
        try
        {
            writer.WriteLine(Line(p));
        }
        catch (IOException e)
        {
            throw new StyleTransferException($"--trace {path}: cannot write ({e.Message})", e);
        }
    }

    private static string Line(StepProgress p) => JsonSerializer.Serialize(new
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
    });

    /// <summary>Closes and removes the file when no line was written to it.</summary>
    public void DeleteIfEmpty()
    {
        if (lines == 0)
        {
            Dispose();

            // Only a file this run made: never a device or a pipe that was given (/dev/full), nor a file that was there.
            if (created)
            {
                File.Delete(path);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            writer.Dispose();
        }
        catch (IOException)
        {
            // A line that could not be written was reported when it was written.
        }
    }
}
