using NeuralStyle.FastPainters;
using NeuralStyle.Images;
using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.FastPainters;

public sealed class KnownMotionTests
{
    private static Tensor Crops() => ImageTensor.ToTensor(ImageFile.Resize(TestImages.Photo, 64, 64), float32, CPU).repeat(3, 1, 1, 1);

    [Fact]
    public void GivenAMotion_WhenItsInsideIsRead_ThenTheCentreIsInsideAndSomeBorderIsNot()
    {
        using var motion = KnownMotion.Draw(new Random(3), 3, 64, 64);

        var inside = motion.Inside.data<float>().ToArray();

        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(1f, inside[(i * 64 * 64) + (32 * 64) + 32]));
        Assert.All(Enumerable.Range(0, 3), i => Assert.Contains(0f, inside.Skip(i * 64 * 64).Take(64 * 64)));
    }

    [Fact]
    public void GivenAPainterThatMovesWithThePicture_WhenItsTemporalLossIsTaken_ThenItIsAFractionOfOneThatPaintsAFixedPattern()
    {
        using var scope = NewDisposeScope();
        using var motion = KnownMotion.Draw(new Random(5), 3, 64, 64);
        var crops = Crops();
        // A blur follows the picture wherever it moves; stripes tied to the frame stay where they are.
        Tensor Blur(Tensor x) => nn.functional.avg_pool2d(nn.functional.pad(x, [1, 1, 1, 1], PaddingModes.Replicate), 3, stride: 1);
        var stripes = ScalarArithmetic.Range(0, 64, 1, float32).remainder(4).Above(1).to(float32).Times(80).reshape(1, 1, 1, 64);
        Tensor Striped(Tensor x) => x.Plus(stripes);

        var steady = motion.Loss(Blur(motion.Move(crops)), motion.Move(Blur(crops))).item<float>();
        var flickering = motion.Loss(Striped(motion.Move(crops)), motion.Move(Striped(crops))).item<float>();

        Assert.True(steady < 0.05 * flickering, $"blur {steady}, stripes {flickering}");
    }
}
