using NeuralStyle.Video;

namespace NeuralStyle.Tests.Video;

/// <summary>The reliability maps against what artistic-videos' checker marks, worked out here from the clip's known motion.</summary>
public sealed class ReliabilityTests
{
    private const int Width = 96;
    private const int Height = 72;

    // The checker's marks before its smoothing, by its rules applied to the clip's motion: outside the
    // frame (its last row and column included: it needs a neighbour to interpolate) 0; an occlusion
    // −255; next to the square's edge, where the flow jumps, a motion boundary 0; elsewhere 255.
    private static float Expected(MovingClip clip, FlowField backward, int x, int y, int t)
    {
        var (u, v) = (backward.U(x, y), backward.V(x, y));
        if (x + u < 0 || x + u >= Width - 1 || y + v < 0 || y + v >= Height - 1)
        {
            return 0;
        }

        if (clip.Occluded(x, y, t))
        {
            return -255;
        }

        var here = clip.OnObject(x, y, t);
        var edge = new[] { (-1, 0), (1, 0), (0, -1), (0, 1) }.Any(d =>
            x + d.Item1 is >= 0 and < Width && y + d.Item2 is >= 0 and < Height && clip.OnObject(x + d.Item1, y + d.Item2, t) != here);
        return edge ? 0 : 255;
    }

    [Fact]
    public void GivenTheTrueFlowsOfAClipWithAnOcclusion_WhenChecked_ThenTheMapIsTheCheckersUpToItsSmoothing()
    {
        var clip = new MovingClip(Width, Height);

        var backward = clip.Backward(1);

        var map = Reliability.Check(backward, clip.Forward(1));

        var (agree, settled, occluded, occludedCaught) = (0, 0, 0, 0);
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var expected = Expected(clip, backward, x, y, 1) > 0;
                var reliable = map.Weights[(y * Width) + x] >= 0.5f;
                agree += expected == reliable ? 1 : 0;
                occluded += clip.Occluded(x, y, 1) ? 1 : 0;
                occludedCaught += clip.Occluded(x, y, 1) && !reliable ? 1 : 0;

                // Two pixels from any change of mark, the smoothing leaves the mark as it was.
                var neighbourhood = from dy in Enumerable.Range(-2, 5) from dx in Enumerable.Range(-2, 5)
                                    select Expected(clip, backward, Math.Clamp(x + dx, 0, Width - 1), Math.Clamp(y + dy, 0, Height - 1), 1);
                if (neighbourhood.Distinct().Count() == 1)
                {
                    settled++;
                    Assert.Equal(Math.Clamp(Expected(clip, backward, x, y, 1), 0, 255) / 255f, map.Weights[(y * Width) + x], 1e-5f);
                }
            }
        }

        Assert.True(settled > Width * Height / 2, $"{settled} settled pixels");
        Assert.True(occluded > 50 && occludedCaught == occluded, $"{occludedCaught} of {occluded} occluded pixels marked unreliable");
        Assert.True(agree >= 0.97 * Width * Height, $"{agree} of {Width * Height} pixels agree");
    }

    [Fact]
    public void GivenAMap_WhenWrittenAsPgmAndReadBack_ThenItIsAnEightBitBinaryPgmOfTheSameWeights()
    {
        using var folder = new TempFolder();
        var clip = new MovingClip(Width, Height);
        var map = Reliability.Check(clip.Backward(1), clip.Forward(1));

        map.WritePgm(folder.File("reliable_2_1.pgm"));
        var read = Reliability.ReadPgm(folder.File("reliable_2_1.pgm"));

        Assert.StartsWith($"P5\n{Width} {Height}\n255\n", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(folder.File("reliable_2_1.pgm")), 0, 16), StringComparison.Ordinal);
        Assert.All(map.Weights.Zip(read.Weights), w => Assert.Equal(w.First, w.Second, 0.5f / 255));
    }
}
