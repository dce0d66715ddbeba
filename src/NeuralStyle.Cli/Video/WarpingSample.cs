using NeuralStyle.Images;
using NeuralStyle.Quality;

namespace NeuralStyle.Cli.Video;

/// <summary>
/// The warping error of a painted clip over evenly spread pairs of consecutive frames, measured once
/// the clip is written: the flow each pair needs costs more than painting it, so a stream at camera
/// speed keeps up to <see cref="Pairs"/> pairs (photo and picture of both frames) instead of all.
/// </summary>
internal sealed class WarpingSample(int frames)
{
    /// <summary>The most pairs it keeps.</summary>
    public const int Pairs = 24;

    private readonly int every = Math.Max(1, (int)Math.Ceiling((frames - 1) / (double)Pairs));
    private readonly List<(RgbImage Photo, RgbImage Picture, RgbImage NextPhoto, RgbImage NextPicture)> kept = [];
    private (RgbImage Photo, RgbImage Picture)? previous;
    private int frame;

    /// <summary>Takes frame after frame, its photo and its painted picture.</summary>
    public void Add(RgbImage photo, RgbImage picture)
    {
        frame++;
        if (previous is { } p && (frame - 2) % every == 0 && kept.Count < Pairs)
        {
            kept.Add((p.Photo, p.Picture, photo, picture));
        }

        previous = (photo, picture);
    }

    /// <summary>How many pairs it measures.</summary>
    public int Count => kept.Count;

    /// <summary>The means of the kept pairs' warping errors, the pictures' beside the photos', along OpenCV's flow between the photos; null with no pair.</summary>
    public PaintedClipErrors? Errors() => kept.Count == 0 ? null : PaintedClipErrors.Mean(
        [.. kept.Select(pair => WarpingError.OfPaintedClip([pair.Picture, pair.NextPicture], [pair.Photo, pair.NextPhoto], _ => OpticalFlow.Back(pair.Photo, pair.NextPhoto)))]);
}
