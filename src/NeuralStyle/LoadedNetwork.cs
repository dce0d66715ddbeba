using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle;

/// <summary>
/// A network loaded once and lent to any number of <see cref="Painter"/>s, one after another: a server
/// or a worker that paints job after job, each with its own paintings, keeps it between the jobs that
/// use the same network instead of reading the weights again for each.
/// </summary>
public sealed class LoadedNetwork : IDisposable
{
    private LoadedNetwork(NetworkKind kind, string? weightsFile, StyleTransferOptions loadedFor, IFeatureNetwork network)
    {
        Kind = kind;
        WeightsFile = weightsFile;
        LoadedFor = loadedFor;
        Network = network;
    }

    /// <summary>The network: <see cref="NetworkKind.Vgg19"/>, <see cref="NetworkKind.Vgg16"/> or <see cref="NetworkKind.ResNet18"/>.</summary>
    public NetworkKind Kind { get; }

    /// <summary>The VGG weight file it was read from; null for the built-in network.</summary>
    public string? WeightsFile { get; }

    internal IFeatureNetwork Network { get; }

    // The options it was loaded for, with their precision resolved: what Serves compares.
    private StyleTransferOptions LoadedFor { get; }

    /// <summary>Loads the network that <paramref name="options"/> ask for (its kind, weights, pooling, device and precision).</summary>
    /// <exception cref="StyleTransferException">Bad options, or a missing or bad weights file.</exception>
    public static LoadedNetwork Load(StyleTransferOptions options)
    {
        StyleTransfer.Validate(options);
        options = options with { Precision = PrecisionChoice.Resolve(options.Precision, options.Device) };
        var device = StyleTransfer.TorchDevice(options.Device);
        var kind = StyleTransfer.ChooseNetwork(options);
        var weightsFile = kind == NetworkKind.ResNet18 ? null : WeightsLocator.Resolve(options.WeightsPath, kind);
        IFeatureNetwork network = kind == NetworkKind.ResNet18 ? BuiltInResNet18.Load() : new Vgg(Weights(weightsFile!, kind, options.Network), options.Pooling);
        ((nn.Module)network).to(device);
        if (options.Precision == Precision.BFloat16)
        {
            ((nn.Module)network).to(bfloat16);
        }

        return new LoadedNetwork(kind, weightsFile, options, network);
    }

    // A file holds VGG-19 or VGG-16 whatever its name; it must be the one asked for (auto means VGG-19).
    private static VggWeights Weights(string file, NetworkKind kind, NetworkKind asked)
    {
        var weights = VggWeights.Load(file);
        return weights.Layout.Network == kind ? weights
            : throw new StyleTransferException($"{file}: holds {weights.Layout.Title}, not the {VggLayout.Of(kind).Title} that {{Network}} {asked.Name()} takes; use {{Network}} {weights.Layout.Network.Name()}");
    }

    /// <summary>Whether a painter with <paramref name="options"/> would load this very network (kind, weights, pooling, device, precision).</summary>
    public bool Serves(StyleTransferOptions options)
    {
        var kind = StyleTransfer.ChooseNetwork(options);
        return kind == Kind
            && options.Device == LoadedFor.Device
            && PrecisionChoice.Resolve(options.Precision, options.Device) == LoadedFor.Precision
            && (kind == NetworkKind.ResNet18 || (options.Pooling == LoadedFor.Pooling && WeightsLocator.Resolve(options.WeightsPath, kind) == WeightsFile));
    }

    /// <inheritdoc />
    public void Dispose() => Network.Dispose();
}
