using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace NeuralStyle.Tests.Build;

/// <summary>Every method of the library, the jobs library and the tool reads at once: no body longer than 60 lines, read from the builds' debug symbols.</summary>
public sealed class MethodLengthTests
{
    private const int MostLines = 60;

    // The methods allowed more, and why.
    private static readonly Dictionary<string, string> Exceptions = new()
    {
    };

    [Theory]
    [InlineData(typeof(StyleTransfer))]
    [InlineData(typeof(NeuralStyle.Jobs.JobStore))]
    [InlineData(typeof(NeuralStyle.Cli.StyleCommand))]
    public void GivenTheDebugSymbols_WhenEachMethodsLinesAreCounted_ThenNoneIsLongerThan60(Type inAssembly)
    {
        var assembly = inAssembly.Assembly.Location;
        using var pe = new PEReader(File.OpenRead(assembly));
        using var symbols = MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(Path.ChangeExtension(assembly, ".pdb")));
        var (metadata, pdb) = (pe.GetMetadataReader(), symbols.GetMetadataReader());

        var lengths = pdb.MethodDebugInformation.Select(handle =>
        {
            var points = pdb.GetMethodDebugInformation(handle).GetSequencePoints().Where(p => !p.IsHidden).ToList();
            var method = metadata.GetMethodDefinition(handle.ToDefinitionHandle());
            var type = metadata.GetTypeDefinition(method.GetDeclaringType());
            var name = $"{metadata.GetString(type.Name)}.{metadata.GetString(method.Name)}";
            var body = name.EndsWith(".ctor", StringComparison.Ordinal) ? Body(points, metadata.GetString(type.Name), pdb) : points;
            return (Name: name, Lines: body.Count == 0 ? 0 : body.Max(p => p.EndLine) - body.Min(p => p.StartLine) + 1);
        }).ToList();

        Assert.Contains(lengths, m => m.Lines > 40);
        var longer = lengths.Where(m => m.Lines > MostLines && !Exceptions.ContainsKey(m.Name)).Select(m => $"{m.Name}: {m.Lines} lines").ToList();
        Assert.True(longer.Count == 0, string.Join('\n', longer));
    }

    // A constructor's code starts with the field and property initializers, wherever in the file they
    // stand; its own body starts at the call of the base constructor, on the line that declares it.
    private static List<SequencePoint> Body(List<SequencePoint> points, string type, MetadataReader pdb)
    {
        if (points.Count == 0)
        {
            return points;
        }

        var document = pdb.GetString(pdb.GetDocument(points[0].Document).Name);
        // Deterministic CI builds name the sources from /_/, the repository's root.
        var path = document.StartsWith("/_/", StringComparison.Ordinal) ? Path.Combine(SharedData.RepositoryRoot, document[3..]) : document;

        // A source generator's code (a generated regular expression) is in no file: nobody reads it.
        if (!File.Exists(path))
        {
            return [];
        }

        var lines = File.ReadAllLines(path);
        var start = points.FindIndex(p => lines[p.StartLine - 1].Contains($"{type}(", StringComparison.Ordinal));
        return start < 0 ? [] : points[start..];
    }
}
