using NeuralStyle.Cli;
using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;
using NeuralStyle.Optimization;
using NeuralStyle.Planning;

namespace NeuralStyle.Tests.Planning;

public sealed class MemoryEstimateTests
{
    private const double GiB = 1L << 30;
    private static readonly NetworkCost Cost = new(0, 76e6);

    private static MemoryEstimate Vgg19At(int size, SynthesisSettings settings) => MemoryEstimate.For(
        NetworkKind.Vgg19, Cost with { ConvolutionOutputs = Cost.ConvolutionOutputs * size * size / (512.0 * 512) }, size, size, settings, bfloat16: false);

    [Fact]
    public void GivenLbfgs_WhenEstimated_ThenItsHistoryOfTwoVectorsPerPairIsCounted()
    {
        var lbfgs = MemoryEstimate.For(NetworkKind.Vgg19, Cost, 512, 512, new SynthesisSettings(OptimizerKind.Lbfgs, 1, 10, LbfgsHistory: 100), bfloat16: false);
        var adam = MemoryEstimate.For(NetworkKind.Vgg19, Cost, 512, 512, new SynthesisSettings(OptimizerKind.Adam, 1, 10), bfloat16: false);

        Assert.Equal(adam.NetworkBytes, lbfgs.NetworkBytes);
        Assert.InRange(lbfgs.OptimizerBytes - adam.OptimizerBytes, 200 * 3 * 512 * 512 * 4.0, 205 * 3 * 512 * 512 * 4.0);
    }

    [Theory]
    [InlineData(1000, 6000, 32, 992)]
    [InlineData(5000, 6000, 16, 4784)]
    [InlineData(100, 6000, 32, null)]
    [InlineData(256, 6000, 32, 256)]
    [InlineData(100000, 300, 32, 288)]
    [InlineData(100000, 256, 32, null)]
    public void GivenAPictureThatDoesNotFitWhole_WhenATileIsSought_ThenItIsTheLargestCandidateThatFitsOnTheAlignment(int fitsUpTo, int longestSide, int alignment, int? expected)
    {
        var tried = new List<int>();

        var tile = MemoryEstimate.LargestTile(t => { tried.Add(t); return t <= fitsUpTo; }, longestSide, alignment);

        Assert.Equal(expected, tile);
        Assert.All(tried, t => Assert.True(t % alignment == 0 && t >= 256 && t < longestSide, $"candidate {t}"));
        Assert.Equal(tried.OrderDescending(), tried);
    }

    [Fact]
    public void GivenMaskedPaintings_WhenEstimated_ThenEachAddsTheNetworksShareAgainAndTheOptimiserStays()
    {
        var adam = new SynthesisSettings(OptimizerKind.Adam, 1, 10);
        var plain = MemoryEstimate.For(NetworkKind.ResNet18, Cost, 512, 512, adam, bfloat16: false);

        var masked = MemoryEstimate.For(NetworkKind.ResNet18, Cost, 512, 512, adam, bfloat16: false, maskedPaintings: 2);

        Assert.Equal(3 * plain.NetworkBytes, masked.NetworkBytes, 1e-6 * plain.NetworkBytes);
        Assert.Equal(plain.OptimizerBytes, masked.OptimizerBytes);
    }

    [Fact]
    public void GivenAPaintingsTargets_WhenEstimated_ThenOnlyTheirResponsesCountAndAScaleThatDoesNotFitIsRefusedWithOneThatDoes()
    {
        var targets = MemoryEstimate.ForTargets(NetworkKind.Vgg19, Cost, bfloat16: false);

        var refusal = targets.Refusal(4, 8192, 6144, 0.55 * GiB + (targets.NetworkBytes / 4));

        Assert.Equal((4 * Cost.ConvolutionOutputs, 0.0), (targets.NetworkBytes, targets.OptimizerBytes));
        Assert.NotNull(refusal);
        Assert.EndsWith("the largest that fits is about --style-scale 2", CommandLineWords.Of(refusal), StringComparison.Ordinal);
        Assert.Null(targets.Refusal(4, 8192, 6144, 0.55 * GiB + targets.NetworkBytes));
    }

    [Fact]
    public void GivenAnEstimate_WhenTheLargestHistoryIsAsked_ThenThatHistoryFitsAndOneMorePairDoesNot()
    {
        const double Available = 24 * GiB;
        var estimate = Vgg19At(2048, new SynthesisSettings(OptimizerKind.Lbfgs, 1, 10, LbfgsHistory: 100));

        var history = estimate.LargestLbfgsHistory(Available);

        Assert.InRange(history, 1, 99);
        Assert.True(Vgg19At(2048, new SynthesisSettings(OptimizerKind.Lbfgs, 1, 10, LbfgsHistory: history)).TotalBytes <= Available);
        Assert.True(Vgg19At(2048, new SynthesisSettings(OptimizerKind.Lbfgs, 1, 10, LbfgsHistory: history + 1)).TotalBytes > Available);
    }

