using System.Runtime.InteropServices;
using NeuralStyle.Images;

namespace NeuralStyle.Cli;

/// <summary>One run of the command: checks the inputs, stylises with live progress, writes the result.</summary>
internal static class StyleJob
{
    /// <summary>Exit code after Ctrl+C or SIGTERM (128 + SIGINT), once the image so far is saved.</summary>
    private const int InterruptedExitCode = 130;

    public static int Run(string contentPath, string stylePath, string outputPath, StyleTransferOptions options)
    {
        StyleTransfer.Validate(options);
        if (!ImageFile.CanWrite(outputPath))
        {
            throw new StyleTransferException($"{outputPath}: output must end in .png, .jpg or .jpeg");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        if (!Directory.Exists(folder))
        {
            throw new StyleTransferException($"{outputPath}: folder {folder} does not exist");
        }

        var content = ImageFile.Load(contentPath);
        var style = ImageFile.Load(stylePath);

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl+C stops after the current iteration and saves; a second one ends the process.
            e.Cancel = !stop.IsCancellationRequested;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        try
        {
            var result = ConsoleProgress.Show(progress => StyleTransfer.Run(
                content, style, options, progress, (i, image) => ImageFile.SaveAtomically(image, SnapshotPath(outputPath, i)), stop.Token));
            ImageFile.SaveAtomically(result.Image, outputPath);
            if (result.Cancelled)
            {
                Console.Error.WriteLine($"neural-style: stopped after {result.IterationsRun} of {result.Iterations} iterations; saved {outputPath}");
                return InterruptedExitCode;
            }

            Console.Error.WriteLine($"neural-style: wrote {outputPath} ({result.Image.Width}×{result.Image.Height}, {result.Network})");
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
