using System.Collections.Concurrent;
using NeuralStyle.Images;

namespace NeuralStyle.FastPainters;

/// <summary>One photo of a painter's batch: where it is read from and where its picture goes.</summary>
/// <param name="Photo">The photo file.</param>
/// <param name="Output">The picture file (.png, .jpg or .jpeg), written atomically.</param>
public sealed record FastPaintingItem(string Photo, string Output);

/// <summary>
/// Paints many photos with one painter, end to end: the next photos are decoded and the last pictures
/// encoded on other threads while the painter paints, so that a batch runs at the painter's pace
/// rather than at the sum of decoding, painting and encoding.
/// </summary>
public static class FastPainterBatch
{
    private const int Ahead = 4;

    /// <summary>
    /// Paints every item, each photo brought to <paramref name="size"/> on its longest side;
    /// <paramref name="done"/> hears of each item as its picture is written, with null, or with the
    /// one-line reason it was not (a photo that cannot be decoded, a picture that cannot be written).
    /// </summary>
    /// <returns>How many pictures were written.</returns>
    public static int Run(FastPainter painter, IReadOnlyList<FastPaintingItem> items, int size, FastPaintingOptions options, Action<FastPaintingItem, string?> done, CancellationToken cancellation = default)
    {
        using var decoded = new BlockingCollection<(FastPaintingItem Item, RgbImage? Photo, string? Error)>(Ahead);
        using var painted = new BlockingCollection<(FastPaintingItem Item, RgbImage Picture)>(Ahead);
        var reader = Task.Run(() => Decode(items, size, decoded, cancellation));
        var written = 0;
        var writer = Task.Run(() =>
        {
            foreach (var (item, picture) in painted.GetConsumingEnumerable())
            {
                var error = Save(item, picture);
                written += error is null ? 1 : 0;
                done(item, error);
            }
        });
        try
        {
            foreach (var (item, photo, error) in decoded.GetConsumingEnumerable(cancellation))
            {
                if (photo is null)
                {
                    done(item, error);
                    continue;
                }

                painted.Add((item, painter.Paint(photo, options)), cancellation);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            painted.CompleteAdding();
            writer.Wait();
            reader.Wait();
        }

        return written;
    }

    private static void Decode(IReadOnlyList<FastPaintingItem> items, int size, BlockingCollection<(FastPaintingItem, RgbImage?, string?)> decoded, CancellationToken cancellation)
    {
        try
        {
            foreach (var item in items)
            {
                try
                {
                    decoded.Add((item, Fit(ImageFile.Load(item.Photo, size), size), null), cancellation);
                }
                catch (StyleTransferException e)
                {
                    decoded.Add((item, null, e.Message), cancellation);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            decoded.CompleteAdding();
        }
    }

    private static string? Save(FastPaintingItem item, RgbImage picture)
    {
        try
        {
            ImageFile.SaveAtomically(picture, item.Output);
            return null;
        }
        catch (StyleTransferException e)
        {
            return e.Message;
        }
    }

    /// <summary>The photo with <paramref name="side"/> on its longest side, as the optimisation paints it.</summary>
    public static RgbImage Fit(RgbImage photo, int side)
    {
        if (Math.Max(photo.Width, photo.Height) == side)
        {
            return photo;
        }

        var (width, height) = photo.SizeWithLongestSide(side);
        return ImageFile.Resize(photo, width, height);
    }
}
