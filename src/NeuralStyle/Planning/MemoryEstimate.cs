using System.Globalization;
using NeuralStyle.Networks;
using NeuralStyle.Optimization;

namespace NeuralStyle.Planning;

/// <summary>
/// Memory a synthesis will need, estimated before it starts from the network's convolution outputs
/// at the final size and the optimiser's state, so that a size that cannot fit is refused at once
/// instead of failing hours in.
/// </summary>
/// <param name="NetworkBytes">Activations kept for the backward pass, their gradients and the losses' temporaries.</param>
/// <param name="OptimizerBytes">The image, its gradient and the optimiser's state (L-BFGS: two vectors per curvature pair).</param>
/// <param name="ImageBytes">One image-sized float32 vector, the unit of the optimiser's state.</param>
public sealed record MemoryEstimate(double NetworkBytes, double OptimizerBytes, double ImageBytes)
{
    // L-BFGS keeps the image, its gradient, the previous gradient, the direction and two temporaries
    // besides its pairs; Adam the image, its gradient, two moments and a temporary.
    private const int LbfgsVectors = 6;
    private const int AdamVectors = 5;

    /// <summary>The runtime, libtorch and the network's filters: resident before the first iteration.</summary>
    public const double ProcessBytes = 0.55 * (1L << 30);

    /// <summary>The least <see cref="StyleTransferOptions.MaxMemory"/> taken: the process alone needs more than half of it.</summary>
    public const long LeastMaxMemory = 1L << 30;

    // Resident bytes at the peak of an iteration per element of the convolution outputs, measured with
    // the benchmark (resident less the process's own and the optimiser's, over the element count).
    // float32 at 512 and 1024 px, a tenth added: VGG-19 12.3–13.0, ResNet-18 24.9–25.4, whose
    // residual blocks keep more per convolution. bfloat16, whose networks keep their responses in
    // bfloat16, at 512–2048 px, a fifth added: VGG-19 5.4–5.8, ResNet-18 15.4–16.0. VGG-16 is VGG-19
    // with fewer convolutions of the same kind, which the element count already counts.
    private static readonly Dictionary<NetworkKind, (double Float32, double BFloat16)> BytesPerConvolutionOutput = new()
    {
        [NetworkKind.Vgg19] = (14, 7),
        [NetworkKind.Vgg16] = (14, 7),
        [NetworkKind.ResNet18] = (27, 19),
    };

    // Resident bytes per element of the convolution outputs while a painting's targets are computed:
    // no gradients, but every response kept until the Gram matrices are taken. Measured (peak resident
    // less a --style-scale 1 run's) with the painting at 3072 and 4096 px, a fifth added: VGG-19 3.2
    // (bfloat16 2.9), ResNet-18 13.8–14.1 in either type.
    private static readonly Dictionary<NetworkKind, (double Float32, double BFloat16)> TargetBytesPerConvolutionOutput = new()
    {
        [NetworkKind.Vgg19] = (4, 3.5),
        [NetworkKind.Vgg16] = (4, 3.5),
        [NetworkKind.ResNet18] = (17, 17),
    };

    /// <summary>All of it, with the process's own memory.</summary>
    public double TotalBytes => ProcessBytes + NetworkBytes + OptimizerBytes;

    /// <summary>
    /// The estimate for <paramref name="network"/> on an image of <paramref name="height"/> × <paramref name="width"/>
    /// pixels, with <paramref name="maskedPaintings"/> paintings that have masks: each adds about as much
    /// again as the network (its weighted copy of every style layer's responses and their gradient;
    /// measured at 512 px with two: VGG-19 1.1 → 3.0 GB, ResNet-18 0.4 → 1.0 GB above the program's own).
    /// </summary>
    public static MemoryEstimate For(NetworkKind network, NetworkCost cost, int height, int width, SynthesisSettings synthesis, bool bfloat16, int maskedPaintings = 0)
    {
        var pixelVector = 3.0 * height * width * sizeof(float);
        var optimizerVectors = synthesis.Optimizer == OptimizerKind.Lbfgs ? (2 * synthesis.LbfgsHistory) + LbfgsVectors : AdamVectors;
        var bytes = BytesPerConvolutionOutput[network];
        var networkBytes = cost.ConvolutionOutputs * (bfloat16 ? bytes.BFloat16 : bytes.Float32) * (1 + maskedPaintings);
        return new MemoryEstimate(networkBytes, optimizerVectors * pixelVector, pixelVector);
    }

    /// <summary>The estimate for computing a painting's targets (the responses at its style layers, without gradients) at the size <paramref name="cost"/> was counted for.</summary>
    public static MemoryEstimate ForTargets(NetworkKind network, NetworkCost cost, bool bfloat16)
    {
        var bytes = TargetBytesPerConvolutionOutput[network];
        return new MemoryEstimate(cost.ConvolutionOutputs * (bfloat16 ? bytes.BFloat16 : bytes.Float32), 0, 0);
    }

