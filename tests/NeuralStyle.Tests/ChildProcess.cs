using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NeuralStyle.Tests;

/// <summary>A program run as a child process, its standard output and error read line by line as they come.</summary>
internal sealed class ChildProcess : IDisposable
{
    // Generous: test classes run in parallel on a 2-core machine, several of them starting libtorch
    // processes, and a bound only has to catch a program that hangs.
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    private readonly Process process;
    private readonly string description;
    private readonly List<string> outputLines = [];
    private readonly List<string> errorLines = [];

    /// <summary>Starts <paramref name="program"/> (in <paramref name="directory"/>, else the current one); an environment value of null removes that variable.</summary>
    public ChildProcess(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? directory = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = directory ?? "" };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        description = string.Join(' ', start.ArgumentList.Prepend(program));
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Collect(outputLines, e.Data);
        process.ErrorDataReceived += (_, e) => Collect(errorLines, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The lines written to standard output so far (all of them once <see cref="WaitForExit"/> returned).</summary>
    public IReadOnlyList<string> OutputLines => Snapshot(outputLines);

    /// <summary>The lines written to standard error so far (all of them once <see cref="WaitForExit"/> returned).</summary>
    public IReadOnlyList<string> ErrorLines => Snapshot(errorLines);

    /// <summary>The exit code, once the program has ended and both streams are read to their end.</summary>
    /// <exception cref="TimeoutException">It did not end within <paramref name="limit"/> (default <see cref="Patience"/>); it is killed.</exception>
    public int WaitForExit(TimeSpan? limit = null)
    {
        var bound = limit ?? Patience;
        if (!process.WaitForExit(bound))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{description} did not exit within {bound}; standard error so far:\n{string.Join('\n', ErrorLines)}");
        }

        // The overload without a limit returns once the redirected streams have been read to their end.
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Waits until a line of standard error satisfies <paramref name="wanted"/>.</summary>
    /// <exception cref="TimeoutException">No such line came within <see cref="Patience"/>, or the program ended first.</exception>
    public void WaitForErrorLine(Func<string, bool> wanted, string what) => WaitForLine(() => ErrorLines, "standard error", wanted, what);

    /// <summary>Waits until a line of standard output satisfies <paramref name="wanted"/>.</summary>
    /// <exception cref="TimeoutException">No such line came within <see cref="Patience"/>, or the program ended first.</exception>
    public void WaitForOutputLine(Func<string, bool> wanted, string what) => WaitForLine(() => OutputLines, "standard output", wanted, what);

    private void WaitForLine(Func<IReadOnlyList<string>> lines, string stream, Func<string, bool> wanted, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!lines().Any(wanted))
        {
            if (process.HasExited || clock.Elapsed > Patience)
            {
                throw new TimeoutException($"{description}: no {what} on {stream} within {clock.Elapsed} (exited: {process.HasExited}):\n{string.Join('\n', lines())}");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>The program's process id.</summary>
    public int Id => process.Id;

    /// <summary>Whether the program has ended.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>Sends SIGINT (as Ctrl+C does), SIGTERM or SIGKILL to the program, by name.</summary>
    public void Signal(string name)
    {
        var number = name switch
        {
            "INT" => 2,
            "TERM" => 15,
            "KILL" => 9,
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "INT, TERM or KILL"),
        };
        Assert.Equal(0, Kill(process.Id, number));
    }

    /// <summary>Kills the program if it still runs (a server or worker that a test leaves behind), then lets it go.</summary>
    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    private static void Collect(List<string> lines, string? line)
    {
        if (line is not null)
        {
            lock (lines)
            {
                lines.Add(line);
            }
        }
    }

    private static List<string> Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }

    [DllImport("libc", EntryPoint = "kill", ExactSpelling = true)]
    private static extern int Kill(int process, int signal);
}
