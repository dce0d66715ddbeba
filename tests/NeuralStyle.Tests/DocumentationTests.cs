using System.Text.RegularExpressions;

namespace NeuralStyle.Tests;

/// <summary>The README is a front page, and every link from it and from the pages under docs/ leads somewhere.</summary>
public sealed partial class DocumentationTests
{
    private static IEnumerable<string> Pages() =>
        Directory.GetFiles(Path.Combine(SharedData.RepositoryRoot, "docs"), "*.md").Prepend(Path.Combine(SharedData.RepositoryRoot, "README.md"));

    [Fact]
    public void GivenTheReadme_WhenItsLinesAreCounted_ThenItIsAFrontPageOfAtMost250Lines()
    {
        Assert.InRange(File.ReadAllLines(Path.Combine(SharedData.RepositoryRoot, "README.md")).Length, 1, 250);
    }

    [Fact]
    public void GivenTheReadmeAndTheDocs_WhenEveryRelativeLinkIsFollowed_ThenItsFileAndItsHeadingExist()
    {
        var broken = new List<string>();
        var links = 0;
        foreach (var page in Pages())
        {
            foreach (Match link in Link().Matches(File.ReadAllText(page)))
            {
                var target = link.Groups[1].Value;
                if (target.StartsWith("http", StringComparison.Ordinal))
                {
                    continue;
                }

                links++;
                var (path, anchor) = target.Split('#', 2) is [var p, var a] ? (p, a) : (target, null);
                var file = path.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, path));
                if (!File.Exists(file))
                {
                    broken.Add($"{Path.GetFileName(page)}: {target} (no such file)");
                }
                else if (anchor is not null && !Headings(file).Contains(anchor))
                {
                    broken.Add($"{Path.GetFileName(page)}: {target} (no such heading)");
                }
            }
        }

        Assert.True(broken.Count == 0, string.Join('\n', broken));
        Assert.True(links > 20, $"{links} links");
    }

    // GitHub's anchors: a heading lower-cased, punctuation but hyphens dropped, spaces as hyphens.
    private static HashSet<string> Headings(string file) =>
        File.ReadAllLines(file).Where(l => l.StartsWith('#'))
            .Select(l => Punctuation().Replace(l.TrimStart('#').Trim().ToLowerInvariant(), "").Replace(' ', '-'))
            .ToHashSet();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"[^\p{L}\p{N}\- ]")]
    private static partial Regex Punctuation();
}
