using System.Diagnostics;
using System.Text.Json;

namespace NeuralStyle.Cli.Video;

/// <summary>Debian's <c>ffmpeg</c> and <c>ffprobe</c>, run as processes: what a video holds, its frames out, a video in.</summary>
internal static class Ffmpeg
{
    /// <summary>A video's frame rate (as ffmpeg writes it, e.g. 30000/1001) and whether it has sound.</summary>
    public sealed record Streams(string FrameRate, bool HasAudio);

    /// <summary>What <paramref name="video"/> holds.</summary>
    /// <exception cref="StyleTransferException">ffprobe is missing, the file is not a video it reads, or it has no video stream.</exception>
    public static Streams Probe(string video)
    {
        var (code, output, error) = Run("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type,avg_frame_rate,r_frame_rate", "-of", "json", video]);
        if (code != 0)
        {
            throw new StyleTransferException($"{video}: not a video ffmpeg can read ({FirstLine(error)})");
        }

        var streams = JsonDocument.Parse(output).RootElement.TryGetProperty("streams", out var s) ? s.EnumerateArray().ToList() : [];
        var picture = streams.FirstOrDefault(e => e.GetProperty("codec_type").GetString() == "video");
        if (picture.ValueKind == JsonValueKind.Undefined)
        {
            throw new StyleTransferException($"{video}: has no video stream");
        }

        var rate = picture.TryGetProperty("avg_frame_rate", out var a) && a.GetString() is { } avg && avg != "0/0" ? avg : picture.GetProperty("r_frame_rate").GetString()!;
        return new Streams(rate, streams.Any(e => e.GetProperty("codec_type").GetString() == "audio"));
    }

    /// <summary>Writes every frame of <paramref name="video"/> into <paramref name="folder"/> as frame_0001.png, … (numbered from 1).</summary>
    public static void Decode(string video, string folder)
    {
        var (code, _, error) = Run("ffmpeg", ["-v", "error", "-nostdin", "-y", "-i", video, "-map", "0:v:0", "-vsync", "passthrough", Path.Combine(folder, "frame_%04d.png")]);
        if (code != 0)
        {
            throw new StyleTransferException($"{video}: ffmpeg could not decode its frames ({FirstLine(error)})");
        }
    }

    /// <summary>
    /// Encodes the numbered frames of <paramref name="folder"/> at <paramref name="frameRate"/> into
    /// <paramref name="output"/> (H.264 for .mp4 and .mkv, VP9 for .webm), with the audio of
    /// <paramref name="audioFrom"/> when given, through a temporary file renamed over it.
    /// </summary>
    public static void Encode(string folder, string frameRate, string? audioFrom, string output)
    {
        var extension = Path.GetExtension(output).ToLowerInvariant();
        var temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, $".{Path.GetFileNameWithoutExtension(output)}.{Environment.ProcessId}{extension}");
        List<string> arguments = ["-v", "error", "-nostdin", "-y", "-framerate", frameRate, "-i", Path.Combine(folder, "frame_%04d.png")];
        if (audioFrom is not null)
        {
            arguments.AddRange(["-i", audioFrom, "-map", "0:v:0", "-map", "1:a", "-shortest"]);
        }

        arguments.AddRange(extension == ".webm"
            ? ["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "30", "-c:a", "libopus"]
            : ["-c:v", "libx264", "-crf", "18", "-preset", "medium", "-c:a", "aac"]);
        arguments.AddRange(["-pix_fmt", "yuv420p", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", temporary]);
        var (code, _, error) = Run("ffmpeg", arguments);
        if (code != 0)
        {
            File.Delete(temporary);
            throw new StyleTransferException($"{output}: ffmpeg could not write the video ({FirstLine(error)})");
        }

        File.Move(temporary, output, overwrite: true);
    }

    private static (int Code, string Output, string Error) Run(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new StyleTransferException($"{program} not found: video needs Debian's ffmpeg (sudo apt-get install ffmpeg)");
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no message";
}
