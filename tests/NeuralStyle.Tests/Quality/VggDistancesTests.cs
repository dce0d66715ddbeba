using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;
using NeuralStyle.Quality;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Quality;

public sealed class VggDistancesTests
{
    private static readonly RgbImage Painting = ImageFile.Resize(TestImages.Painting, 256, 160);

    [Fact]
    public void GivenThePaintingItself_WhenItsLargeScaleStyleIsMeasured_ThenItIsZero()
    {
        using var network = Reference();
        using var painting = ImageTensor.ToTensor(Painting, float32, CPU);

        Assert.Equal(0, VggDistances.LargeScaleStyle(network, painting, painting), 1e-3);
    }

    // Two wrong pictures of the painting: its strokes at half their size, repeated 2 × 2 (fine texture,
    // wrong forms), and its forms with the strokes blurred away (a quarter of its size, enlarged). The
    // full-size measure prefers the fine texture; at the painting's scale the forms must win.
    [Fact]
    public void GivenThePaintingsStrokesHalvedOrItsFormsBlurred_WhenMeasured_ThenOnlyTheLargeScaleStylePrefersTheForms()
    {
        using var network = Reference();
        using var scope = NewDisposeScope();
        var painting = ImageTensor.ToTensor(Painting, float32, CPU);
        var halved = ImageTensor.ToTensor(Repeated(ImageFile.Resize(Painting, 128, 80)), float32, CPU);
        var blurred = ImageTensor.ToTensor(ImageFile.Resize(ImageFile.Resize(Painting, 64, 40), 256, 160), float32, CPU);

        var (halvedStyle, blurredStyle) = (VggDistances.Measure(network, halved, painting, painting).Style, VggDistances.Measure(network, blurred, painting, painting).Style);
        var (halvedLarge, blurredLarge) = (VggDistances.LargeScaleStyle(network, halved, painting), VggDistances.LargeScaleStyle(network, blurred, painting));

        Assert.True(halvedStyle < blurredStyle / 2, $"full size: halved {halvedStyle:0.###e0}, blurred {blurredStyle:0.###e0}");
        Assert.True(blurredLarge < halvedLarge / 1.3, $"painting's scale: halved {halvedLarge:0.###e0}, blurred {blurredLarge:0.###e0}");
    }

    private static Vgg Reference() => new(VggWeights.Load(SharedData.PartialCaffeWeights), Pooling.Max);

    // A picture twice as wide and high made of 2 × 2 copies.
    private static RgbImage Repeated(RgbImage image)
    {
        var (width, height) = (image.Width * 2, image.Height * 2);
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var copy = 0; copy < 2; copy++)
            {
                Array.Copy(image.Pixels, y % image.Height * image.Width * 3, pixels, ((y * width) + (copy * image.Width)) * 3, image.Width * 3);
            }
        }

        return new RgbImage(width, height, pixels);
    }
}
