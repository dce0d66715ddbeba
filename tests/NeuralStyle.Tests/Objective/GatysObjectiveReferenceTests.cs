using NeuralStyle.Objective;
using NeuralStyle.Networks;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Objective;

// Tolerance 1e-5 relative: our float32 evaluation against PyTorch's float64 values. Each quantity is a
// sum over 1e4–1e6 float32 products, whose rounding stays near 1e-6 relative (we measured up to
// about 3e-7); a wrong layer, a ReLU in the wrong place or a normalisation off by any constant factor
// (2, 4, N, M) is off by far more than 1e-2.
public sealed class GatysObjectiveReferenceTests
{
    private const double Tolerance = 1e-5;
    private readonly GatysReference reference = GatysReference.Instance;

    [Fact]
    public void GivenTheReferencePhoto_WhenTheContentTargetIsComputed_ThenItMatchesPyTorchsRelu4_2()
    {
        using var scope = NewDisposeScope();
        using var network = reference.Network(Pooling.Max, float32);
        using var objective = reference.Objective(network, float32);

        var error = NeuralStyle.Tests.Tolerance.RelativeError(objective.ContentTargets["conv4_2"], reference.Get("content_target_relu4_2"));

        Assert.True(error < Tolerance, $"relative error {error:e2}");
    }

    [Fact]
    public void GivenTheReferencePainting_WhenStyleTargetsAreComputed_ThenEachGramMatrixMatchesPyTorch()
    {
        using var scope = NewDisposeScope();
        using var network = reference.Network(Pooling.Max, float32);
        using var objective = reference.Objective(network, float32);

        foreach (var layer in GatysReference.StyleLayers)
        {
            var expected = reference.Get("style_gram_relu" + layer[4..]);
            var error = NeuralStyle.Tests.Tolerance.RelativeError(objective.StyleTargets[layer], expected);
            Assert.True(error < Tolerance, $"{layer}: relative error {error:e2}");
        }
    }

    [Theory]
    [InlineData(Pooling.Max, "x0_max")]
    [InlineData(Pooling.Avg, "x0_avg")]
    public void GivenTheReferenceNoise_WhenTheLossIsEvaluated_ThenEveryTermMatchesPyTorch(Pooling pooling, string key)
    {
        using var scope = NewDisposeScope();
        using var network = reference.Network(pooling, float32);
        using var objective = reference.Objective(network, float32);
        var x0 = reference.NetworkToRgb(reference.Get("x0_net")).to(float32);
        var expected = reference.Json.GetProperty(key);

        var terms = objective.Evaluate(x0);
        var responses = network.Activations(x0, GatysReference.StyleLayers);

        Assert.InRange(NeuralStyle.Tests.Tolerance.RelativeError(terms.Content, expected.GetProperty("content").GetDouble()), 0, Tolerance);
        foreach (var layer in GatysReference.StyleLayers)
        {
            var e = Losses.StyleLayer(responses[layer], objective.StyleTargets[layer]).ToDouble();
            var error = NeuralStyle.Tests.Tolerance.RelativeError(e, expected.GetProperty("style_E").GetProperty("relu" + layer[4..]).GetDouble());
            Assert.True(error < Tolerance, $"E_{layer}: relative error {error:e2}");
        }

        Assert.InRange(NeuralStyle.Tests.Tolerance.RelativeError(terms.Style / 1000, expected.GetProperty("style").GetDouble()), 0, Tolerance);
        Assert.InRange(NeuralStyle.Tests.Tolerance.RelativeError(terms.Total, expected.GetProperty("total").GetDouble()), 0, Tolerance);
    }

    [Theory]
    [InlineData(Pooling.Max, "grad_x0_max")]
    [InlineData(Pooling.Avg, "grad_x0_avg")]
    public void GivenTheReferenceNoise_WhenTheTotalLossIsDifferentiated_ThenTheGradientMatchesPyTorch(Pooling pooling, string key)
    {
        using var scope = NewDisposeScope();
        using var network = reference.Network(pooling, float32);
        using var objective = reference.Objective(network, float32);
        var x0 = reference.NetworkToRgb(reference.Get("x0_net")).to(float32);

        var (_, gradient) = objective.EvaluateWithGradient(x0);

        var error = NeuralStyle.Tests.Tolerance.RelativeError(GatysReference.RgbGradientToNetwork(gradient), reference.Get(key));
        Assert.True(error < Tolerance, $"relative error {error:e2}");
    }
}