    [Fact]
    public void GivenAnEstimate_WhenTheLargestSizeIsAsked_ThenThatSizeFitsAndOneTenthLargerDoesNot()
    {
        const double Available = 8 * GiB;
        var settings = new SynthesisSettings(OptimizerKind.Lbfgs, 1, 10);

        var largest = Vgg19At(512, settings).LargestSize(512, Available);

        Assert.True(Vgg19At(largest, settings).TotalBytes <= Available);
        Assert.True(Vgg19At(largest * 11 / 10, settings).TotalBytes > Available);
    }

    [Fact]
    public void GivenASizeThatFits_WhenChecked_ThenNothingIsRefused()
    {
        var estimate = Vgg19At(512, new SynthesisSettings(OptimizerKind.Lbfgs, 1, 10));

        Assert.Null(estimate.Refusal(512, 512, 512, OptimizerKind.Lbfgs, estimate.TotalBytes));
    }

    [Fact]
    public void GivenLbfgsWhoseNetworkFitsButNotItsHistory_WhenChecked_ThenTheRefusalNamesTheLargestSizeAHistoryThatFitsAndAdam()
    {
        var settings = new SynthesisSettings(OptimizerKind.Lbfgs, 1, 10, LbfgsHistory: 100);
        var estimate = Vgg19At(2048, settings);
        var available = MemoryEstimate.ProcessBytes + estimate.NetworkBytes + (0.5 * estimate.OptimizerBytes);

        var refusal = estimate.Refusal(2048, 2048, 2048, OptimizerKind.Lbfgs, available);

        var history = estimate.LargestLbfgsHistory(available);
        Assert.Equal(
            $"--size 2048 (2048x2048) needs {estimate} but {available / GiB:0.0} GiB is available; the largest that fits is about --size {estimate.LargestSize(2048, available)}, or --lbfgs-history {history} at this size, or --optimizer adam",
            CommandLineWords.Of(refusal!));
        Assert.InRange(history, 45, 50);
    }

    [Fact]
    public void GivenAdamOrANetworkThatDoesNotFitAlone_WhenRefused_ThenNoHistoryIsOffered()
    {
        var estimate = Vgg19At(2048, new SynthesisSettings(OptimizerKind.Lbfgs, 1, 10));
        var adam = Vgg19At(2048, new SynthesisSettings(OptimizerKind.Adam, 1, 10));

        Assert.EndsWith($"--size {estimate.LargestSize(2048, GiB)}", CommandLineWords.Of(estimate.Refusal(2048, 2048, 2048, OptimizerKind.Lbfgs, GiB)!), StringComparison.Ordinal);
        Assert.EndsWith($"--size {adam.LargestSize(2048, adam.TotalBytes / 2)}", CommandLineWords.Of(adam.Refusal(2048, 2048, 2048, OptimizerKind.Adam, adam.TotalBytes / 2)!), StringComparison.Ordinal);
    }

    // The README's table of the largest sizes on the 24 GB build machine (23.1 GiB available when
    // measured), for a 4:3 picture with each network's default layers, as the tool computes them.
    [Theory]
    [InlineData(NetworkKind.Vgg19, OptimizerKind.Lbfgs, false, 2225)]
    [InlineData(NetworkKind.Vgg19, OptimizerKind.Lbfgs, true, 2679)]
    [InlineData(NetworkKind.Vgg19, OptimizerKind.Adam, false, 2802)]
    [InlineData(NetworkKind.Vgg19, OptimizerKind.Adam, true, 3934)]
    [InlineData(NetworkKind.ResNet18, OptimizerKind.Adam, false, 5199)]
    [InlineData(NetworkKind.ResNet18, OptimizerKind.Adam, true, 6134)]
    public void GivenTheReadmesMachine_WhenTheLargestSizeIsEstimated_ThenItIsTheReadmesTable(NetworkKind kind, OptimizerKind optimizer, bool bfloat16, int readme)
    {
        var defaults = NetworkDefaults.For(kind);
        using IFeatureNetwork network = kind == NetworkKind.Vgg19 ? new Vgg(VggWeights.Load(SharedData.TestWeights), Pooling.Max) : BuiltInResNet18.Load();
        string[] layers = [.. defaults.ContentLayers.Concat(defaults.StyleLayers).Select(l => network.Canonical(l)!).Distinct()];
        var cost = NetworkCost.Count(network, layers, 384, 512);

        var estimate = MemoryEstimate.For(kind, cost, 384, 512, new SynthesisSettings(optimizer, 1, 10), bfloat16);
        var largest = estimate.LargestSize(512, 23.1 * GiB);

        Assert.InRange(largest, readme * 0.995, readme * 1.005);
    }
}
