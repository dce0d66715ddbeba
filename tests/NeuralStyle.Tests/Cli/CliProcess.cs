using System.Diagnostics;

namespace NeuralStyle.Tests.Cli;

/// <summary>Runs the real <c>neural-style</c> program (built beside the tests) as a child process.</summary>
internal sealed class CliProcess : IDisposable
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "neural-style.dll");
    private readonly Process process;
    private readonly List<string> errorLines = [];
    private readonly TaskCompletionSource<string> standardOutput = new();

    private CliProcess(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Program);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errorLines)
                {
                    errorLines.Add(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        _ = Task.Run(async () => standardOutput.SetResult(await process.StandardOutput.ReadToEndAsync()));
    }

    public int Id => process.Id;

    /// <summary>Everything the program wrote to standard output (complete once it has exited).</summary>
    public string Output => standardOutput.Task.IsCompleted ? standardOutput.Task.Result : string.Empty;

    public IReadOnlyList<string> ErrorLines
    {
        get
        {
            lock (errorLines)
            {
                return [.. errorLines];
            }
        }
    }

    public static CliProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) => new(args, environment);

    public static (int ExitCode, IReadOnlyList<string> Errors) Run(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var cli = Start(args, environment);
        return (cli.WaitForExit(TimeSpan.FromMinutes(3)), cli.ErrorLines);
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("neural-style did not finish in " + timeout);
        }

        process.WaitForExit();
        standardOutput.Task.Wait(timeout);
        return process.ExitCode;
    }

    public void Dispose() => process.Dispose();
}
