using System.Text.RegularExpressions;

namespace NeuralStyle.Tests.Build;

/// <summary>The libraries (the painting one and the jobs one) speak in settings: no string of their code names a command-line flag; each front end names settings its own way.</summary>
public sealed partial class LibraryWordsTests
{
    [Fact]
    public void GivenTheLibrarysSources_WhenEveryStringLiteralIsRead_ThenNoneNamesAFlag()
    {
        var sources = new[] { "NeuralStyle", "NeuralStyle.Jobs" }
            .SelectMany(library => Directory.GetFiles(Path.Combine(SharedData.RepositoryRoot, "src", library), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        var flags = sources.SelectMany(file => File.ReadAllLines(file).Select((line, i) => (file, i, line)))
            .Where(x => !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .SelectMany(x => Literal().Matches(x.line).Where(m => Flag().IsMatch(m.Value)).Select(m => $"{Path.GetFileName(x.file)}:{x.i + 1}: {m.Value}"))
            .ToList();

        Assert.True(sources.Count > 50, "the library's sources were not found");
        Assert.True(flags.Count == 0, string.Join('\n', flags));
    }

    // Each setting the library may name is a flag the command line has (the style command's, or video's for a video's options).
    [Fact]
    public void GivenEverySettingTheLibraryMayName_WhenTheCommandLineNamesIt_ThenItIsOneOfItsFlags()
    {
        var root = NeuralStyle.Cli.StyleCommand.Create();
        var flags = root.Options.Concat(NeuralStyle.Cli.Video.VideoCommand.Create().Options).Select(o => o.Name).ToHashSet();
        var settings = new[] { typeof(StyleTransferOptions), typeof(StyleSources), typeof(NeuralStyle.Video.VideoOptions) }
            .SelectMany(t => t.GetProperties().Select(p => p.Name))
            .Except([nameof(StyleTransferOptions.NoiseStdDev), nameof(StyleSources.Paintings)]);

        Assert.All(settings, s => Assert.Contains(NeuralStyle.Cli.CommandLineWords.Flag(s), flags));
        Assert.Equal("--size must be at least 16 (got 4)", NeuralStyle.Cli.CommandLineWords.Of(StyleTransferException.About(nameof(StyleTransferOptions.Size), "must be at least 16 (got 4)")));
        Assert.Equal("weightsPath is for network vgg19", StyleTransferException.About(nameof(StyleTransferOptions.WeightsPath), "is for {Network} vgg19").Message);
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Literal();

    [GeneratedRegex("--[a-z]")]
    private static partial Regex Flag();
}
