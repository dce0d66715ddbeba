using System.Diagnostics;
using System.Globalization;
using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Quality;
using NeuralStyle.Video;

namespace NeuralStyle.Cli.Video;

/// <summary>What <c>neural-style video</c> was asked to do.</summary>
/// <param name="Input">A video file or a folder of frames.</param>
/// <param name="Paintings">The paintings' paths.</param>
/// <param name="Output">A video file (.mp4, .webm, .mkv) or a folder.</param>
/// <param name="Work">The work folder: frames, flows, reliability maps, finished frames.</param>
/// <param name="Flow">A folder of the user's .flo files; null: OpenCV's flow.</param>
/// <param name="Earlier">How many frames back each frame is held to (1: its predecessor only).</param>
/// <param name="Video">The temporal term's settings.</param>
/// <param name="Options">The still-picture options.</param>
internal sealed record VideoJob(string Input, IReadOnlyList<string> Paintings, string Output, string Work, string? Flow, IReadOnlyList<int> Earlier, VideoOptions Video, StyleTransferOptions Options);

/// <summary>
/// Paints a clip frame by frame into the work folder (a finished frame is never painted again, so a
/// rerun continues and Ctrl+C keeps every finished frame), then writes the output and the warping error.
/// </summary>
internal static class VideoRun
{
    private static readonly string[] VideoExtensions = [".mp4", ".webm", ".mkv"];

    public static int Run(VideoJob job)
    {
        var toVideo = RequireOutput(job.Output);
        if (job.Flow is null)
        {
            OpenCvRuntime.Require();
        }

        var clip = Clip.Open(job.Input, job.Work, job.Options.Size);
        var flows = new FlowStore(clip, job.Work, job.Flow);
        flows.RequireGiven(job.Earlier);
        var painted = Path.Combine(job.Work, "painted");
        Directory.CreateDirectory(painted);
        job = job with { Options = job.Options with { Seed = job.Options.Seed ?? ClipSeed(job.Work) } };
        RequireSameJob(job);
        string PaintedPath(int k) => Path.Combine(painted, Ffmpeg.FrameName(k));

        using var painter = new ClipPainter(StyleSources.Load(job.Paintings, job.Options), job.Options, job.Video, clip.Frame(1));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"neural-style: video: {clip.Count} frames at {clip.Width}×{clip.Height}, {painter.Network.Name()}; the first {painter.FirstIterations} iterations, each later one {painter.FrameIterations}, temporal weight {painter.TemporalWeight:g4}"));
        using var stop = new StopSignals("neural-style: stopping after this iteration; finished frames stay in the work folder (Ctrl+C again quits at once)");
        var clock = new Stopwatch();
        var paintedNow = 0;
        for (var k = 1; k <= clip.Count && !stop.Stopped; k++)
        {
            if (File.Exists(PaintedPath(k)))
            {
                continue;
            }

            Console.Error.WriteLine($"neural-style: frame {k} of {clip.Count}{Eta(clock.Elapsed, paintedNow, clip.Count - k + 1)}");
            clock.Start();
            var frame = clip.Frame(k);
            var earlier = job.Earlier.Where(j => k - j >= 1).Select(j =>
            {
                var (backward, reliability) = flows.For(k, k - j);
                return (Warping.Warp(ImageFile.Load(PaintedPath(k - j)), backward), reliability.AgreeingWith(frame, Warping.Warp(clip.Frame(k - j), backward)));
            }).ToList();
            var result = ConsoleProgress.Show(progress => k == 1 ? painter.PaintFirst(frame, progress, stop.Token) : painter.PaintNext(frame, earlier, progress, stop.Token));
            clock.Stop();
            if (result.Cancelled)
            {
                break;
            }

            ImageFile.SaveAtomically(result.Image, PaintedPath(k));
            paintedNow++;
        }

        if (stop.Stopped)
        {
            Console.Error.WriteLine($"neural-style: stopped; {Enumerable.Range(1, clip.Count).Count(k => File.Exists(PaintedPath(k)))} of {clip.Count} frames are finished in {painted} (run again to go on)");
            return stop.ExitCode;
        }

        WriteOutput(painted, clip, job.Output, toVideo);
        var error = WarpingError.OfClip([.. Enumerable.Range(1, clip.Count).Select(k => ImageFile.Load(PaintedPath(k)))], i => flows.For(i + 1, i));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"neural-style: wrote {job.Output} ({clip.Count} frames, {clip.Width}×{clip.Height}); warping error {error:0.00000}"));
        return 0;
    }

    // A video file by its extension, else a folder; checked before any work.
    internal static bool RequireOutput(string output)
    {
        var extension = Path.GetExtension(output).ToLowerInvariant();
        var toVideo = VideoExtensions.Contains(extension);
        if (!toVideo && extension is not "")
        {
            throw new StyleTransferException($"{output}: a video output ends in .mp4, .webm or .mkv; a folder has no extension");
        }

        if (toVideo && Directory.Exists(output))
        {
            throw new StyleTransferException($"{output}: is a folder, not a video file name");
        }

        ImageFile.RequireWritableFolder(output);
        if (!toVideo && File.Exists(output))
        {
            throw new StyleTransferException($"{output}: is a file; give a folder for frames, or a .mp4, .webm or .mkv name");
        }

        return toVideo;
    }

    // Drawn once for the clip and kept in the work folder, so that a rerun paints with the same shifts.
    private static int ClipSeed(string work)
    {
        var path = Path.Combine(work, "seed.txt");
        if (File.Exists(path) && int.TryParse(File.ReadAllText(path), NumberStyles.Integer, CultureInfo.InvariantCulture, out var kept))
        {
            return kept;
        }

        var seed = Random.Shared.Next();
        File.WriteAllText(path, seed.ToString(CultureInfo.InvariantCulture));
        return seed;
    }

    // Finished frames are reused only by the job that painted them.
    private static void RequireSameJob(VideoJob job)
    {
        var settings = string.Join('\n', job.Paintings.Select(Path.GetFullPath).Prepend(StyleTransferSettings.ToJson(job.Options)).Append(job.Video.ToString()).Append(string.Join(',', job.Earlier)));
        var path = Path.Combine(job.Work, "job.txt");
        if (File.Exists(path) && File.ReadAllText(path) != settings)
        {
            throw new StyleTransferException($"{job.Work}: the work folder holds frames painted with other paintings or settings; remove it or give another --work");
        }

        File.WriteAllText(path, settings);
    }

    private static void WriteOutput(string painted, Clip clip, string output, bool toVideo)
    {
        if (toVideo)
        {
            Ffmpeg.Encode(painted, clip.FrameRate, clip.Audio, output);
            return;
        }

        Directory.CreateDirectory(output);
        for (var k = 1; k <= clip.Count; k++)
        {
            var name = Ffmpeg.FrameName(k);
            var temporary = Path.Combine(output, $".{name}.{Environment.ProcessId}.tmp");
            File.Copy(Path.Combine(painted, name), temporary, overwrite: true);
            File.Move(temporary, Path.Combine(output, name), overwrite: true);
        }
    }

    private static string Eta(TimeSpan spent, int painted, int left) => painted == 0
        ? string.Empty
        : string.Create(CultureInfo.InvariantCulture, $" (clip ETA {TimeSpan.FromSeconds(spent.TotalSeconds / painted * left):hh\\:mm\\:ss})");
}
