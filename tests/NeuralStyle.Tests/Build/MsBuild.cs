namespace NeuralStyle.Tests.Build;

/// <summary>Evaluates or runs targets of the library's project with the SDK that runs the tests, without restoring it.</summary>
internal static class MsBuild
{
    private static readonly string Library = Path.Combine(SharedData.RepositoryRoot, "src", "NeuralStyle", "NeuralStyle.csproj");

    /// <summary>Runs msbuild on the library with <paramref name="arguments"/>: its exit code, standard output and standard error.</summary>
    public static (int ExitCode, string Output, string Error) OnLibrary(params string[] arguments)
    {
        using var process = new ChildProcess(
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            new[] { "msbuild", Library, "-nologo" }.Concat(arguments));
        var exitCode = process.WaitForExit();
        return (exitCode, string.Join('\n', process.OutputLines), string.Join('\n', process.ErrorLines));
    }
}
