using System.Runtime.InteropServices;
using NeuralStyle.Images;
using NeuralStyle.Networks;

namespace NeuralStyle.Cli;

/// <summary>One run of the command: checks the inputs, stylises with live progress, writes the result.</summary>
internal static class StyleJob
{
    // Exit codes after Ctrl+C (SIGINT) or SIGTERM once the image so far is saved: 128 + the signal's
    // number, as a shell reports a process that the signal ended.
    private const int InterruptedExitCode = 130;
    private const int TerminatedExitCode = 143;

    public static int Run(string contentPath, string stylePath, string outputPath, StyleTransferOptions options, string? tracePath = null)
    {
        StyleTransfer.Validate(options);

        // Drawn here when not given, so that the last line can name it and `--seed` can repeat the run.
        var seed = options.Seed ?? Random.Shared.Next();
        options = options with { Seed = seed };
        ImageFile.RequireWritable(outputPath);
        var content = ImageFile.Load(contentPath, options.Size);
        var style = ImageFile.Load(stylePath, options.Size);
        using var trace = tracePath is null ? null : Trace.Create(tracePath);

        using var stop = new CancellationTokenSource();
        var exitCode = InterruptedExitCode;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl+C stops after the current iteration and saves; a second one ends the process.
            e.Cancel = !stop.IsCancellationRequested;
            if (e.Cancel)
            {
                Console.Error.WriteLine("neural-style: stopping after this iteration to save the picture so far (Ctrl+C again quits without saving)");
            }

            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            exitCode = TerminatedExitCode;
            stop.Cancel();
        });
        try
        {
            var result = ConsoleProgress.Show(progress => StyleTransfer.Run(
                content, style, options, trace is null ? progress : trace.Alongside(progress), (i, image) => ImageFile.SaveAtomically(image, SnapshotPath(outputPath, i)), stop.Token));
            ImageFile.SaveAtomically(result.Image, outputPath);
            if (result.Cancelled)
            {
                Console.Error.WriteLine($"neural-style: stopped after {result.IterationsRun} of {result.Iterations} iterations; saved {outputPath} (seed {seed})");
                return exitCode;
            }

            Console.Error.WriteLine($"neural-style: wrote {outputPath} ({result.Image.Width}×{result.Image.Height}, {result.Network.Name()}, seed {seed})");
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static string SnapshotPath(string outputPath, int iteration) => Path.Combine(
        Path.GetDirectoryName(outputPath) ?? string.Empty,
        $"{Path.GetFileNameWithoutExtension(outputPath)}_{iteration}{Path.GetExtension(outputPath)}");
}
