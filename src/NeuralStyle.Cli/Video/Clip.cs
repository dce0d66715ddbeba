using NeuralStyle.Cli.Batch;
using NeuralStyle.Images;

namespace NeuralStyle.Cli.Video;

/// <summary>
/// A clip's frames as pictures, numbered from 1: the pictures of a folder (sorted by name) or a video's
/// frames decoded by ffmpeg into the work folder; its frame rate and where its sound comes from.
/// </summary>
internal sealed class Clip
{
    // A folder of frames has no rate of its own; this is the common one for video.
    private const string FolderFrameRate = "25";

    private readonly IReadOnlyList<string> files;
    private readonly int size;

    private Clip(IReadOnlyList<string> files, int size, string frameRate, string? audio)
    {
        (this.files, this.size, FrameRate, Audio) = (files, size, frameRate, audio);
        (Width, Height) = ImageFile.Load(files[0], size).SizeWithLongestSide(size);
    }

    public int Count => files.Count;

    public int Width { get; }

    public int Height { get; }

    public string FrameRate { get; }

    /// <summary>The video whose sound the result keeps; null when there is none.</summary>
    public string? Audio { get; }

    /// <summary>Opens <paramref name="input"/>, decoding a video into <paramref name="work"/>/frames (once: a rerun reads them there).</summary>
    /// <exception cref="StyleTransferException">No such input, not a video, no pictures, or pictures of different sizes.</exception>
    public static Clip Open(string input, string work, int size)
    {
        if (Directory.Exists(input))
        {
            var pictures = BatchList.PicturesIn(input).ToList();
            if (pictures.Count == 0)
            {
                throw new StyleTransferException($"{input}: the folder has no pictures (.png, .jpg, …)");
            }

            RequireOneSize(pictures);
            return new Clip(pictures, size, FolderFrameRate, null);
        }

        if (!File.Exists(input))
        {
            throw new StyleTransferException($"{input}: no such video or folder of frames");
        }

        var streams = Ffmpeg.Probe(input);
        var frames = Path.Combine(work, "frames");
        var done = Path.Combine(frames, ".decoded");
        if (!File.Exists(done))
        {
            Directory.CreateDirectory(frames);
            Ffmpeg.Decode(input, frames);
            File.WriteAllText(done, input);
        }

        var decoded = BatchList.PicturesIn(frames).ToList();
        return decoded.Count == 0
            ? throw new StyleTransferException($"{input}: ffmpeg found no frames in it")
            : new Clip(decoded, size, streams.FrameRate, streams.HasAudio ? input : null);
    }

    /// <summary>Frame <paramref name="number"/> (from 1) at the size it is painted at (its longest side the job's size).</summary>
    public RgbImage Frame(int number) => ImageFile.Resize(ImageFile.Load(files[number - 1], size), Width, Height);

    private static void RequireOneSize(List<string> pictures)
    {
        var sizes = pictures.Select(p => (Path: p, Size: ImageFile.ReadSize(p))).ToList();
        var other = sizes.FirstOrDefault(s => s.Size != sizes[0].Size);
        if (other.Path is not null)
        {
            throw new StyleTransferException($"{other.Path}: {other.Size.Width}×{other.Size.Height}, but {sizes[0].Path} is {sizes[0].Size.Width}×{sizes[0].Size.Height}: a clip's frames must all have one size");
        }
    }
}
