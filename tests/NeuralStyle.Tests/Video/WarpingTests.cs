using NeuralStyle.Video;

namespace NeuralStyle.Tests.Video;

public sealed class WarpingTests
{
    [Fact]
    public void GivenTheTrueBackwardFlow_WhenThePreviousFrameIsWarped_ThenItIsTheFrameWhereverThePreviousFrameShowedThePoint()
    {
        var clip = new MovingClip(96, 72);
        var (previous, frame) = (clip.Frame(1), clip.Frame(2));

        var warped = Warping.Warp(previous, clip.Backward(2));

        var (same, visible, differentWhereOccluded) = (0, 0, 0);
        for (var y = 0; y < clip.Height; y++)
        {
            for (var x = 0; x < clip.Width; x++)
            {
                var p = ((y * clip.Width) + x) * 3;
                var equal = Enumerable.Range(0, 3).All(ch => warped.Pixels[p + ch] == frame.Pixels[p + ch]);
                if (clip.Occluded(x, y, 2))
                {
                    differentWhereOccluded += equal ? 0 : 1;
                }
                else
                {
                    visible++;
                    same += equal ? 1 : 0;
                }
            }
        }

        Assert.Equal(visible, same);
        Assert.True(differentWhereOccluded > 50, $"{differentWhereOccluded} occluded pixels differ");
    }

    [Fact]
    public void GivenAFlowOfAnotherSize_WhenWarping_ThenOneLineSaysSo()
    {
        var error = Assert.Throws<StyleTransferException>(() => Warping.Warp(new MovingClip(96, 72).Frame(0), new MovingClip(48, 36).Backward(1)));

        Assert.Equal("a 48×36 flow cannot warp a 96×72 frame", error.Message);
    }
}
