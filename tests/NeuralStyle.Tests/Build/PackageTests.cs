using System.IO.Compression;
using System.Text.RegularExpressions;
using NeuralStyle.Images;
using NeuralStyle.Networks;
using static NeuralStyle.Tests.Build.DotnetCli;

namespace NeuralStyle.Tests.Build;

/// <summary>
/// The library package used as a stranger would: packed from this build into a folder feed, added to a
/// new console project in an empty folder with its own NuGet cache, painting a small picture, then that
/// project published for Windows and macOS from here. The commands are the README's ("Packages"), which
/// a test checks it holds word for word, and the program is the README's library example, read from it.
/// The tool package has its own test (<see cref="ToolPackageTests"/>).
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

    [Fact]
    public void GivenTheLibraryInAFolderFeed_WhenANewProjectAddsItRunsAndIsPublishedForEachPlatform_ThenItPaintsAndEachPublishHoldsOnlyItsPlatformsNatives()
    {
        using var folder = new TempFolder();
        var feed = folder.File("feed");
        var painter = folder.File("painter");
        Run(SharedData.RepositoryRoot, null, Dotnet, "pack", "src/NeuralStyle/NeuralStyle.csproj", "-c", Configuration, "--no-build", "-o", feed);

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
                Run(painter, consumer, Dotnet, "nuget", "add", "source", PackageRoot, "--name", "restored", "--configfile", "nuget.config");
            }
        }

        File.WriteAllText(Path.Combine(painter, "Program.cs"), ReadmeLibraryExample());
        File.Copy(SharedData.Sample("chelsea.png"), Path.Combine(painter, "chelsea.png"));
        File.Copy(SharedData.Sample("ihc.png"), Path.Combine(painter, "ihc.png"));

        var library = Run(painter, consumer, Dotnet, "run", "--", "chelsea.png", "ihc.png", "out.png", "64");

        Assert.Equal("out.png: 64x43", library[^1]);
        Assert.Contains($"{NetworkDefaults.ResNet18.Iterations}/{NetworkDefaults.ResNet18.Iterations}", library[^2]);
        var painted = ImageFile.Load(Path.Combine(painter, "out.png"));
        Assert.Equal((64, 43), (painted.Width, painted.Height));

        // Cross-published from here: each output holds its platform's libtorch, TorchSharp and Skia natives and the models, no other platform's.
        foreach (var platform in new[] { "win-x64", "osx-arm64" })
        {
            var published = Path.Combine(folder.Path, "publish-" + platform);
            Run(painter, consumer, Dotnet, "publish", "-c", "Release", "-r", platform, "-o", published);
            AssertHoldsOnly(platform, Directory.GetFiles(published, "*", SearchOption.AllDirectories), $"painter published for {platform}");
        }

        // Any other platform is named in a warning at build time.
        var other = Run(painter, consumer, Dotnet, "msbuild", "-t:NeuralStyleCheckPlatform", "-p:RuntimeIdentifier=linux-arm64", "-nologo");
        Assert.Contains(other, l => l.Contains("warning NEURALSTYLE001: NeuralStyle carries libtorch 2.10 (CPU) for linux-x64, win-x64 and osx-arm64, not for linux-arm64", StringComparison.Ordinal));
    }

    [Fact]
    public void GivenTheReadme_WhenItsPackagesSectionIsRead_ThenItShowsTheCommandsThePackageTestRuns()
    {
        var readme = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "README.md"));

        foreach (var command in ConsumerCommands.Append(ToolPackageTests.Install))
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
        foreach (var platform in Natives.Keys)
        {
            Assert.Contains($"<dependency id=\"libtorch-cpu-{platform}\" version=\"2.10.0\"", text);
        }

        Assert.Contains("<dependency id=\"SkiaSharp\" version=\"3.119.4\"", text);
    }

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
