namespace NeuralStyle.Tests.Cli;

/// <summary>Runs the real <c>neural-style</c> program (built beside the tests) as a child process.</summary>
internal static class CliProcess
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "neural-style.dll");

    /// <summary>Starts the program; an environment value of null removes that variable.</summary>
    public static ChildProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null) =>
        new("dotnet", args.Prepend(Program), environment);

    /// <summary>Runs the program to its end.</summary>
    public static (int ExitCode, IReadOnlyList<string> Errors) Run(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var cli = Start(args, environment);
        return (cli.WaitForExit(), cli.ErrorLines);
    }
}
