using System.IO.Compression;
using System.Reflection;
using System.Text.RegularExpressions;
using NeuralStyle.Images;
using NeuralStyle.Networks;

namespace NeuralStyle.Tests.Build;

/// <summary>
/// Both packages used as a stranger would: packed from this build into a folder feed, the library added
/// to a new console project in an empty folder with its own NuGet cache, the tool installed from the
/// feed, each painting a small picture. The commands are the README's ("Packages"), which the test
/// checks it holds word for word, and the program is the README's library example, read from it.
/// </summary>
public sealed partial class PackageTests
{
    // The README's commands, FEED and TOOLS standing for the folders it names.
    private static readonly string[][] ConsumerCommands =
    [
        ["dotnet", "new", "console", "-o", "painter"],
        ["dotnet", "new", "nugetconfig"],
        ["dotnet", "nuget", "add", "source", "FEED", "--name", "neural-style", "--configfile", "nuget.config"],
        ["dotnet", "add", "package", "NeuralStyle"],
    ];

    private static readonly string[] ToolInstall = ["dotnet", "tool", "install", "neural-style", "--tool-path", "TOOLS", "--add-source", "FEED"];

    private static string Configuration => Metadata("Configuration");

    private static string Metadata(string key) =>
        typeof(PackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    [Fact]
    public void GivenBothPackagesInAFolderFeed_WhenANewProjectAddsTheLibraryAndTheToolIsInstalled_ThenBothPaintWithNothingButThePackages()
    {
        using var folder = new TempFolder();
        var feed = folder.File("feed");
        var tools = folder.File("tools");
        var painter = folder.File("painter");
        foreach (var project in new[] { "src/NeuralStyle/NeuralStyle.csproj", "src/NeuralStyle.Cli/NeuralStyle.Cli.csproj" })
        {
            Run(SharedData.RepositoryRoot, null, Dotnet, "pack", project, "-c", Configuration, "--no-build", "-o", feed);
        }

        AssertLibraryPackageHoldsWhatAConsumerNeeds(Path.Combine(feed, "NeuralStyle.0.1.0.nupkg"));

        // Its own NuGet cache, so that nothing restored for this repository is reused; nuget.org is
        // replaced by this repository's package folder, which holds every dependency (and no network is asked).
        var consumer = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = folder.File("packages") };
        foreach (var command in ConsumerCommands)
        {
            Run(command[2] == "console" ? folder.Path : painter, consumer, Dotnet, [.. command[1..].Select(a => a.Replace("FEED", feed))]);
            if (command[2] == "nugetconfig")
            {
                Run(painter, consumer, Dotnet, "nuget", "remove", "source", "nuget", "--configfile", "nuget.config");
                Run(painter, consumer, Dotnet, "nuget", "add", "source", Metadata("NuGetPackageRoot"), "--name", "restored", "--configfile", "nuget.config");
            }
        }

        File.WriteAllText(Path.Combine(painter, "Program.cs"), ReadmeLibraryExample());
        File.Copy(Path.Combine(SharedData.RepositoryRoot, "samples", "chelsea.png"), Path.Combine(painter, "chelsea.png"));
        File.Copy(Path.Combine(SharedData.RepositoryRoot, "samples", "ihc.png"), Path.Combine(painter, "ihc.png"));

        var library = Run(painter, consumer, Dotnet, "run", "--", "chelsea.png", "ihc.png", "out.png", "64");

        Assert.Equal("out.png: 64x43", library[^1]);
        Assert.Contains($"{NetworkDefaults.ResNet18.Iterations}/{NetworkDefaults.ResNet18.Iterations}", library[^2]);
        var painted = ImageFile.Load(Path.Combine(painter, "out.png"));
        Assert.Equal((64, 43), (painted.Width, painted.Height));

        Run(painter, consumer, Dotnet, [.. ToolInstall[1..].Select(a => a.Replace("FEED", feed).Replace("TOOLS", tools))]);
        Run(painter, consumer, Path.Combine(tools, "neural-style"), "chelsea.png", "ihc.png", "-o", "tool.png", "--size", "64", "--iterations", "5");

        var tool = ImageFile.Load(Path.Combine(painter, "tool.png"));
        Assert.Equal((64, 43), (tool.Width, tool.Height));
    }

    [Fact]
    public void GivenTheReadme_WhenItsPackagesSectionIsRead_ThenItShowsTheCommandsThePackageTestRuns()
    {
        var readme = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "README.md"));

        foreach (var command in ConsumerCommands.Append(ToolInstall))
        {
            var line = string.Join(' ', command).Replace("FEED", "$FEED").Replace("TOOLS", "$TOOLS");
            Assert.Contains(line, readme);
        }

        var packageReadme = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "src", "NeuralStyle", "README.md"));
        Assert.Contains(ReadmeLibraryExample(), packageReadme);
    }

    private static string ReadmeLibraryExample()
    {
        var readme = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "README.md"));
        var library = readme[readme.IndexOf("\n## Library\n", StringComparison.Ordinal)..];
        return CSharpBlock().Match(library).Groups[1].Value;
    }

    private static void AssertLibraryPackageHoldsWhatAConsumerNeeds(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        foreach (var expected in new[]
        {
            "lib/net10.0/NeuralStyle.dll", "lib/net10.0/NeuralStyle.xml", "README.md", "THIRD-PARTY-NOTICES.md",
            "buildTransitive/NeuralStyle.targets", "buildTransitive/GlibcxxWeakening.targets", "buildTransitive/GlibcxxWeakening.cs",
            "models/resnet18/ResNet18.onnx", "models/resnet18/ResNetPreprocess.onnx",
        })
        {
            Assert.Contains(expected, entries);
        }

        using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        var text = nuspec.ReadToEnd();
        Assert.Contains("<license type=\"expression\">MIT</license>", text);
        Assert.Contains("<dependency id=\"TorchSharp\" version=\"0.107.0\"", text);
        Assert.Contains("<dependency id=\"libtorch-cpu-linux-x64\" version=\"2.10.0\"", text);
    }

    private static IReadOnlyList<string> Run(string directory, IReadOnlyDictionary<string, string?>? environment, string program, params string[] args)
    {
        var settings = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>())
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        using var process = new ChildProcess(program, args, settings, directory);
        var exitCode = process.WaitForExit();
        Assert.True(exitCode == 0, $"{program} {string.Join(' ', args)} in {directory} exited with {exitCode}:\n{string.Join('\n', process.OutputLines.TakeLast(40))}\n{string.Join('\n', process.ErrorLines)}");
        return process.OutputLines;
    }

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