    /// <summary>
    /// Why the painting's targets, when this estimate is for them at <paramref name="width"/> × <paramref name="height"/>
    /// (<paramref name="styleScale"/> times the picture), cannot be computed in <paramref name="availableBytes"/>,
    /// naming the largest style scale that would fit; null when they can.
    /// </summary>
    public StyleTransferException? Refusal(double styleScale, int width, int height, double availableBytes) => TotalBytes <= availableBytes
        ? null
        : StyleTransferException.About(nameof(StyleTransferOptions.StyleScale), string.Create(
            CultureInfo.InvariantCulture,
            $"{styleScale} reads the painting at {width}x{height}, which needs {this} but {availableBytes / (1L << 30):0.0} GiB is available; the largest that fits is about {{StyleScale}} {styleScale * Math.Sqrt(Math.Max(0, availableBytes - ProcessBytes) / NetworkBytes):0.##}"));

    /// <summary>The smallest tile chosen when a picture does not fit whole: below it the margins would dwarf the tile.</summary>
    public const int SmallestTile = 256;

    /// <summary>
    /// The largest tile, below the picture's <paramref name="longestSide"/> and at least 256 px, that
    /// <paramref name="fits"/>: candidates a fifth smaller each, on multiples of <paramref name="alignment"/>,
    /// the last <see cref="SmallestTile"/>; null when none does.
    /// </summary>
    public static int? LargestTile(Func<int, bool> fits, int longestSide, int alignment)
    {
        for (var size = (double)longestSide - 1; size > SmallestTile; size *= 0.8)
        {
            var tile = Math.Max(SmallestTile, (int)size / alignment * alignment);
            if (fits(tile))
            {
                return tile;
            }
        }

        return longestSide > SmallestTile && fits(SmallestTile) ? SmallestTile : null;
    }

    /// <summary>The largest size whose estimate fits in <paramref name="availableBytes"/>, when this estimate is for <paramref name="size"/>: both parts grow with the area.</summary>
    public int LargestSize(int size, double availableBytes) =>
        (int)(size * Math.Sqrt(Math.Max(0, availableBytes - ProcessBytes) / (NetworkBytes + OptimizerBytes)));

    /// <summary>The most L-BFGS curvature pairs that fit in <paramref name="availableBytes"/> at this size; 0 when none does.</summary>
    public int LargestLbfgsHistory(double availableBytes) =>
        (int)Math.Max(0, Math.Floor((availableBytes - ProcessBytes - NetworkBytes - (LbfgsVectors * ImageBytes)) / (2 * ImageBytes)));

    /// <summary>
    /// Why a job of this estimate cannot run in <paramref name="availableBytes"/>, naming the largest
    /// size that would fit and, for L-BFGS when the network itself fits, the history that would and
    /// whether Adam would; null when it fits.
    /// </summary>
    /// <param name="size">The size asked for.</param>
    /// <param name="width">The picture's width at that size.</param>
    /// <param name="height">The picture's height at that size.</param>
    /// <param name="optimizer">The optimiser, whose state the estimate counts.</param>
    /// <param name="availableBytes">Memory the process can take.</param>
    public StyleTransferException? Refusal(int size, int width, int height, OptimizerKind optimizer, double availableBytes)
    {
        if (TotalBytes <= availableBytes)
        {
            return null;
        }

        var history = optimizer == OptimizerKind.Lbfgs && LargestLbfgsHistory(availableBytes) is > 0 and var pairs
            ? $", or {{LbfgsHistory}} {pairs} at this size"
            : string.Empty;
        var adam = optimizer == OptimizerKind.Lbfgs && TotalBytes - OptimizerBytes + (AdamVectors * ImageBytes) <= availableBytes
            ? ", or {Optimizer} adam"
            : string.Empty;
        return StyleTransferException.About(nameof(StyleTransferOptions.Size), string.Create(
            CultureInfo.InvariantCulture,
            $"{size} ({width}x{height}) needs {this} but {availableBytes / (1L << 30):0.0} GiB is available; the largest that fits is about {{Size}} {LargestSize(size, availableBytes)}{history}{adam}"));
    }

    /// <summary>
    /// Memory this process can still take: on Linux MemAvailable (or the cgroup's limit when lower);
    /// elsewhere the machine's memory less what was in use at the runtime's last collection, as .NET
    /// reports them (before any collection, the whole machine's: an upper bound).
    /// </summary>
    public static double? AvailableBytes()
    {
        if (!File.Exists("/proc/meminfo"))
        {
            var info = GC.GetGCMemoryInfo();
            return info.TotalAvailableMemoryBytes > 0 ? info.TotalAvailableMemoryBytes - info.MemoryLoadBytes + Environment.WorkingSet : null;
        }

        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var available = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        const string CgroupLimit = "/sys/fs/cgroup/memory.max";
        const string CgroupUsage = "/sys/fs/cgroup/memory.current";
        if (File.Exists(CgroupLimit) && File.Exists(CgroupUsage)
            && double.TryParse(File.ReadAllText(CgroupLimit).Trim(), CultureInfo.InvariantCulture, out var limit)
            && double.TryParse(File.ReadAllText(CgroupUsage).Trim(), CultureInfo.InvariantCulture, out var usage))
        {
            available = Math.Min(available, limit - usage);
        }

        return available + Environment.WorkingSet;
    }

    /// <summary>A one-line description in GiB.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"about {TotalBytes / (1L << 30):0.0} GiB (network {NetworkBytes / (1L << 30):0.0}, optimiser {OptimizerBytes / (1L << 30):0.0}, program {ProcessBytes / (1L << 30):0.0})");
}
