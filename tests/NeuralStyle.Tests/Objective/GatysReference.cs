using System.Text.Json;
using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;
using NeuralStyle.Objective;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Objective;

/// <summary>
/// The PyTorch reference in ../shared/reference (made by make_reference.py): inputs, targets, losses,
/// gradients and optimiser runs for the paper's algorithm with α = 1, β = 1000 on a 96×128 image.
/// </summary>
internal sealed class GatysReference
{
    private static readonly double[] CaffeMeanBgr = [103.939, 116.779, 123.68];

    private readonly IReadOnlyDictionary<string, WeightTensor> tensors = SafetensorsFile.Read(SharedData.Reference("gatys-reference.safetensors"));

    public static GatysReference Instance { get; } = new();

    public JsonElement Json { get; } = JsonDocument.Parse(File.ReadAllText(SharedData.Reference("gatys-reference.json"))).RootElement;

    /// <summary>The test weights through the project's own loader.</summary>
    public VggWeights Weights { get; } = VggWeights.Load(SharedData.TestWeights);

    public static string[] StyleLayers => ["conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"];

    /// <summary>A reference tensor, as stored (float32 values of the float64 computation).</summary>
    public Tensor Get(string name)
    {
        using var flat = tensor(tensors[name].Values);
        return flat.reshape(tensors[name].Shape);
    }

    /// <summary>An RGB 0–255 image [1, 3, H, W] from a stored RGB tensor [3, H, W].</summary>
    public Tensor Rgb(string name, ScalarType dtype) => Get(name).unsqueeze(0).to(dtype);

    /// <summary>A stored network-space image (BGR minus mean) [3, H, W] as RGB 0–255 [1, 3, H, W].</summary>
    public Tensor NetworkToRgb(Tensor bgrMinusMean) =>
        (bgrMinusMean.to(float64) + tensor(CaffeMeanBgr, float64).reshape(3, 1, 1)).flip(0).unsqueeze(0);

    /// <summary>An RGB 0–255 image [1, 3, H, W] in network space (BGR minus mean) [3, H, W].</summary>
    public static Tensor RgbToNetwork(Tensor rgb) =>
        rgb.squeeze(0).to(float64).flip(0) - tensor(CaffeMeanBgr, float64).reshape(3, 1, 1);

    /// <summary>A gradient with respect to RGB pixels, as a gradient with respect to the network-space image.</summary>
    public static Tensor RgbGradientToNetwork(Tensor rgbGradient) => rgbGradient.squeeze(0).flip(0);

    public GatysObjective Objective(Vgg network, ScalarType dtype) => new(
        network,
        Rgb("content_rgb", dtype),
        Rgb("style_rgb", dtype),
        new ObjectiveSettings(["conv4_2"], [.. StyleLayers.Select(l => (l, 0.2))], Json.GetProperty("alpha").GetDouble(), Json.GetProperty("beta").GetDouble(), 0));

    public Vgg Network(Pooling pooling, ScalarType dtype)
    {
        var network = new Vgg(Weights, pooling);
        network.to(dtype);
        return network;
    }

    public double[] Losses(string run) => Json.GetProperty(run).GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
}
