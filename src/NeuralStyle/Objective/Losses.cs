using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Objective;

/// <summary>
/// The loss terms of Gatys, Ecker &amp; Bethge (2015), in the paper's notation: F the layer's
/// responses (N filters × M positions), P the photo's responses, G = F Fᵀ and A the painting's Gram matrix.
/// </summary>
public static class Losses
{
    /// <summary>The Gram matrix G = F Fᵀ of responses [1, N, H, W]: an N × N matrix, in float32 at least.</summary>
    public static Tensor Gram(Tensor responses)
    {
        var f = Widened(responses).reshape(responses.shape[1], -1);
        return f.mm(f.t());
    }

    /// <summary>Content loss ½ Σ (F − P)², in float32 at least.</summary>
    public static Tensor Content(Tensor responses, Tensor target) => (Widened(responses) - target).Squared().sum().Times(0.5);

    /// <summary>One layer's style loss E_l = Σ (G − A)² / (4 N² M²).</summary>
    public static Tensor StyleLayer(Tensor responses, Tensor targetGram)
    {
        double n = responses.shape[1];
        double m = responses.shape[2] * responses.shape[3];
        return (Gram(responses) - targetGram).Squared().sum().Over(4.0 * n * n * m * m);
    }

    /// <summary>
    /// w · ½ Σ (F − P)² and its gradient w · (F − P) with respect to F, computed directly: the objective
    /// hands such gradients to one backward pass through the network instead of recording the loss
    /// arithmetic for autograd. The value is computed in float32 at least, the gradient is given in
    /// the responses' type, the type the network's backward pass computes in.
    /// </summary>
    public static (Tensor Value, Tensor Gradient) ContentWithGradient(Tensor responses, Tensor target, double weight)
    {
        var difference = Widened(responses) - target;
        return (difference.Squared().sum().Times(0.5 * weight), difference.TimesInPlace(weight).to(responses.dtype));
    }

    /// <summary>
    /// w · Σ D² / (4 N² M²) and w · D / (N² M²), the factor that multiplies F in its gradient, for a
    /// layer's D = G − A (N × N, scaled in place into the factor); M² given as <paramref name="positionsSquared"/>.
    /// </summary>
    internal static (Tensor Value, Tensor Factor) StyleValueAndFactor(Tensor difference, double weight, double positionsSquared)
    {
        double n = difference.shape[0];
        var value = difference.Squared().sum().Times(weight / (4.0 * n * n * positionsSquared));
        return (value, difference.TimesInPlace(weight / (n * n * positionsSquared)));
    }

    /// <summary>
    /// w · E_l and its gradient w · (G − A) F / (N² M²) with respect to F, computed directly: autograd
    /// would multiply by F twice (once for each factor of F Fᵀ) where the symmetry of G − A needs one
    /// product, and would scale the full-size gradient where scaling the N × N matrix is enough.
    /// G − A and the value are computed in float32 at least (see <see cref="GramMinusTarget"/>), the
    /// gradient in the responses' type.
    /// </summary>
    /// <param name="responses">F, [1, N, H, W].</param>
    /// <param name="targetGram">A, N × N.</param>
    /// <param name="weight">w.</param>
    /// <param name="positionsSquared">What M² stands for in the denominators; null: M² of the responses.</param>
    public static (Tensor Value, Tensor Gradient) StyleLayerWithGradient(Tensor responses, Tensor targetGram, double weight, double? positionsSquared = null)
    {
        var filters = responses.shape[1];
        double m = responses.shape[2] * responses.shape[3];
        var (value, scaled) = StyleValueAndFactor(GramMinusTarget(responses, targetGram), weight, positionsSquared ?? m * m);

        // Channels-last responses make Fᵀ the contiguous operand; multiplying it keeps the gradient in
        // the responses' own layout, so the backward pass reads it without a transposing copy. In the
        // responses' type, because a bfloat16 network's backward pass rounds the gradient to bfloat16
        // anyway, and its product is 3.6 times faster than float32's (VGG-19's style layers at 512 px:
        // 19 against 70 ms).
        var f = responses.reshape(filters, -1);
        var fTransposed = f.t();
        var factor = scaled.to(responses.dtype);
        var gradient = (fTransposed.is_contiguous() ? fTransposed.mm(factor).t() : factor.mm(f)).reshape(responses.shape);
        return (value, gradient);
    }

