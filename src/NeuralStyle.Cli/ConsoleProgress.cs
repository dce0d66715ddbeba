using System.Globalization;
using NeuralStyle.Optimization;
using Spectre.Console;

namespace NeuralStyle.Cli;

/// <summary>Renders progress records: a live bar on a terminal, plain lines when output is redirected.</summary>
internal static class ConsoleProgress
{
    private const int PlainLineEvery = 10;

    public static T Show<T>(Func<IProgress<StepProgress>, T> work)
    {
        if (Console.IsErrorRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return work(new SynchronousProgress<StepProgress>(p =>
            {
                if (p.Iteration == 1 || p.Iteration % PlainLineEvery == 0 || p.Iteration == p.Iterations)
                {
                    Console.Error.WriteLine(Describe(p));
                }

                if (ScaleSummary(p) is { } summary)
                {
                    Console.Error.WriteLine(summary);
                }
            }));
        }

        var result = default(T);
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("starting");
                result = work(new SynchronousProgress<StepProgress>(p =>
                {
                    task.MaxValue = p.Iterations;
                    task.Description = Markup.Escape(Describe(p));
                    task.Value = p.WorkDone * p.Iterations;
                    if (ScaleSummary(p) is { } summary)
                    {
                        AnsiConsole.MarkupLine(Markup.Escape(summary));
                    }
                }));
            });
        return result!;
    }

    private static string Describe(StepProgress p) => string.Create(
        CultureInfo.InvariantCulture,
        $"iteration {p.Iteration}/{p.Iterations}  {Where(p)}content {p.ContentLoss:0.###e+0}  style {p.StyleLoss:0.###e+0}  total {p.TotalLoss:0.###e+0}  {p.IterationsPerSecond:0.00} it/s  ETA {p.Remaining:hh\\:mm\\:ss}");

    // The scale and its size where there is more than one scale or the scale is tiled.
    private static string Where(StepProgress p) => p.Stage is { } s && Shown(s)
        ? string.Create(CultureInfo.InvariantCulture, $"scale {s.Index + 1}/{s.Count} {s.Width}x{s.Height}{(s.Tile > 0 ? $" tiles {s.Tile}" : string.Empty)}  ")
        : string.Empty;

    // At the last iteration of each scale of a coarse-to-fine run: its time per iteration and the
    // process's memory, now and at its most so far (the tiled scales of a print size are the costly ones).
    private static string? ScaleSummary(StepProgress p) => p.Stage is { } s && s.Iteration == s.Iterations && Shown(s)
        ? string.Create(
            CultureInfo.InvariantCulture,
            $"scale {s.Index + 1}/{s.Count} {s.Width}x{s.Height} {(s.Tile > 0 ? $"in tiles of {s.Tile} px" : "whole")}: {s.Iterations} iterations, {s.SecondsPerIteration:0.00} s/iteration, resident {p.WorkingSetBytes / (double)(1L << 30):0.0} GiB (most so far {PeakResidentBytes() / (double)(1L << 30):0.0} GiB)")
        : null;

    private static bool Shown(ScaleStage s) => s.Count > 1 || s.Tile > 0;

    // The process's highest resident set (VmHWM on Linux).
    private static long PeakResidentBytes()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
