namespace NeuralStyle.Planning;

/// <summary>A half-open range of rows or columns, [Start, End).</summary>
/// <param name="Start">The first.</param>
/// <param name="End">One past the last.</param>
public readonly record struct PixelRange(int Start, int End)
{
    /// <summary>How many.</summary>
    public int Length => End - Start;
}

/// <summary>One tile: the part of the picture it answers for and the part it reads (that, with a margin).</summary>
/// <param name="Rows">Rows it answers for.</param>
/// <param name="Columns">Columns it answers for.</param>
/// <param name="OuterRows">Rows it reads.</param>
/// <param name="OuterColumns">Columns it reads.</param>
public sealed record TileBox(PixelRange Rows, PixelRange Columns, PixelRange OuterRows, PixelRange OuterColumns);

/// <summary>
/// A picture cut into tiles whose inner parts partition it. Each tile reads its inner part with a
/// margin on every side that is not the picture's edge, wide enough for the deepest layer's receptive
/// field, and every cut lies on a multiple of the network's total stride, so that the responses a
/// tile computes for its inner part are exactly the whole picture's there (Gram matrices, losses
/// and gradients then add up over the tiles to the whole picture's).
/// </summary>
public sealed class TileGrid
{
    /// <summary>Lays out tiles of about <paramref name="inner"/> pixels a side (rounded up to the alignment) over a picture.</summary>
    public TileGrid(int height, int width, int inner, int margin, int alignment)
    {
        var step = Math.Max(alignment, (inner + alignment - 1) / alignment * alignment);
        (Height, Width, Alignment) = (height, width, alignment);
        Tiles = [.. from rows in Ranges(height, step, margin) from columns in Ranges(width, step, margin) select new TileBox(rows.Inner, columns.Inner, rows.Outer, columns.Outer)];
    }

    /// <summary>The picture's height.</summary>
    public int Height { get; }

    /// <summary>The picture's width.</summary>
    public int Width { get; }

    /// <summary>The total stride every cut lies on.</summary>
    public int Alignment { get; }

    /// <summary>The tiles, row by row.</summary>
    public IReadOnlyList<TileBox> Tiles { get; }

    /// <summary>
    /// The rows (or columns) of a layer with <paramref name="stride"/> that a tile answers for, counted
    /// in the tile's own responses, which have <paramref name="layerLength"/> of them.
    /// </summary>
    public static PixelRange AtLayer(PixelRange inner, PixelRange outer, int pictureLength, int stride, int layerLength) => new(
        (inner.Start - outer.Start) / stride,
        inner.End == pictureLength ? layerLength : (inner.End - outer.Start) / stride);

    private static IEnumerable<(PixelRange Inner, PixelRange Outer)> Ranges(int length, int step, int margin)
    {
        for (var start = 0; start < length; start += step)
        {
            var end = Math.Min(length, start + step);
            yield return (new PixelRange(start, end), new PixelRange(Math.Max(0, start - margin), Math.Min(length, end + margin)));
        }
    }
}
