using NeuralStyle.Images;
using static TorchSharp.torch;

namespace NeuralStyle.FastPainters;

/// <summary>
/// The photos a painter trains on: a folder's images (searched through its subfolders) or a manifest,
/// a text file with one path per line. Each is decoded the first time a crop needs it, brought to the
/// training's photo side and kept; one that cannot be decoded is reported once and left out.
/// </summary>
public sealed class TrainingPhotos
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif"];

    // Grey levels of standard deviation under which a crop counts as flat, and the draws a crop gets
    // before a flat one is taken anyway (a folder of skies still trains).
    private const float FlatCrop = 12;
    private const int FlatTries = 8;
    private readonly List<string> files;
    private readonly Dictionary<string, RgbImage> decoded = [];
    private readonly Action<string> skipped;
    private readonly string source;

    private TrainingPhotos(string source, List<string> files, Action<string> skipped)
    {
        (this.source, this.files, this.skipped) = (source, files, skipped);
    }

    /// <summary>The photos not yet found undecodable, in name order.</summary>
    public IReadOnlyList<string> Files => files;

    /// <summary>Whether a file's name is a photo's that training reads (by its extension).</summary>
    public static bool IsPhoto(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>
    /// Lists the photos of a folder or a manifest; <paramref name="skipped"/> is told of each photo left
    /// out, in a line that names it.
    /// </summary>
    /// <exception cref="StyleTransferException">No such folder or manifest, or it names no image file.</exception>
    public static TrainingPhotos Open(string folderOrManifest, Action<string> skipped)
    {
        List<string> files;
        if (Directory.Exists(folderOrManifest))
        {
            files = [.. Directory.EnumerateFiles(folderOrManifest, "*", SearchOption.AllDirectories)
                .Where(IsPhoto)
                .Order(StringComparer.Ordinal)];
        }
        else if (File.Exists(folderOrManifest))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(folderOrManifest))!;
            files = [.. File.ReadLines(folderOrManifest).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => Path.GetFullPath(l, folder))];
        }
        else
        {
            throw new StyleTransferException($"{folderOrManifest}: no such folder or manifest");
        }

        return files.Count > 0 ? new TrainingPhotos(folderOrManifest, files, skipped)
            : throw new StyleTransferException($"{folderOrManifest}: holds no photo ({string.Join(", ", Extensions)})");
    }

    /// <summary>
    /// Takes every <paramref name="every"/>-th photo, up to <paramref name="count"/>, out of the training
    /// photos, to show what the painter makes of photos it never saw; none when there are fewer than
    /// <paramref name="every"/> photos.
    /// </summary>
    internal IReadOnlyList<string> HoldOut(int count, int every)
    {
        var held = Enumerable.Range(0, Math.Min(count, files.Count / every)).Select(i => files[i * every]).ToList();
        files.RemoveAll(held.Contains);
        return held;
    }

    /// <summary>
    /// The photo at <paramref name="index"/> (of <see cref="Files"/>, as it stands) with its longest side
    /// <paramref name="side"/> and its shorter at least <paramref name="least"/>; null when it could
    /// not be decoded (it is then left out and reported).
    /// </summary>
    internal RgbImage? Photo(int index, int side, int least)
    {
        var file = files[index];
        if (decoded.TryGetValue(file, out var photo))
        {
            return photo;
        }

        try
        {
            var image = ImageFile.Load(file, side);
            var scale = Math.Max((double)side / Math.Max(image.Width, image.Height), (double)least / Math.Min(image.Width, image.Height));
            var (width, height) = (Math.Max(least, (int)Math.Round(image.Width * scale)), Math.Max(least, (int)Math.Round(image.Height * scale)));
            photo = ImageFile.Resize(image, width, height);
            decoded[file] = photo;
            return photo;
        }
        catch (StyleTransferException e)
        {
            files.RemoveAt(index);
            skipped($"{e.Message}; skipped");
            return files.Count > 0 ? null : throw new StyleTransferException($"{source}: no photo could be decoded");
        }
    }

    /// <summary>
    /// <paramref name="count"/> random square crops of <paramref name="size"/> from photos drawn from
    /// <paramref name="draw"/> (indices into <see cref="Files"/>), each flipped at random, RGB 0–255 [count, 3, size, size].
    /// </summary>
    internal Tensor Crops(int count, int size, int side, Random random, Func<int> draw)
    {
        var crops = new List<Tensor>();
        var flat = 0;
        using var scope = NewDisposeScope();
        while (crops.Count < count)
        {
            if (Photo(draw(), side, size) is not { } photo)
            {
                continue;
            }

            var (left, top) = (random.Next(photo.Width - size + 1), random.Next(photo.Height - size + 1));
            var crop = ImageTensor.ToTensor(photo, float32, CPU)[.., .., top..(top + size), left..(left + size)];
            if (Keeps(crop, ref flat))
            {
                crops.Add(random.Next(2) == 0 ? crop : crop.flip(3));
            }
        }

        return cat(crops, 0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Whether a drawn crop is taken: a nearly flat one (a clear sky, a black frame; deviation under
    /// 12 of 255) teaches nothing of the picture, and instance normalisation stretches it into noise
    /// whose gradient explodes back through the layers, so another is drawn, up to 8 in a row.
    /// <paramref name="flat"/> counts the flat ones drawn in a row.
    /// </summary>
    internal static bool Keeps(Tensor crop, ref int flat)
    {
        if (crop.std().item<float>() >= FlatCrop || ++flat > FlatTries)
        {
            flat = 0;
            return true;
        }

        return false;
    }
}
