using System.Diagnostics;
using System.Globalization;
using NeuralStyle.FastPainters;

namespace NeuralStyle.Cli.Batch;

/// <summary>
/// <c>batch INPUT --painter NAME.onnx -o OUTDIR</c>: every photo through one trained painter, decoding
/// and encoding beside the painting (<see cref="FastPainterBatch"/>); results already there are skipped.
/// </summary>
internal static class BatchPainterRun
{
    public static int Run(string input, string painterFile, PainterEngine engine, string outputFolder, BatchShard shard, StyleTransferOptions options)
    {
        var paintingOptions = FastPaintJob.PaintingOptions(options);
        var all = Directory.Exists(input)
            ? [.. BatchList.PicturesIn(input).Select(photo => new FastPaintingItem(photo, BatchList.ResultPath(outputFolder, photo)))]
            : BatchList.Read(input, [painterFile], outputFolder, settings => settings ?? options).Select(i => new FastPaintingItem(i.Photo, i.Output)).ToList();
        var items = shard.Of(all).ToList();
        var waiting = items.Where(i => !File.Exists(i.Output)).ToList();
        Directory.CreateDirectory(outputFolder);
        using var painter = FastPainter.Load(painterFile, engine);
        using var stop = new StopSignals("neural-style: stopping after the pictures in hand (Ctrl+C again quits at once)");
        var failed = 0;
        var clock = Stopwatch.StartNew();
        var painted = FastPainterBatch.Run(painter, waiting, options.Size, paintingOptions, (item, error) =>
        {
            failed += error is null ? 0 : 1;
            Console.Error.WriteLine(error is null ? $"neural-style: wrote {item.Output}" : $"neural-style: {item.Photo}: {error}");
        }, stop.Token);
        var part = shard == BatchShard.All ? string.Empty : $" (shard {shard.Index}/{shard.Count} of {all.Count})";
        var rate = painted / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"neural-style: batch: {painted} painted, {items.Count - waiting.Count} skipped, {failed} failed of {items.Count}{part}; {rate:0.0} pictures a second"));
        return stop.Stopped ? stop.ExitCode : failed > 0 ? 1 : 0;
    }
}
