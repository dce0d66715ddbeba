using NeuralStyle.FastPainters;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.FastPainters;

public sealed class TransformerNetworkTests
{
    // The same weights paint the photo and the photo moved one pixel left; how far the second picture is
    // from the first moved one pixel left, inside the borders, as a share of the first's spread.
    private static double OnePixelInconsistency(bool antiAliased)
    {
        using var network = new TransformerNetwork(new TransformerShape([8, 16, 32], 2, 1, antiAliased));
        network.Initialise(5);
        network.eval();
        using var noGradient = no_grad();
        using var scope = NewDisposeScope();
        var photo = TestImages.Tensor(TestImages.Photo, 132, 96);
        var style = ones(1);

        var painted = network.forward(photo.narrow(3, 0, 128), style);
        var paintedMoved = network.forward(photo.narrow(3, 1, 128), style);

        var expected = painted.narrow(3, 17, 96).narrow(2, 16, 64);
        var actual = paintedMoved.narrow(3, 16, 96).narrow(2, 16, 64);
        return actual.sub(expected).abs().mean().item<float>() / expected.std().item<float>();
    }

    [Fact]
    public void GivenTheSameWeights_WhenThePhotoMovesOnePixel_ThenTheAntiAliasedNetworksPictureMovesWithItFarMoreClosely()
    {
        var aliased = OnePixelInconsistency(antiAliased: false);
        var antiAliased = OnePixelInconsistency(antiAliased: true);

        Assert.True(antiAliased < 0.5 * aliased, $"moved one pixel, the picture changes by {antiAliased:0.000} of its spread anti-aliased and {aliased:0.000} without");
    }
}
