using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Quality;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Quality;

// The built-in network's reason for its defaults, kept true: the paper's recipe on ResNet-18 leaves a
// periodic grid; random shifts remove it. At 256 px and 100 iterations (to keep the suite fast) we
// measured grid scores of 158 without shifts and 8 with them (seed 1); the README's table has
// the full 512 px runs.
public sealed class BuiltInNetworkQualityTests
{
    private static double GridScoreOfDefaultRun(int jitter)
    {
        var options = new StyleTransferOptions { Size = 256, Iterations = 100, Seed = 1, Jitter = jitter, Network = NetworkKind.ResNet18 };
        var result = StyleTransfer.Run(TestImages.Photo, TestImages.Painting, options);
        using var scope = NewDisposeScope();
        return GridScore.Of(ImageTensor.ToTensor(result.Image, float32, CPU));
    }

    [Fact]
    public void GivenTheBuiltInNetwork_WhenPaintingWithItsDefaultShifts_ThenNoGridAppearsWhileWithoutShiftsOneDoes()
    {
        var withShifts = GridScoreOfDefaultRun(jitter: 16);
        var withoutShifts = GridScoreOfDefaultRun(jitter: 0);

        Assert.True(withShifts < 60, $"grid score with shifts {withShifts:0.0}");
        Assert.True(withoutShifts > 60, $"grid score without shifts {withoutShifts:0.0}");
    }
}
