using System.Globalization;
using NeuralStyle.Synthesis;
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
                }));
            });
        return result!;
    }

    private static string Describe(StepProgress p) => string.Create(
        CultureInfo.InvariantCulture,
        $"iteration {p.Iteration}/{p.Iterations}  content {p.ContentLoss:0.###e+0}  style {p.StyleLoss:0.###e+0}  total {p.TotalLoss:0.###e+0}  {p.IterationsPerSecond:0.00} it/s  ETA {p.Remaining:hh\\:mm\\:ss}");
}
