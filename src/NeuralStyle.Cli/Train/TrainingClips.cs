using NeuralStyle.Cli.Video;
using NeuralStyle.FastPainters;
using NeuralStyle.Images;

namespace NeuralStyle.Cli.Train;

/// <summary>
/// The real clips of <c>train --clips FOLDER</c>: pairs of consecutive frames spread through each
/// video (or folder of frames) in the folder, read at the photos' side, with OpenCV's flow from the
/// second back to the first and its reliability, as <c>video</c> computes them.
/// </summary>
internal static class TrainingClips
{
    /// <summary>Pairs taken from each clip at most: the flows cost about a third of a second a pair at 512 px.</summary>
    public const int PairsPerClip = 16;

    /// <summary>The pairs of every clip in <paramref name="folder"/>; <paramref name="say"/> is told of each clip left out, in a line that names it.</summary>
    /// <exception cref="StyleTransferException">No such folder, or no clip in it with two frames.</exception>
    public static IReadOnlyList<ClipPair> Read(string folder, int side, Action<string> say)
    {
        if (!Directory.Exists(folder))
        {
            throw new StyleTransferException($"--clips {folder}: no such folder");
        }

        var pairs = new List<ClipPair>();
        foreach (var clip in Directory.EnumerateFileSystemEntries(folder).Where(e => !Path.GetFileName(e).StartsWith('.')).Order(StringComparer.Ordinal))
        {
            try
            {
                pairs.AddRange(PairsOf(FrameSource.Open(clip, side)));
            }
            catch (StyleTransferException e)
            {
                say($"{clip}: left out ({e.Message})");
            }
        }

        return pairs.Count > 0 ? pairs : throw new StyleTransferException($"--clips {folder}: holds no clip of two frames or more that ffmpeg reads");
    }

    // Pairs of consecutive frames, one every so many frames so that they spread through the clip.
    private static List<ClipPair> PairsOf(FrameSource source)
    {
        var every = Math.Max(1, (source.Count - 1) / PairsPerClip);
        var pairs = new List<ClipPair>();
        RgbImage? previous = null;
        var index = 0;
        foreach (var frame in source.Frames())
        {
            if (previous is not null && (index - 1) % every == 0)
            {
                var (backward, reliable) = OpticalFlow.Back(previous, frame);
                pairs.Add(new ClipPair(previous, frame, backward, reliable));
                if (pairs.Count == PairsPerClip)
                {
                    break;
                }
            }

            previous = frame;
            index++;
        }

        return pairs;
    }
}
