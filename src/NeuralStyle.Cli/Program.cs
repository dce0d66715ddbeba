using System.CommandLine.Invocation;
using NeuralStyle.Cli;

const int UsageExitCode = 2;

var parsed = StyleCommand.Create().Parse(args);
if (parsed.Action is ParseErrorAction)
{
    // One line for a usage mistake (System.CommandLine would add the whole help text); --help shows the rest.
    var messages = parsed.Errors.Select(e => string.Join(' ', e.Message.Split(['\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
    Console.Error.WriteLine($"neural-style: {string.Join("; ", messages)} (see --help)");
    return UsageExitCode;
}

return parsed.Invoke();
