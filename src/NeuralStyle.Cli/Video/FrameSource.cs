using System.Diagnostics;
using NeuralStyle.Images;

namespace NeuralStyle.Cli.Video;

/// <summary>
/// A clip's frames one after another, each at the size it is painted at (its longest side the job's
/// size): a video's through ffmpeg's pipe, with no picture file per frame, or a folder's pictures.
/// </summary>
internal sealed class FrameSource
{
    private readonly string input;
    private readonly Clip? folder;

    private FrameSource(string input, Clip? folder, int width, int height, string frameRate, string? audio, int count)
    {
        (this.input, this.folder, Width, Height, FrameRate, Audio, Count) = (input, folder, width, height, frameRate, audio, count);
    }

    public int Width { get; }

    public int Height { get; }

    public string FrameRate { get; }

    /// <summary>The video whose sound the result keeps; null when there is none.</summary>
    public string? Audio { get; }

    /// <summary>How many frames it holds; 0 where a video's container does not say.</summary>
    public int Count { get; }

    /// <summary>Opens a video file or a folder of pictures.</summary>
    /// <exception cref="StyleTransferException">No such input, not a video, no pictures, or pictures of different sizes.</exception>
    public static FrameSource Open(string input, int size)
    {
        if (Directory.Exists(input))
        {
            var clip = Clip.Open(input, work: input, size);
            return new FrameSource(input, clip, clip.Width, clip.Height, clip.FrameRate, null, clip.Count);
        }

        if (!File.Exists(input))
        {
            throw new StyleTransferException($"{input}: no such video or folder of frames");
        }

        var streams = Ffmpeg.Probe(input);
        var (width, height) = RgbImage.SizeWithLongestSide(streams.Width, streams.Height, size);
        return new FrameSource(input, null, width, height, streams.FrameRate, streams.HasAudio ? input : null, streams.Frames);
    }

    /// <summary>The frames in order, read as they are asked for.</summary>
    /// <exception cref="StyleTransferException">ffmpeg failed part way, or found no frame.</exception>
    public IEnumerable<RgbImage> Frames()
    {
        if (folder is not null)
        {
            for (var k = 1; k <= folder.Count; k++)
            {
                yield return folder.Frame(k);
            }

            yield break;
        }

        using var ffmpeg = Ffmpeg.StartDecoding(input, Width, Height);
        var errors = ffmpeg.StandardError.ReadToEndAsync();
        var frames = 0;
        try
        {
            while (Next(ffmpeg.StandardOutput.BaseStream) is { } frame)
            {
                frames++;
                yield return frame;
            }
        }
        finally
        {
            Stop(ffmpeg);
        }

        if (ffmpeg.ExitCode != 0 || frames == 0)
        {
            throw new StyleTransferException($"{input}: ffmpeg could not decode its frames ({(frames == 0 && ffmpeg.ExitCode == 0 ? "no frames" : Ffmpeg.FirstLine(errors.Result))})");
        }
    }

    private RgbImage? Next(Stream pipe)
    {
        var pixels = new byte[Width * Height * 3];
        var read = pipe.ReadAtLeast(pixels, pixels.Length, throwOnEndOfStream: false);
        return read == pixels.Length ? new RgbImage(Width, Height, pixels) : null;
    }

    // A consumer that stops early (Ctrl+C, a failure downstream) leaves ffmpeg writing into a full pipe.
    private static void Stop(Process ffmpeg)
    {
        if (!ffmpeg.HasExited)
        {
            ffmpeg.Kill();
        }

        ffmpeg.WaitForExit();
    }
}
