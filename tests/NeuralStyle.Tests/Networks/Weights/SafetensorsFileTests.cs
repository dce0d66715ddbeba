using NeuralStyle.Networks.Weights;

namespace NeuralStyle.Tests.Networks.Weights;

public sealed class SafetensorsFileTests
{
    [Fact]
    public void GivenTheRealPartialVgg19_WhenRead_ThenEveryConvolutionHasItsShapeAndKnownValues()
    {
        var tensors = SafetensorsFile.Read(SharedData.PartialCaffeWeights);

        Assert.Equal(16, tensors.Count);
        Assert.Equal([64L, 3, 3, 3], tensors["conv1_1.weight"].Shape);
        Assert.Equal([256L, 256, 3, 3], tensors["conv3_4.weight"].Shape);
        Assert.All(tensors.Values, t => Assert.Equal(t.Shape.Aggregate(1L, (a, b) => a * b), t.Values.LongLength));
        Assert.DoesNotContain(tensors.Keys, k => k.StartsWith("conv4", StringComparison.Ordinal));
    }

    [Fact]
    public void GivenATensorWritten_WhenRead_ThenValuesComeBackExactlyInOrder()
    {
        using var folder = new TempFolder();
        var path = folder.File("t.safetensors");
        SafetensorsWriter.Write(path, new Dictionary<string, (long[], float[])> { ["a"] = ([2, 3], [1, 2, 3, 4, 5, -6.5f]), ["b"] = ([1], [float.Epsilon]) });

        var tensors = SafetensorsFile.Read(path);

        Assert.Equal([1, 2, 3, 4, 5, -6.5f], tensors["a"].Values);
        Assert.Equal([2L, 3], tensors["a"].Shape);
        Assert.Equal(float.Epsilon, tensors["b"].Values[0]);
    }

    [Fact]
    public void GivenHalfAndBfloat16Tensors_WhenRead_ThenTheyAreWidenedToFloat32()
    {
        using var folder = new TempFolder();
        var path = folder.File("t.safetensors");
        var half = BitConverter.GetBytes((Half)1.5).Concat(BitConverter.GetBytes((Half)(-2))).ToArray();
        byte[] bfloat = [0x80, 0x3f, 0x40, 0xc0]; // 1.0 and -3.0: the upper halves of their float32 bits
        SafetensorsWriter.WriteRaw(path, new Dictionary<string, (string, long[], byte[])> { ["h"] = ("F16", [2], half), ["b"] = ("BF16", [2], bfloat) });

        var tensors = SafetensorsFile.Read(path);

        Assert.Equal([1.5f, -2f], tensors["h"].Values);
        Assert.Equal([1f, -3f], tensors["b"].Values);
    }

    [Fact]
    public void GivenATruncatedFile_WhenRead_ThenTheErrorSaysTruncatedAndNamesTheFile()
    {
        using var folder = new TempFolder();
        var path = folder.File("cut.safetensors");
        var whole = File.ReadAllBytes(SharedData.PartialCaffeWeights);
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);

        var error = Assert.Throws<StyleTransferException>(() => SafetensorsFile.Read(path));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAnIntegerTensor_WhenRead_ThenItIsRejectedByName()
    {
        using var folder = new TempFolder();
        var path = folder.File("int.safetensors");
        SafetensorsWriter.WriteRaw(path, new Dictionary<string, (string, long[], byte[])> { ["steps"] = ("I64", [1], new byte[8]) });

        var error = Assert.Throws<StyleTransferException>(() => SafetensorsFile.Read(path));

        Assert.Contains("steps", error.Message, StringComparison.Ordinal);
        Assert.Contains("I64", error.Message, StringComparison.Ordinal);
    }
}
