using System.Text.Json;
using NeuralStyle.Networks.Weights;

namespace NeuralStyle.Tests.Networks.Weights;

public sealed class TorchCheckpointFileTests
{
    public static TheoryData<string> Formats => new() { "vgg19-partial-zip.pth", "vgg19-partial-legacy.pth" };

    private static string Pth(string name) => SharedData.Reference(Path.Combine("pth", name));

    [Theory]
    [MemberData(nameof(Formats))]
    public void GivenAFileWrittenByTorchSave_WhenRead_ThenEveryTensorHasPyTorchsShapeSumAndFirstValues(string file)
    {
        var tensors = TorchCheckpointFile.Read(Pth(file));
        using var expected = JsonDocument.Parse(File.ReadAllText(Pth("vgg19-partial.json")));

        Assert.Equal(expected.RootElement.EnumerateObject().Select(p => p.Name).Order(), tensors.Keys.Order());
        foreach (var entry in expected.RootElement.EnumerateObject())
        {
            var tensor = tensors[entry.Name];
            Assert.Equal(entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()), tensor.Shape);
            var sum = tensor.Values.Sum(v => (double)v);
            Assert.Equal(entry.Value.GetProperty("sum").GetDouble(), sum, 1e-9 * tensor.Values.Length);
            Assert.Equal(entry.Value.GetProperty("first").EnumerateArray().Select(f => (float)f.GetDouble()), tensor.Values.Take(4));
        }
    }

    [Fact]
    public void GivenBothFormatsOfOneStateDict_WhenRead_ThenTheyHoldIdenticalValues()
    {
        var zip = TorchCheckpointFile.Read(Pth("vgg19-partial-zip.pth"));
        var legacy = TorchCheckpointFile.Read(Pth("vgg19-partial-legacy.pth"));

        foreach (var (name, tensor) in zip)
        {
            Assert.Equal(tensor.Values, legacy[name].Values);
        }
    }

    [Fact]
    public void GivenAKeyFilter_WhenRead_ThenOnlyTheWantedTensorsAreMaterialised()
    {
        var tensors = TorchCheckpointFile.Read(Pth("vgg19-partial-legacy.pth"), key => key.EndsWith(".weight", StringComparison.Ordinal));

        Assert.Equal(["features.0.weight", "features.2.weight", "features.5.weight"], tensors.Keys.Order());
    }

    [Theory]
    [InlineData("vgg19-partial-zip.pth", 0.67)]
    [InlineData("vgg19-partial-legacy.pth", 0.67)]
    [InlineData("vgg19-partial-legacy.pth", 0.999)]
    public void GivenATruncatedFile_WhenReadEvenForTensorsBeforeTheCut_ThenTheErrorNamesTheFile(string file, double kept)
    {
        using var folder = new TempFolder();
        var path = folder.File(file);
        var whole = File.ReadAllBytes(Pth(file));
        File.WriteAllBytes(path, whole[..(int)(whole.Length * kept)]);

        var error = Assert.Throws<StyleTransferException>(() => TorchCheckpointFile.Read(path, key => key == "features.0.bias"));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }
}
