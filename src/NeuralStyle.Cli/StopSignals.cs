using System.Runtime.InteropServices;

namespace NeuralStyle.Cli;

/// <summary>
/// Ctrl+C and SIGTERM as a request to stop: the first Ctrl+C stops the work after its current iteration
/// (a second ends the process at once), and SIGTERM does the same as the first. The exit code to give
/// is then 128 + the signal's number, as a shell reports a process that the signal ended.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private const int InterruptedExitCode = 130;
    private const int TerminatedExitCode = 143;

    private readonly CancellationTokenSource stop = new();
    private readonly ConsoleCancelEventHandler onCancel;
    private readonly PosixSignalRegistration onTerm;

    /// <summary>Listens from now on; <paramref name="firstCtrlC"/> is the line the first Ctrl+C prints.</summary>
    public StopSignals(string firstCtrlC)
    {
        onCancel = (_, e) =>
        {
            e.Cancel = !stop.IsCancellationRequested;
            if (e.Cancel)
            {
                Console.Error.WriteLine(firstCtrlC);
            }

            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            ExitCode = TerminatedExitCode;
            stop.Cancel();
        });
    }

    /// <summary>Cancelled when a stop was asked for.</summary>
    public CancellationToken Token => stop.Token;

    /// <summary>Whether a stop was asked for.</summary>
    public bool Stopped => stop.IsCancellationRequested;

    /// <summary>130 after Ctrl+C, 143 after SIGTERM.</summary>
    public int ExitCode { get; private set; } = InterruptedExitCode;

    public void Dispose()
    {
        Console.CancelKeyPress -= onCancel;
        onTerm.Dispose();
        stop.Dispose();
    }
}
