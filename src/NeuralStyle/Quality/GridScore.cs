using NeuralStyle.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Quality;

/// <summary>
/// How strongly a picture carries a periodic grid (the checkerboard that strided networks leave):
/// in the luminance's 2-D power spectrum, at the frequencies of periods 2, 4 and 8 pixels
/// (horizontal, vertical, diagonal), the largest power within ±1 bin divided by the median power of
/// the surrounding 17 × 17 bins, leaving out the bins next to zero frequency; the score is the
/// largest such ratio. Natural pictures score in the tens; a visible grid scores in the hundreds.
/// </summary>
public static class GridScore
{
    private const int Neighbourhood = 8;

    /// <summary>The score of an RGB 0–255 image [1, 3, H, W] (or [3, H, W]).</summary>
    public static double Of(Tensor rgb255)
    {
        using var scope = NewDisposeScope();
        var rgb = rgb255.detach().to(float64, CPU).reshape(3, rgb255.shape[^2], rgb255.shape[^1]);
        var luminance = rgb[0].Times(0.299).Plus(rgb[1].Times(0.587)).Plus(rgb[2].Times(0.114));
        var power = fft.fft2(luminance - luminance.mean()).abs().Squared();
        var height = (int)power.shape[0];
        var width = (int)power.shape[1];
        var p = power.data<double>().ToArray();
        double At(int y, int x) => p[(Mod(y, height) * width) + Mod(x, width)];
        static bool NearZero(int y, int x, int h, int w) => Math.Abs(Signed(y, h)) <= 1 && Math.Abs(Signed(x, w)) <= 1;

        var score = 0.0;
        foreach (var period in new[] { 2, 4, 8 })
        {
            var fy = (int)Math.Round((double)height / period);
            var fx = (int)Math.Round((double)width / period);
            foreach (var (cy, cx) in new[] { (0, fx), (fy, 0), (fy, fx) })
            {
                var peak = 0.0;
                var around = new List<double>();
                for (var dy = -Neighbourhood; dy <= Neighbourhood; dy++)
                {
                    for (var dx = -Neighbourhood; dx <= Neighbourhood; dx++)
                    {
                        var (y, x) = (cy + dy, cx + dx);
                        if (NearZero(y, x, height, width))
                        {
                            continue;
                        }

                        around.Add(At(y, x));
                        if (Math.Abs(dy) <= 1 && Math.Abs(dx) <= 1)
                        {
                            peak = Math.Max(peak, At(y, x));
                        }
                    }
                }

                around.Sort();
                score = Math.Max(score, peak / Math.Max(around[around.Count / 2], double.Epsilon));
            }
        }

        return score;
    }

    private static int Mod(int value, int size) => ((value % size) + size) % size;

    private static int Signed(int index, int size)
    {
        var m = Mod(index, size);
        return m > size / 2 ? m - size : m;
    }
}
