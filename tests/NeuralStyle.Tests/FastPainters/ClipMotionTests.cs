using NeuralStyle.FastPainters;
using NeuralStyle.Platform;
using NeuralStyle.Tests.Video;
using NeuralStyle.Video;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.FastPainters;

public sealed class ClipMotionTests
{
    // Two consecutive frames of the clip with known motion, its true flow, and the reliability of it.
    private static ClipPair Pair(MovingClip clip, int t) => new(clip.Frame(t - 1), clip.Frame(t), clip.Backward(t), Reliability.Check(clip.Backward(t), clip.Forward(t)));

    // Four 64 px crops of the clip's first three pairs, and the motion that carries them.
    private static (Tensor Scene, ClipMotion Motion) Drawn()
    {
        var clip = new MovingClip(96, 72);
        return ClipMotion.Draw(ClipMotion.Prepare([Pair(clip, 1), Pair(clip, 2), Pair(clip, 3)], 64), new Random(2), 4, 64);
    }

    [Fact]
    public void GivenPairsOfARealMotion_WhenAPainterThatChangesNothingIsCarriedAlongIt_ThenItMatchesAndOneThatPaintsAFixedPatternDoesNot()
    {
        using var scope = NewDisposeScope();
        var (scene, motion) = Drawn();
        using var owned = motion;
        var stripes = ScalarArithmetic.Range(0, 64, 1, float32).remainder(4).Above(1).to(float32).Times(80).reshape(1, 1, 1, 64);

        var unchanged = motion.Loss(motion.Second(scene), motion.Carried(motion.First(scene))).item<float>();
        var fixedPattern = motion.Loss(motion.Second(scene).Plus(stripes), motion.Carried(motion.First(scene).Plus(stripes))).item<float>();

        Assert.True(unchanged < 0.02 * fixedPattern, $"unchanged {unchanged}, fixed stripes {fixedPattern}");
        Assert.Equal([4L, 3, 64, 64], scene.shape);
    }

    [Fact]
    public void GivenPairsOfARealMotion_WhenFeaturesThatMoveWithThePictureAreCarriedAlongIt_ThenTheyMatchAndFeaturesTiedToTheFrameDoNot()
    {
        using var scope = NewDisposeScope();
        var (scene, motion) = Drawn();
        using var owned = motion;
        Tensor Cells(Tensor x) => nn.functional.avg_pool2d(x, 4);
        var fixedCells = ScalarArithmetic.Range(0, 16, 1, float32).remainder(2).to(float32).Times(80).reshape(1, 1, 1, 16);

        var moving = motion.FeatureLoss(Cells(motion.Second(scene)), Cells(motion.First(scene))).item<float>();
        var tied = motion.FeatureLoss(Cells(motion.Second(scene)).Plus(fixedCells), Cells(motion.First(scene)).Plus(fixedCells)).item<float>();

        Assert.True(moving < 0.1 * tied, $"moving cells {moving}, fixed cells {tied}");
    }

    [Fact]
    public void GivenTheSquareThatMovesAcrossTheClip_WhenItsPairsAreCropped_ThenWhatItUncoversIsLeftOut()
    {
        using var scope = NewDisposeScope();
        var clip = new MovingClip(72, 72);
        var pairs = ClipMotion.Prepare([Pair(clip, 2)], 72);
        var (_, motion) = ClipMotion.Draw(pairs, new Random(1), 1, 72);
        using var owned = motion;

        // The background the square uncovered behind it: left of the square's new place, on its rows.
        var left = 4 + (5 * 2) - 2;
        var uncovered = motion.Inside[0, 0, 30..40, left..(left + 2)].mean().item<float>();
        var open = motion.Inside[0, 0, 60..70, 60..70].mean().item<float>();

        Assert.True(uncovered < 0.2, $"the uncovered background weighs {uncovered}");
        Assert.True(open > 0.9, $"the open background weighs {open}");
    }

    [Fact]
    public void GivenFramesSmallerThanTheCrops_WhenPrepared_ThenItSaysSo()
    {
        var clip = new MovingClip(48, 36);

        var refused = Assert.Throws<StyleTransferException>(() => ClipMotion.Prepare([Pair(clip, 1)], 64));

        Assert.Equal("a clip's frames must be at least as large as the crops", refused.Message);
    }
}
