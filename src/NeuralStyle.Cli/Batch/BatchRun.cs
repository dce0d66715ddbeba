using System.Diagnostics;
using System.Globalization;
using NeuralStyle.Images;

namespace NeuralStyle.Cli.Batch;

/// <summary>
/// Paints a batch's pictures in order with as few painters as it can (a new one only where the
/// paintings or the options change), writing each result atomically and skipping results already
/// there, so that a rerun resumes and a killed task loses at most the picture in progress.
/// </summary>
internal static class BatchRun
{
    public static int Run(IReadOnlyList<BatchItem> all, BatchShard shard)
    {
        var items = shard.Of(all).ToList();
        var tally = new Tally(items.Count(i => !File.Exists(i.Output)));
        using var stop = new StopSignals("neural-style: stopping after this iteration; the picture in progress is not written (Ctrl+C again quits at once)");
        using var painters = new PainterCache();
        for (var k = 0; k < items.Count && !stop.Stopped; k++)
        {
            PaintOne(items[k], $"picture {k + 1} of {items.Count}", painters, tally, stop.Token);
        }

        var part = shard == BatchShard.All ? string.Empty : $" (shard {shard.Index}/{shard.Count} of {all.Count})";
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"neural-style: batch: {tally.Painted} painted, {tally.Skipped} skipped, {tally.Failed} failed of {items.Count}{part}; {tally.SecondsPerPicture:0.0} s per picture"));
        return stop.Stopped ? stop.ExitCode : tally.Failed > 0 ? 1 : 0;
    }

    private static void PaintOne(BatchItem item, string which, PainterCache painters, Tally tally, CancellationToken stop)
    {
        if (File.Exists(item.Output))
        {
            tally.Skipped++;
            Console.Error.WriteLine($"neural-style: {which}: {item.Output} is there already; skipped");
            return;
        }

        Console.Error.WriteLine($"neural-style: {which}: {item.Photo}{tally.Eta()}");
        var clock = Stopwatch.StartNew();
        try
        {
            var painter = painters.For(item);
            var photo = ImageFile.Load(item.Photo, item.Options.Size);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(item.Output))!);
            var result = ConsoleProgress.Show(progress => painter.Paint(photo, progress, cancellation: stop));
            if (result.Cancelled)
            {
                return;
            }

            ImageFile.SaveAtomically(result.Image, item.Output);
            tally.Painted++;
            tally.Seconds += clock.Elapsed.TotalSeconds;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"neural-style: wrote {item.Output} ({result.Image.Width}×{result.Image.Height}, {clock.Elapsed.TotalSeconds:0.0} s, resident {Environment.WorkingSet / (double)(1L << 30):0.00} GiB)"));
        }
        catch (StyleTransferException e)
        {
            tally.Failed++;
            tally.Seconds += clock.Elapsed.TotalSeconds;
            Console.Error.WriteLine($"neural-style: {item.Photo}: {StyleCommand.MessageAbout(item.Photo, e)}");
        }
    }

    // Counts, and the time per picture tried, which the batch's remaining time is reckoned from.
    private sealed class Tally(int toPaint)
    {
        public int Painted { get; set; }

        public int Skipped { get; set; }

        public int Failed { get; set; }

        public double Seconds { get; set; }

        public double SecondsPerPicture => Painted + Failed == 0 ? 0 : Seconds / (Painted + Failed);

        public string Eta() => Painted + Failed == 0
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $" (batch ETA {TimeSpan.FromSeconds(SecondsPerPicture * (toPaint - Painted - Failed)):hh\\:mm\\:ss})");
    }

    // The painter of the pictures in hand: kept while the paintings and the options stay the same.
    private sealed class PainterCache : IDisposable
    {
        private (string Key, Painter? Painter, StyleTransferException? Error) current;

        public Painter For(BatchItem item)
        {
            var key = string.Join('\n', item.Paintings.Prepend(StyleTransferSettings.ToJson(item.Options)));
            if (current.Key != key)
            {
                current.Painter?.Dispose();
                current = (key, null, null);
                try
                {
                    current.Painter = new Painter(StyleSources.Load(item.Paintings, item.Options), item.Options);
                }
                catch (StyleTransferException e)
                {
                    current.Error = e;
                }
            }

            return current.Painter ?? throw current.Error!;
        }

        public void Dispose() => current.Painter?.Dispose();
    }
}
