using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using NeuralStyle.FastPainters;
using NeuralStyle.Images;

namespace NeuralStyle.Cli.Video;

/// <summary>
/// <c>video INPUT --painter NAME.onnx -o OUTPUT</c>: each frame through a trained painter in one pass,
/// streamed: ffmpeg decodes into a pipe, the painter paints, ffmpeg encodes from a pipe (the sound
/// kept), each on a thread of its own, with no picture file per frame. The output appears whole when
/// the clip is done, and a stopped run leaves none; the warping error of a sample of frame pairs
/// follows (<see cref="WarpingSample"/>).
/// </summary>
internal static class VideoPainterRun
{
    // Frames waiting between the stages: enough to ride over a slow frame, few enough to stay small.
    private const int Queue = 4;

    public static int Run(string input, string painterFile, PainterEngine engine, string output, StyleTransferOptions options, double? flowBlend = null)
    {
        if (flowBlend is not (null or (>= 0 and <= 1)))
        {
            throw new StyleTransferException($"--flow-blend {flowBlend}: takes a share from 0 to 1");
        }

        var toVideo = VideoRun.RequireOutput(output);
        var paintingOptions = FastPaintJob.PaintingOptions(options);
        using var painter = FastPainter.Load(painterFile, engine);
        var source = FrameSource.Open(input, options.Size);
        OpenCvRuntime.Require();
        using var stop = new StopSignals("neural-style: stopping; the output is not written (Ctrl+C again quits at once)");
        // Said once Ctrl+C is listened for: a stop from then on leaves no output.
        Console.Error.WriteLine($"neural-style: video: {(source.Count > 0 ? $"{source.Count} frames" : "a clip")} at {source.Width}×{source.Height}, painter {Path.GetFileName(painterFile)}{(flowBlend is { } b ? string.Create(CultureInfo.InvariantCulture, $", each frame blended {b:0.##} with the one before along the flow") : "")}");
        using var sink = FrameSink.Open(output, toVideo, source);
        var sample = new WarpingSample(source.Count);
        var clock = Stopwatch.StartNew();
        var blend = flowBlend is { } share ? new FlowBlend(share) : null;
        var painted = Stream(source, sink, frame => blend is null ? painter.Paint(frame, paintingOptions) : blend.Next(frame, painter.Paint(frame, paintingOptions)), sample, stop.Token);
        if (stop.Stopped)
        {
            Console.Error.WriteLine($"neural-style: stopped after {painted} frames; {output} was not written");
            return stop.ExitCode;
        }

        sink.Finish();
        var seconds = clock.Elapsed.TotalSeconds;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"neural-style: wrote {output} ({painted} frames, {source.Width}×{source.Height}; {painted / Math.Max(seconds, 1e-9):0.0} frames a second, decoding and encoding included)"));
        if (sample.Errors() is { } errors)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"neural-style: warping error {errors.Pictures:0.00000}, the clip's own {errors.Clip:0.00000}; where the clip's frames agree {errors.PicturesWhereStill:0.00000}, the clip's own {errors.ClipWhereStill:0.00000} (over {sample.Count} pairs of consecutive frames spread through the clip)"));
        }

        return 0;
    }

    // Decoding, painting and encoding overlap: one thread reads frames ahead, one paints and one writes
    // them behind. The first failure in any stage ends them all and is thrown.
    private static int Stream(FrameSource source, FrameSink sink, Func<RgbImage, RgbImage> paint, WarpingSample sample, CancellationToken stop)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var frames = new BlockingCollection<RgbImage>(Queue);
        using var pictures = new BlockingCollection<RgbImage>(Queue);
        var reader = Task.Run(() => Stage(failed, () =>
        {
            foreach (var frame in source.Frames().TakeWhile(_ => !failed.IsCancellationRequested))
            {
                frames.Add(frame, failed.Token);
            }
        }, frames.CompleteAdding));
        var writer = Task.Run(() => Stage(failed, () =>
        {
            foreach (var picture in pictures.GetConsumingEnumerable(failed.Token))
            {
                sink.Write(picture);
            }
        }, () => { }));
        var painted = 0;
        var painting = Task.Run(() => Stage(failed, () =>
        {
            foreach (var frame in frames.GetConsumingEnumerable(failed.Token))
            {
                var picture = paint(frame);
                sample.Add(frame, picture);
                pictures.Add(picture, failed.Token);
                painted++;
            }
        }, pictures.CompleteAdding));
        try
        {
            Task.WaitAll(reader, painting, writer);
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Throw(e.Flatten().InnerExceptions[0]);
        }

        return painted;
    }

    private static void Stage(CancellationTokenSource failed, Action work, Action done)
    {
        try
        {
            work();
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested)
        {
            // Another stage failed, or the user stopped the run: that stage reports it.
        }
        catch
        {
            failed.Cancel();
            throw;
        }
        finally
        {
            done();
        }
    }
}
