using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;
using NeuralStyle.Objective;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Optimization;

/// <summary>
/// A small synthesis to test the loop and the objective on: the real VGG-19 filters to conv3_4,
/// tubingen and starry night at 32 × 24, content conv2_2, style conv1_1 and conv2_1, and seeded noise;
/// in float32 as the tool runs, or float64 where a comparison must be exact to rounding.
/// </summary>
internal sealed class SmallProblem : IDisposable
{
    public static readonly VggWeights PartialWeights = VggWeights.Load(SharedData.PartialCaffeWeights);

    public static readonly ObjectiveSettings Settings = new(["conv2_2"], [("conv1_1", 0.5), ("conv2_1", 0.5)], 1, 1e3, 1e-3);

    public SmallProblem(ObjectiveSettings? settings = null, ScalarType? dtype = null)
    {
        using var scope = NewDisposeScope();
        var type = dtype ?? float32;
        Network = new Vgg(PartialWeights, Pooling.Max);
        Network.to(type);
        Photo = TestImages.Tensor(TestImages.Photo, 32, 24).to(type).DetachFromDisposeScope();
        Painting = TestImages.Tensor(TestImages.Painting, 32, 24).to(type).DetachFromDisposeScope();
        Noise = (rand([1, 3, 24, 32], generator: new Generator(5)) * 255).to(type).DetachFromDisposeScope();
        Objective = new GatysObjective(Network, Photo, Painting, settings ?? Settings);
    }

    public Vgg Network { get; }

    public Tensor Photo { get; }

    public Tensor Painting { get; }

    /// <summary>Uniform noise in 0–255, the same at every construction.</summary>
    public Tensor Noise { get; }

    public GatysObjective Objective { get; }

    /// <summary>The gradient of the objective's total at <paramref name="image"/>, and its terms.</summary>
    public static (LossTerms Terms, Tensor Gradient) GradientAt(GatysObjective objective, Tensor image) => objective.EvaluateWithGradient(image);

    public void Dispose()
    {
        Objective.Dispose();
        Noise.Dispose();
        Painting.Dispose();
        Photo.Dispose();
        Network.Dispose();
    }
}
