namespace NeuralStyle.Video;

/// <summary>The checker's smoothing of a reliability map: a normalised Gaussian of σ 0.8 over two σ each side, rows then columns, mirrored at the borders.</summary>
internal static class Gaussian
{
    private const float Sigma = 0.8f;

    private static readonly float[] Kernel = MakeKernel();

    public static float[] Smooth(float[] values, int width, int height)
    {
        var rows = new float[values.Length];
        var radius = Kernel.Length / 2;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var sum = 0f;
                for (var k = -radius; k <= radius; k++)
                {
                    sum += Kernel[k + radius] * values[(y * width) + Mirror(x + k, width)];
                }

                rows[(y * width) + x] = sum;
            }
        }

        var result = new float[values.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var sum = 0f;
                for (var k = -radius; k <= radius; k++)
                {
                    sum += Kernel[k + radius] * rows[(Mirror(y + k, height) * width) + x];
                }

                result[(y * width) + x] = sum;
            }
        }

        return result;
    }

    private static int Mirror(int i, int size) => i < 0 ? Math.Min(-i - 1, size - 1) : i >= size ? Math.Max((2 * size) - i - 1, 0) : i;

    private static float[] MakeKernel()
    {
        var radius = (int)MathF.Ceiling(2 * Sigma);
        var kernel = Enumerable.Range(-radius, (2 * radius) + 1).Select(k => MathF.Exp(-(k * k) / (2 * Sigma * Sigma))).ToArray();
        var total = kernel.Sum();
        return [.. kernel.Select(k => k / total)];
    }
}
