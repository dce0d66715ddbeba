using NeuralStyle.Images;
using NeuralStyle.Networks;

namespace NeuralStyle.Cli;

/// <summary>One run of the command: checks the inputs, stylises with live progress, writes the result.</summary>
internal static class StyleJob
{
    public static int Run(Inputs inputs, Outputs outputs, StyleTransferOptions options)
    {
        var outputPath = outputs.Picture;
        if (outputs.Depth == 16 && !outputPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            throw new StyleTransferException($"{outputPath}: --depth 16 is written as .png only");
        }

        // Drawn here when not given, so that the last line can name it and `--seed` can repeat the run.
        var seed = options.Seed ?? Random.Shared.Next();
        options = options with { Seed = seed };
        ImageFile.RequireWritable(outputPath);
        // The paintings' call checks the options first, before the photo is read at the size they give.
        var styles = StyleSources.Load(inputs.Paintings, options, inputs.Masks, inputs.Coarse);
        var content = ImageFile.Load(inputs.Content, options.Size);
        using var trace = outputs.Trace is null ? null : Trace.Create(outputs.Trace);

        using var stop = new StopSignals("neural-style: stopping after this iteration to save the picture so far (Ctrl+C again quits without saving)");
        try
        {
            var result = ConsoleProgress.Show(progress => StyleTransfer.Run(
                content, styles, options, trace is null ? progress : trace.Alongside(progress), (i, image) => ImageFile.SaveAtomically(image, SnapshotPath(outputPath, i)), stop.Token));
            if (outputs.Depth == 16)
            {
                ImageFile.SaveAtomically(result.Image16, outputPath);
            }
            else
            {
                ImageFile.SaveAtomically(result.Image, outputPath);
            }

            if (result.Cancelled)
            {
                Console.Error.WriteLine($"neural-style: stopped after {result.IterationsRun} of {result.Iterations} iterations; saved {outputPath} (seed {seed})");
                return stop.ExitCode;
            }

            var tiles = result.Tile > 0 && result.Tile != options.Tile ? $", in tiles of {result.Tile} px since the whole picture does not fit" : string.Empty;
            Console.Error.WriteLine($"neural-style: wrote {outputPath} ({result.Image.Width}×{result.Image.Height}, {result.Network.Name()}, {result.Precision.ToString().ToLowerInvariant()}, seed {seed}{tiles})");
            return 0;
        }
        catch (StyleTransferException)
        {
            // Refused before its first iteration (memory, layers, weights): no trace is left behind.
            trace?.DeleteIfEmpty();
            throw;
        }
    }

    /// <summary>The files a job reads: the photo, the paintings, a mask per painting (or none) and an optional coarse painting.</summary>
    public sealed record Inputs(string Content, IReadOnlyList<string> Paintings, IReadOnlyList<string> Masks, string? Coarse);

    /// <summary>What a job writes: the picture, its bits per channel (8 or 16), and an optional trace file.</summary>
    public sealed record Outputs(string Picture, int Depth = 8, string? Trace = null);

    private static string SnapshotPath(string outputPath, int iteration) => Path.Combine(
        Path.GetDirectoryName(outputPath) ?? string.Empty,
        $"{Path.GetFileNameWithoutExtension(outputPath)}_{iteration}{Path.GetExtension(outputPath)}");
}
