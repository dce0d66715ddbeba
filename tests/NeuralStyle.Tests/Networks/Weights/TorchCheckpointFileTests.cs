using System.Text.Json;
using NeuralStyle.Networks.Weights;

namespace NeuralStyle.Tests.Networks.Weights;

public sealed class TorchCheckpointFileTests
{
    public static TheoryData<string> Formats => new() { "vgg19-partial-zip.pth", "vgg19-partial-legacy.pth" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void GivenAFileWrittenByTorchSave_WhenRead_ThenEveryTensorHasPyTorchsShapeSumAndFirstValues(string file)
    {
        var tensors = TorchCheckpointFile.Read(SharedData.Pth(file));
        using var expected = JsonDocument.Parse(File.ReadAllText(SharedData.Pth("vgg19-partial.json")));

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
        var zip = TorchCheckpointFile.Read(SharedData.Pth("vgg19-partial-zip.pth"));
        var legacy = TorchCheckpointFile.Read(SharedData.Pth("vgg19-partial-legacy.pth"));

        foreach (var (name, tensor) in zip)
        {
            Assert.Equal(tensor.Values, legacy[name].Values);
        }
    }

    [Fact]
    public void GivenAKeyFilter_WhenRead_ThenOnlyTheWantedTensorsAreMaterialised()
    {
        var tensors = TorchCheckpointFile.Read(SharedData.Pth("vgg19-partial-legacy.pth"), key => key.EndsWith(".weight", StringComparison.Ordinal));

        Assert.Equal(["features.0.weight", "features.2.weight", "features.5.weight"], tensors.Keys.Order());
    }

    [Theory]
    [InlineData("vgg19-partial-zip.pth", 0.67)]
    [InlineData("vgg19-partial-legacy.pth", 0.67)]
    [InlineData("vgg19-partial-legacy.pth", 0.999)]
    public void GivenATruncatedFile_WhenReadEvenForTensorsBeforeTheCut_ThenTheErrorNamesTheFileAndSaysTruncated(string file, double kept)
    {
        using var folder = new TempFolder();
        var path = folder.TruncatedCopy(SharedData.Pth(file), file, kept);

        var error = Assert.Throws<StyleTransferException>(() => TorchCheckpointFile.Read(path, key => key == "features.0.bias"));

        Assert.StartsWith(path + ": truncated PyTorch file (", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("state_dict")]
    [InlineData("model_state_dict")]
    [InlineData("model")]
    public void GivenATrainingCheckpointThatWrapsItsStateDict_WhenRead_ThenTheWrappedTensorsComeBack(string key)
    {
        using var folder = new TempFolder();
        var path = folder.File("checkpoint.pth");
        new PthWriter().Dict(
            ("epoch", w => w.Int(90)),
            (key, w => w.Dict(("features.0.bias", v => v.Tensor([0.5f, -1.25f, 3f])))),
            ("args", w => w.Object("argparse", "Namespace", state => state.Dict(("lr", v => v.Int(1)))))).Save(path);

        var tensors = TorchCheckpointFile.Read(path);

        Assert.Equal(["features.0.bias"], tensors.Keys);
        Assert.Equal([0.5f, -1.25f, 3f], tensors["features.0.bias"].Values);
    }

    [Fact]
    public void GivenAWholePickledModel_WhenRead_ThenTheErrorNamesItsClassAndSaysToSaveTheStateDict()
    {
        using var folder = new TempFolder();
        var path = folder.File("model.pth");
        new PthWriter().Object("torchvision.models.vgg", "VGG", state => state.Dict(("_parameters", w => w.Dict(("weight", v => v.Tensor([1f])))))).Save(path);

        var error = Assert.Throws<StyleTransferException>(() => TorchCheckpointFile.Read(path));

        Assert.Equal($"{path}: not a readable PyTorch state dict (it holds a whole pickled torchvision.models.vgg.VGG, not a state dict; save the model's state_dict() instead)", error.Message);
    }
}
