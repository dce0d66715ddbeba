using System.Diagnostics;
using System.Globalization;
using NeuralStyle.FastPainters;
using NeuralStyle.Images;
using static TorchSharp.torch;

namespace NeuralStyle.Bench;

/// <summary>
/// <c>neural-style-bench painters [--widths 16,32,64;32,64,128] [--painter FILE] [--photos FOLDER-OR-MANIFEST] [--clip VIDEO] [--runs 10]</c>:
/// a painter's frames per second at 512×384 and 1920×1080 on each engine (untrained networks of each
/// width unless a painter file is given: the speed does not depend on the weights); with photos, a
/// training step's seconds at the defaults and a batch of 100 photos at 512 px end to end; with a
/// clip, <c>neural-style video --painter</c> on it at 512 px and 1080 px, as a user runs it.
/// </summary>
internal static class PainterBench
{
    private static readonly (int Width, int Height)[] Sizes = [(512, 384), (1920, 1080)];

    public static int Run(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var runs = int.Parse(Value("--runs") ?? "10", CultureInfo.InvariantCulture);
        var folder = Directory.CreateTempSubdirectory("neural-style-painter-bench-").FullName;
        try
        {
            var files = Value("--painter") is { } given ? [(given, Path.GetFileName(given))] : Untrained(Value("--widths") ?? "16,32,64;32,64,128", folder);
            Console.WriteLine($"{get_num_threads()} CPU threads; median of {runs} runs after one warm-up");
            Console.WriteLine("painter              engine        512x384 fps  1920x1080 fps");
            foreach (var (file, label) in files)
            {
                foreach (var engine in Enum.GetValues<PainterEngine>())
                {
                    using var painter = FastPainter.Load(file, engine);
                    var fps = Sizes.Select(s => 1 / Median(runs, () => painter.Paint(Noise(s.Width, s.Height)))).ToArray();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label,-20} {engine,-13} {fps[0],11:0.0}  {fps[1],13:0.00}"));
                }
            }

            if (Value("--photos") is { } photos)
            {
                TrainingStep(photos, folder);
                Batch(files[0].Item1, photos, folder);
            }

            if (Value("--clip") is { } clip)
            {
                foreach (var size in new[] { 512, 1920 })
                {
                    Video(files[0].Item1, clip, size, folder);
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    private static List<(string, string)> Untrained(string widthSets, string folder)
    {
        var files = new List<(string, string)>();
        foreach (var set in widthSets.Split(';'))
        {
            var widths = set.Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray();
            using var network = new TransformerNetwork(new TransformerShape(widths, TransformerShape.Default.ResidualBlocks, 1));
            var file = Path.Combine(folder, $"{set.Replace(',', '-')}.onnx");
            PainterOnnxWriter.Write(file, network, new PainterMetadata(["bench"], network.Shape, "resnet18", "{}", PainterMetadata.ToolVersion).Entries());
            files.Add((file, $"widths {set}"));
        }

        return files;
    }

    private static void TrainingStep(string photos, string folder)
    {
        var options = new PainterTrainingOptions { Iterations = 12, PreviewEvery = 0, CheckpointEvery = 0 };
        var paces = new List<double>();
        var painting = new RgbImage(64, 64, [.. Enumerable.Range(0, 64 * 64 * 3).Select(i => (byte)(i * 7))]);
        PainterTraining.Train([("bench", painting)], TrainingPhotos.Open(photos, _ => { }), options, Path.Combine(folder, "trained.onnx"), new SynchronousProgress(p => paces.Add(p.Elapsed.TotalSeconds)));
        var steps = paces.Zip(paces.Skip(1), (a, b) => b - a).Skip(3).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"training step at the defaults ({options.Batch} crops of {options.Size} px, {options.Network}): median {steps[steps.Length / 2]:0.00} s, {steps[0]:0.00}–{steps[^1]:0.00} s over {steps.Length} steps; the default {new PainterTrainingOptions().Iterations} steps would take {steps[steps.Length / 2] * new PainterTrainingOptions().Iterations / 60:0} min"));
    }

    private static void Batch(string painterFile, string photos, string folder)
    {
        var list = TrainingPhotos.Open(photos, _ => { }).Files;
        var items = Enumerable.Range(0, 100).Select(i => new FastPaintingItem(list[i % list.Count], Path.Combine(folder, $"batch-{i}.png"))).ToList();
        using var painter = FastPainter.Load(painterFile);
        var clock = Stopwatch.StartNew();
        var written = FastPainterBatch.Run(painter, items, 512, new FastPaintingOptions(), (_, _) => { });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch of {items.Count} photos at 512 px, decode to written PNG: {written} written in {clock.Elapsed.TotalSeconds:0.0} s, {written / clock.Elapsed.TotalSeconds:0.0} photos/s"));
    }

    // The command in a process of its own, program start and the warping error's flows included in the
    // wall clock; the frames a second it prints count decoding, painting and encoding.
    private static void Video(string painterFile, string clip, int size, string folder)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "neural-style.dll"), "video", clip, "--painter", painterFile, "-o", Path.Combine(folder, $"clip-{size}.mp4"), "--size", $"{size}" })
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var lines = process.StandardError.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"video --painter --size {size}, {clip}: {(process.ExitCode == 0 ? string.Join("; ", lines.Where(l => l.Contains("wrote", StringComparison.Ordinal) || l.Contains("warping", StringComparison.Ordinal))) : $"failed: {lines.LastOrDefault()}")} ({clock.Elapsed.TotalSeconds:0.0} s in all)"));
    }

    private static RgbImage Noise(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        new Random(1).NextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }

    private static double Median(int runs, Action paint)
    {
        paint();
        var seconds = Enumerable.Range(0, runs).Select(_ =>
        {
            var clock = Stopwatch.StartNew();
            paint();
            return clock.Elapsed.TotalSeconds;
        }).Order().ToArray();
        return seconds[runs / 2];
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
