using NeuralStyle.Networks.Weights;

namespace NeuralStyle.Tests.Networks.Weights;

public sealed class SafetensorsFileTests
{
    // Expected values read from the file by Python's json and struct modules, a reader of their own.
    [Fact]
    public void GivenTheRealPartialVgg19_WhenRead_ThenEveryConvolutionHasItsShapeAndKnownValues()
    {
        var tensors = SafetensorsFile.Read(SharedData.PartialCaffeWeights);

        Assert.Equal(16, tensors.Count);
        Assert.Equal([64L, 3, 3, 3], tensors["conv1_1.weight"].Shape);
        Assert.Equal([256L, 256, 3, 3], tensors["conv3_4.weight"].Shape);
        Assert.All(tensors.Values, t => Assert.Equal(t.Shape.Aggregate(1L, (a, b) => a * b), t.Values.LongLength));
        Assert.DoesNotContain(tensors.Keys, k => k.StartsWith("conv4", StringComparison.Ordinal));
        Assert.Equal([0.3411952257156372f, 0.33999204635620117f, -0.044844239950180054f], tensors["conv1_1.weight"].Values[..3]);
        Assert.Equal(-0.26588448882102966f, tensors["conv1_1.weight"].Values[^1]);
        Assert.Equal([0.7301775813102722f, 0.06493628770112991f, 0.034288469702005386f], tensors["conv1_1.bias"].Values[..3]);
        Assert.Equal(-0.006983194965869188f, tensors["conv3_4.weight"].Values[^1]);
        Assert.Equal(-3.5411860072526906, tensors["conv1_1.weight"].Values.Sum(v => (double)v), 1e-9);
        Assert.Equal(97.10269354548689, tensors["conv3_4.weight"].Values.Sum(v => (double)v), 1e-6);
        Assert.Equal(4.800642366404645, tensors["conv3_4.bias"].Values.Sum(v => (double)v), 1e-9);
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
        var path = folder.TruncatedCopy(SharedData.PartialCaffeWeights, "cut.safetensors");

        var error = Assert.Throws<StyleTransferException>(() => SafetensorsFile.Read(path));

        Assert.StartsWith(path + ": truncated file: tensor ", error.Message, StringComparison.Ordinal);
    }

    // Where the fault is found by System.Text.Json, its own words follow; where by the reader, the tensor is named.
    public static TheoryData<string, string> MalformedHeaders => new()
    {
        { "{\"a\": ", string.Empty },
        { "[1, 2]", string.Empty },
        { "{\"a\": 5}", string.Empty },
        { "{\"a\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", string.Empty },
        { "{\"a\": {\"dtype\": \"F32\", \"shape\": \"1\", \"data_offsets\": [0, 4]}}", string.Empty },
        { "{\"a\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", string.Empty },
        { "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4]}}", "(tensor a has shape [1] and data_offsets [4])" },
        { "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 0]}}", "(tensor a has shape [1] and data_offsets [4, 0])" },
        { "{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", "(tensor a has shape [-1] and data_offsets [0, 4])" },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void GivenAMalformedHeader_WhenRead_ThenOneLineNamesTheFileAndWhatIsWrong(string header, string expected)
    {
        using var folder = new TempFolder();
        var path = folder.File("bad.safetensors");
        var json = System.Text.Encoding.UTF8.GetBytes(header);
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. new byte[4]]);

        var error = Assert.Throws<StyleTransferException>(() => SafetensorsFile.Read(path));

        Assert.StartsWith(path + ": malformed safetensors header (", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
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