    /// <summary>
    /// G − A for responses F and a target Gram matrix A (float32 or wider), as accurate as the responses allow.
    /// </summary>
    /// <remarks>
    /// bfloat16 responses are exact in float32, and the library's bfloat16 matrix product adds in
    /// float32 but rounds its result to bfloat16: a Gram matrix computed that way is off by 2⁻⁹ of G,
    /// which late in the optimisation is as large as G − A itself (measured: 18 % of G − A when it is
    /// 1 % of G). So the product starts from −A's bfloat16 part as its addend, which it adds before it
    /// rounds, and A's float32 remainder is taken off afterwards: the rounding
    /// is then 2⁻⁹ of G − A, what the bfloat16 backward pass rounds the gradient to anyway (measured:
    /// 0.2 % at every ratio of G − A to G). It takes 12 ms for VGG-19's five style layers at 512 px
    /// where widening the responses and a float32 product took 72.
    /// </remarks>
    public static Tensor GramMinusTarget(Tensor responses, Tensor targetGram)
    {
        if (responses.dtype != ScalarType.BFloat16)
        {
            return Gram(responses) - targetGram;
        }

        var f = responses.reshape(responses.shape[1], -1);
        var high = targetGram.to(responses.dtype);
        var low = targetGram - high.to(targetGram.dtype);
        return addmm(high.neg_(), f, f.t(), 1, 1).to(targetGram.dtype).sub_(low);
    }

    /// <summary>[<paramref name="count"/>, 3] unit vectors in RGB, uniform on the sphere, drawn from <paramref name="seed"/>: the same for the same seed.</summary>
    public static Tensor RandomDirections(int count, int seed)
    {
        var random = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var vectors = tensor(Enumerable.Range(0, count * 3).Select(_ => Gaussian()).ToArray(), [count, 3]);
        return (vectors / vectors.norm(1, keepdim: true)).to(float32);
    }

    /// <summary>
    /// The quantiles of a picture's colours along each of <paramref name="directions"/> [K, 3]: the
    /// target of <see cref="PaletteWithGradient(Tensor, Tensor, Tensor, double, Tensor?)"/>, [K, <paramref name="count"/>] at levels (i + ½) / count.
    /// </summary>
    /// <remarks>
    /// A picture of more than 2²⁰ pixels is read at every k-th pixel, enough for a thousand levels:
    /// sorting all of a print-size painting's projections took 8 GB (5200 px, 17 megapixels).
    /// </remarks>
    public static Tensor ColorQuantiles(Tensor rgb, Tensor directions, int count)
    {
        const long MostPixels = 1L << 20;
        var pixels = rgb.reshape(3, -1);
        var step = (pixels.shape[1] + MostPixels - 1) / MostPixels;
        var read = step > 1 ? pixels[.., TensorIndex.Slice(0, null, step)] : pixels;
        var sorted = directions.mm(read.to(directions.dtype)).sort(1).Values;
        return AtLevels(sorted, count);
    }

    /// <summary>
    /// w · the mean squared gap between the picture's colours and the target's along each direction
    /// (each pixel's projection against the target's quantile at the pixel's level in the picture: a
    /// sliced Wasserstein-2 distance between the two colour distributions), and its gradient with
    /// respect to the pixels [1, 3, H, W], computed directly: each pixel moves along the directions by
    /// its gaps. A pixel's level is read from a 4,096-bin histogram of the projections rather than by
    /// sorting them: sixteen sorts of a 512-px picture's 200,000 pixels took 150 ms an iteration here.
    /// </summary>
    /// <param name="rgb">The picture, [1, 3, H, W].</param>
    /// <param name="directions">Unit directions in RGB, [K, 3].</param>
    /// <param name="targetQuantiles">The target's quantiles along them (<see cref="ColorQuantiles"/>).</param>
    /// <param name="weight">w.</param>
    /// <param name="pixelWeights">
    /// How much each pixel belongs to the compared region, [1, H·W] in 0–1: the picture's distribution is
    /// then the weighted one, and each pixel's gap counts (and moves it) in proportion; null: all fully.
    /// </param>
    public static (Tensor Value, Tensor Gradient) PaletteWithGradient(Tensor rgb, Tensor directions, Tensor targetQuantiles, double weight, Tensor? pixelWeights = null) =>
        PaletteWithGradient(rgb, directions, targetQuantiles, weight, pixelWeights, PalettePixelsPerChunk);

    // The palette term reads the picture a megapixel at a time, each chunk's temporaries freed before
    // the next: read whole, a 3000 x 2001 picture's added 2 GB to the peak (over 300 bytes a pixel), and the
    // built-in network's 6000 x 4000 job was killed at its first iteration.
    private const long PalettePixelsPerChunk = 1L << 20;

