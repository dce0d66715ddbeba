using System.Diagnostics;
using System.Text.Json;

namespace NeuralStyle.Cli.Video;

/// <summary>Debian's <c>ffmpeg</c> and <c>ffprobe</c>, run as processes: what a video holds, its frames out, a video in.</summary>
internal static class Ffmpeg
{
    /// <summary>A video's frame rate (as ffmpeg writes it, e.g. 30000/1001), whether it has sound, its picture's size and its frames (0 where the container does not count them).</summary>
    public sealed record Streams(string FrameRate, bool HasAudio, int Width, int Height, int Frames);

    /// <summary>What <paramref name="video"/> holds.</summary>
    /// <exception cref="StyleTransferException">ffprobe is missing, the file is not a video it reads, or it has no video stream.</exception>
    public static Streams Probe(string video)
    {
        var (code, output, error) = Run("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type,avg_frame_rate,r_frame_rate,width,height,nb_read_packets", "-count_packets", "-of", "json", video]);
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
        int Number(string name) => picture.TryGetProperty(name, out var n) ? n.ValueKind == JsonValueKind.Number ? n.GetInt32() : int.TryParse(n.GetString(), out var parsed) ? parsed : 0 : 0;
        return new Streams(rate, streams.Any(e => e.GetProperty("codec_type").GetString() == "audio"), Number("width"), Number("height"), Number("nb_read_packets"));
    }

    /// <summary>The name of frame <paramref name="k"/> (from 1) in a folder of frames, as <see cref="Decode"/> writes and <see cref="Encode"/> reads them.</summary>
    public static string FrameName(int k) => $"frame_{k:0000}.png";

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
        var temporary = TemporaryBeside(output);
        var (code, _, error) = Run("ffmpeg", EncodeArguments(["-nostdin", "-framerate", frameRate, "-i", Path.Combine(folder, "frame_%04d.png")], audioFrom, temporary, "medium"));
        if (code != 0)
        {
            File.Delete(temporary);
            throw new StyleTransferException($"{output}: ffmpeg could not write the video ({FirstLine(error)})");
        }

        File.Move(temporary, output, overwrite: true);
    }

    /// <summary>
    /// ffmpeg decoding <paramref name="video"/>'s frames at <paramref name="width"/> × <paramref name="height"/>
    /// into its standard output as raw RGB (3 bytes a pixel, row by row), one frame after another.
    /// </summary>
    public static Process StartDecoding(string video, int width, int height) => Start(
        "ffmpeg",
        ["-v", "error", "-nostdin", "-i", video, "-map", "0:v:0", "-vsync", "passthrough", "-vf", $"scale={width}:{height}:flags=area", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
        readsInput: false);

    /// <summary>
    /// ffmpeg encoding raw RGB frames of <paramref name="width"/> × <paramref name="height"/> from its
    /// standard input at <paramref name="frameRate"/> into <paramref name="temporary"/>, as <see cref="Encode"/> does
    /// but with x264's "veryfast" preset: at the same quality (CRF 18) it takes a third of "medium"'s
    /// time, which a stream at camera speed shares the CPU with, for a somewhat larger file.
    /// </summary>
    public static Process StartEncoding(int width, int height, string frameRate, string? audioFrom, string temporary) => Start(
        "ffmpeg",
        EncodeArguments(["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{width}x{height}", "-framerate", frameRate, "-i", "pipe:0"], audioFrom, temporary, "veryfast"),
        readsInput: true);

    /// <summary>The hidden file an output is written to before it is renamed over the output.</summary>
    public static string TemporaryBeside(string output) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, $".{Path.GetFileNameWithoutExtension(output)}.{Environment.ProcessId}{Path.GetExtension(output).ToLowerInvariant()}");

    private static List<string> EncodeArguments(IEnumerable<string> input, string? audioFrom, string temporary, string x264Preset)
    {
        List<string> arguments = ["-v", "error", "-y", .. input];
        if (audioFrom is not null)
        {
            arguments.AddRange(["-i", audioFrom, "-map", "0:v:0", "-map", "1:a", "-shortest"]);
        }

        arguments.AddRange(Path.GetExtension(temporary) == ".webm"
            ? ["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "30", "-c:a", "libopus"]
            : ["-c:v", "libx264", "-crf", "18", "-preset", x264Preset, "-c:a", "aac"]);
        arguments.AddRange(["-pix_fmt", "yuv420p", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", temporary]);
        return arguments;
    }

    // Standard error is always read; standard output is, unless the program reads its input instead.
    private static Process Start(string program, IEnumerable<string> arguments, bool readsInput)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = !readsInput, RedirectStandardInput = readsInput, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            return Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new StyleTransferException($"{program} not found: video needs Debian's ffmpeg (sudo apt-get install ffmpeg)");
        }
    }

    /// <summary>The first line of an error text, or "no message".</summary>
    public static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no message";

    private static (int Code, string Output, string Error) Run(string program, IEnumerable<string> arguments)
    {
        using var process = Start(program, arguments, readsInput: false);
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
