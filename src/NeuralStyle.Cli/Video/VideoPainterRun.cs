using System.Diagnostics;
using System.Globalization;
using NeuralStyle.FastPainters;
using NeuralStyle.Images;

namespace NeuralStyle.Cli.Video;

/// <summary>
/// <c>video INPUT --painter NAME.onnx -o OUTPUT</c>: each frame through a trained painter, one pass
/// each (frame by frame, so it flickers where the painter answers small changes with other strokes).
/// Finished frames stay in the work folder, and a rerun continues there.
/// </summary>
internal static class VideoPainterRun
{
    public static int Run(string input, string painterFile, PainterEngine engine, string output, string work, StyleTransferOptions options)
    {
        var toVideo = VideoRun.RequireOutput(output);
        var paintingOptions = FastPaintJob.PaintingOptions(options);
        using var painter = FastPainter.Load(painterFile, engine);
        var clip = Clip.Open(input, work, options.Size);
        var painted = Path.Combine(work, "painted");
        Directory.CreateDirectory(painted);
        // Finished frames are reused only by the job that painted them.
        VideoRun.RequireSameJob(work, string.Join('\n', "painter", Path.GetFullPath(painterFile), File.GetLastWriteTimeUtc(painterFile).ToString("O", CultureInfo.InvariantCulture), StyleTransferSettings.ToJson(options)));
        string PaintedPath(int k) => Path.Combine(painted, $"frame_{k:0000}.png");
        Console.Error.WriteLine($"neural-style: video: {clip.Count} frames at {clip.Width}×{clip.Height}, painter {Path.GetFileName(painterFile)}");
        using var stop = new StopSignals("neural-style: stopping after this frame; finished frames stay in the work folder (Ctrl+C again quits at once)");
        var clock = Stopwatch.StartNew();
        var paintedNow = 0;
        for (var k = 1; k <= clip.Count && !stop.Stopped; k++)
        {
            if (!File.Exists(PaintedPath(k)))
            {
                ImageFile.SaveAtomically(painter.Paint(clip.Frame(k), paintingOptions), PaintedPath(k));
                paintedNow++;
            }
        }

        if (stop.Stopped)
        {
            Console.Error.WriteLine($"neural-style: stopped; {Enumerable.Range(1, clip.Count).Count(k => File.Exists(PaintedPath(k)))} of {clip.Count} frames are finished in {painted} (run again to go on)");
            return stop.ExitCode;
        }

        VideoRun.WriteOutput(painted, clip, output, toVideo);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"neural-style: wrote {output} ({clip.Count} frames, {clip.Width}×{clip.Height}; {paintedNow} painted at {paintedNow / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):0.0} frames a second, decoding and encoding included)"));
        return 0;
    }
}
