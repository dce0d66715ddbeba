using System.Globalization;
using Spectre.Console;

namespace NeuralStyle.Cli.Models;

/// <summary>A download's progress: a live bar on a terminal, a line every tenth when output is redirected.</summary>
internal static class DownloadProgress
{
    public static void Show(Action<Action<long, long?>> work)
    {
        if (Console.IsErrorRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            var lastTenth = -1L;
            work((done, total) =>
            {
                var tenth = total is > 0 ? done * 10 / total.Value : -1;
                if (tenth != lastTenth)
                {
                    Console.Error.WriteLine(Describe(done, total));
                    lastTenth = tenth;
                }
            });
            return;
        }

        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("downloading");
                work((done, total) =>
                {
                    task.MaxValue = total ?? Math.Max(done, 1);
                    task.Value = done;
                    task.Description = Markup.Escape(Describe(done, total));
                });
            });
    }

    private static string Describe(long done, long? total) => total is { } whole
        ? string.Create(CultureInfo.InvariantCulture, $"downloaded {done / 1e6:0.0} of {whole / 1e6:0.0} MB")
        : string.Create(CultureInfo.InvariantCulture, $"downloaded {done / 1e6:0.0} MB");
}
