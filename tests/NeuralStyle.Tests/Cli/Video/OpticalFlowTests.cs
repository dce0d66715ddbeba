using NeuralStyle.Cli.Video;
using NeuralStyle.Tests.Video;
using NeuralStyle.Video;
using Xunit.Abstractions;

namespace NeuralStyle.Tests.Cli.Video;

/// <summary>OpenCV's flow and the reliability made from it against a clip's true motion and occlusions.</summary>
public sealed class OpticalFlowTests(ITestOutputHelper output)
{
    [Fact]
    public void GivenAPannedPhotoWithAMovingSquare_WhenTheFlowIsComputed_ThenItFollowsTheTrueMotionAndItsReliabilityFindsTheOcclusions()
    {
        var clip = new MovingClip(256, 192);
        var (visibleError, visible, occluded, occludedCaught, reliableKept, reliableTotal) = (0.0, 0, 0, 0, 0, 0);
        for (var t = 1; t <= 3; t++)
        {
            var backward = OpticalFlow.Between(clip.Frame(t), clip.Frame(t - 1));
            var reliability = Reliability.Check(backward, OpticalFlow.Between(clip.Frame(t - 1), clip.Frame(t)));
            var truth = clip.Backward(t);
            var truthMap = Reliability.Check(truth, clip.Forward(t));
            for (var y = 0; y < clip.Height; y++)
            {
                for (var x = 0; x < clip.Width; x++)
                {
                    var reliable = reliability.Weights[(y * clip.Width) + x] >= 0.5f;
                    if (clip.Occluded(x, y, t))
                    {
                        occluded++;
                        occludedCaught += reliable ? 0 : 1;
                        continue;
                    }

                    visible++;
                    visibleError += Math.Sqrt(Math.Pow(backward.U(x, y) - truth.U(x, y), 2) + Math.Pow(backward.V(x, y) - truth.V(x, y), 2));
                    if (truthMap.Weights[(y * clip.Width) + x] >= 0.99f)
                    {
                        reliableTotal++;
                        reliableKept += reliable ? 1 : 0;
                    }
                }
            }
        }

        var endPointError = visibleError / visible;
        var (caught, kept) = ((double)occludedCaught / occluded, (double)reliableKept / reliableTotal);
        output.WriteLine($"end-point error {endPointError:0.000} px where visible; occlusions marked unreliable {caught:P1}; truly reliable pixels kept {kept:P1}");
        Assert.True(endPointError < 0.25, $"end-point error {endPointError:0.000} px");
        Assert.True(caught > 0.75, $"{caught:P1} of the occluded pixels marked unreliable");
        Assert.True(kept > 0.9, $"{kept:P1} of the reliable pixels kept");
    }

    [Theory]
    [InlineData(48, 36)]
    [InlineData(64, 48)]
    [InlineData(512, 384)]
    [InlineData(1920, 1080)]
    public void GivenAFrameSize_WhenItsSamplingIsChosen_ThenTheInterpolatorIsNeverAskedForMoreNeighboursThanAQuarterOfTheGrid(int width, int height)
    {
        var (step, neighbours) = OpticalFlow.Sampling(width, height);

        Assert.InRange(neighbours, 4, 128);
        Assert.True(4 * neighbours <= (width / step) * (height / step), $"{neighbours} neighbours of {(width / step) * (height / step)} samples at step {step}");
        Assert.Equal(width >= 256 ? (8, 128) : (step, neighbours), (step, neighbours));
    }

    [Fact]
    public void GivenManyPairsOfTinyFrames_WhenTheirFlowsAreComputed_ThenEachIsAFlowOfTheFramesSize()
    {
        var clip = new MovingClip(48, 36);

        var flows = Enumerable.Range(0, 200).Select(i => OpticalFlow.Between(clip.Frame((i % 4) + 1), clip.Frame(i % 4))).ToList();

        Assert.All(flows, f => Assert.Equal((48, 36), (f.Width, f.Height)));
    }

    [Fact]
    public void GivenTwoBlackFrames_WhenTheirFlowIsComputed_ThenNothingMovesAndNothingFails()
    {
        var black = new NeuralStyle.Images.RgbImage(160, 120, new byte[160 * 120 * 3]);

        var flow = OpticalFlow.Between(black, black);

        Assert.Equal((160, 120), (flow.Width, flow.Height));
        Assert.All(flow.Vectors, v => Assert.Equal(0f, v));
    }
}
