using NeuralStyle.Networks;

namespace NeuralStyle.Jobs;

/// <summary>
/// The network that jobs paint with, kept loaded from one job to the next while they ask for the same
/// one, and the weights this process was configured with (<c>--weights</c>, else the PyTorch cache):
/// a job's own settings never name a file. Used by one thread at a time.
/// </summary>
public sealed class NetworkShelf(string? weights) : IDisposable
{
    private LoadedNetwork? loaded;

    /// <summary>The options with this process's weights: VGG-19 from <c>--weights</c> or the PyTorch cache, auto resolved to the network that gives.</summary>
    public StyleTransferOptions WithOwnWeights(StyleTransferOptions options)
    {
        var own = options with { WeightsPath = options.Network == NetworkKind.ResNet18 ? null : weights };
        return own with { Network = StyleTransfer.ChooseNetwork(own) };
    }

    /// <summary>A painter of <paramref name="styles"/> with <paramref name="options"/> (weights already this process's), on the kept network or, when it asks for another, a newly loaded one.</summary>
    /// <exception cref="StyleTransferException">Bad options, or a missing or bad weights file.</exception>
    public Painter PainterFor(StyleSources styles, StyleTransferOptions options)
    {
        if (loaded is null || !loaded.Serves(options))
        {
            loaded?.Dispose();
            loaded = null;
            loaded = LoadedNetwork.Load(options);
        }

        return new Painter(styles, options, loaded);
    }

    /// <inheritdoc/>
    public void Dispose() => loaded?.Dispose();
}