    /// <summary><see cref="PaletteWithGradient(Tensor, Tensor, Tensor, double, Tensor?)"/> read <paramref name="chunkPixels"/> pixels at a time.</summary>
    internal static (Tensor Value, Tensor Gradient) PaletteWithGradient(Tensor rgb, Tensor directions, Tensor targetQuantiles, double weight, Tensor? pixelWeights, long chunkPixels)
    {
        const int Bins = 4096;
        var pixels = rgb.reshape(3, -1);
        var (count, total) = (directions.shape[0], pixels.shape[1]);
        var (dtype, device) = (directions.dtype, directions.device);
        var chunks = Enumerable.Range(0, (int)((total + chunkPixels - 1) / chunkPixels))
            .Select(i => (Start: i * chunkPixels, Length: Math.Min(chunkPixels, total - (i * chunkPixels))))
            .ToArray();
        Tensor Projected(int i) => directions.mm(pixels.narrow(1, chunks[i].Start, chunks[i].Length).to(dtype));
        Tensor? PerPixel(int i) => pixelWeights?.reshape(1, -1).narrow(1, chunks[i].Start, chunks[i].Length).to(dtype).expand(count, -1);

        // Each direction's range, then the histogram of every pixel's bin in it, then each pixel's gap.
        var (lows, highs) = (empty(chunks.Length, count, dtype: dtype, device: device), empty(chunks.Length, count, dtype: dtype, device: device));
        for (var i = 0; i < chunks.Length; i++)
        {
            using var scope = NewDisposeScope();
            var projected = Projected(i);
            lows[i].copy_(projected.amin([1]));
            highs[i].copy_(projected.amax([1]));
        }

        var low = lows.amin([0]).unsqueeze(1);
        var binsPerUnit = (highs.amax([0]).unsqueeze(1) - low).AtLeast(1e-6).reciprocal_().TimesInPlace(Bins);
        Tensor Scaled(Tensor projected) => (projected - low).mul_(binsPerUnit);
        Tensor Bin(Tensor scaled) => scaled.floor().ClampedInPlace(0, Bins - 1).to(int64);
        var offsets = ScalarArithmetic.Range(0, count * Bins, Bins, int64, device).unsqueeze(1);
        var histogram = zeros(count * Bins, dtype: dtype, device: device);
        for (var i = 0; i < chunks.Length; i++)
        {
            using var scope = NewDisposeScope();
            var bin = Bin(Scaled(Projected(i)));
            histogram.PlusInPlace(bincount(bin.Plus(offsets).flatten(), PerPixel(i)?.flatten(), count * Bins).to(dtype));
        }

        histogram = histogram.reshape(count, Bins);
        var below = histogram.cumsum(1) - histogram;
        var mass = pixelWeights?.sum().to(dtype).AtLeast(1e-6) ?? tensor((double)total, dtype, device);
        var gradient = empty(3, total, dtype: dtype, device: device);
        var sums = empty(chunks.Length, dtype: float64, device: device);
        for (var i = 0; i < chunks.Length; i++)
        {
            using var scope = NewDisposeScope();
            var projected = Projected(i);
            var scaled = Scaled(projected);
            var bin = Bin(scaled);
            var level = below.gather(1, bin).PlusInPlace((scaled - bin.to(dtype)).mul_(histogram.gather(1, bin))).div_(mass);
            var gaps = projected - AtLevels(targetQuantiles, level);
            var weighted = PerPixel(i) is { } perPixel ? gaps * perPixel : gaps;
            gradient.narrow(1, chunks[i].Start, chunks[i].Length).copy_(directions.t().mm(weighted));
            sums[i].copy_((weighted * gaps).sum());
        }

        var n = (double)count * total;
        return (sums.sum().Times(weight / n), gradient.TimesInPlace(2 * weight / n).reshape(rgb.shape).to(rgb.dtype));
    }

    /// <summary>Total variation Σ (x[i, j+1] − x[i, j])² + (x[i+1, j] − x[i, j])² over an image [1, C, H, W].</summary>
    public static Tensor TotalVariation(Tensor image)
    {
        var dx = image[.., .., .., 1..] - image[.., .., .., ..^1];
        var dy = image[.., .., 1.., ..] - image[.., .., ..^1, ..];
        return dx.Squared().sum().Plus(dy.Squared().sum());
    }

    /// <summary>Values of sorted rows [K, n] at levels (i + ½) / count, i &lt; count, interpolated linearly.</summary>
    internal static Tensor AtLevels(Tensor sorted, int count) =>
        AtLevels(sorted, ScalarArithmetic.Range(0.5, count, 1, sorted.dtype, sorted.device).Over(count).expand(sorted.shape[0], count));

    // Values of sorted rows [K, n] at levels in [0, 1] [K, m], the i-th value standing at (i + ½) / n.
    private static Tensor AtLevels(Tensor sorted, Tensor levels)
    {
        var n = sorted.shape[1];
        var positions = levels.Times(n).Minus(0.5).Clamped(0, n - 1);
        var below = positions.floor().to(int64);
        var above = below.Plus(1).AtMost(n - 1);
        return sorted.gather(1, below).lerp(sorted.gather(1, above), positions - below.to(sorted.dtype));
    }

    // Half-precision responses are summed and squared in float32: their Gram matrices and loss values
    // would otherwise keep three significant digits.
    internal static Tensor Widened(Tensor t) => t.dtype is ScalarType.BFloat16 or ScalarType.Float16 ? t.to(float32) : t;
}
