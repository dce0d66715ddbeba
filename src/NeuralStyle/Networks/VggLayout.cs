namespace NeuralStyle.Networks;

/// <summary>
/// The layers of a VGG network's convolutional part (Simonyan &amp; Zisserman): VGG-19 (configuration
/// E, the paper's) or VGG-16 (configuration D), by name. A name <c>convB_L</c> (or its synonym
/// <c>reluB_L</c>) means that convolution's response after its ReLU, as in the paper; <c>poolB</c> the
/// output of block B's pooling.
/// </summary>
public sealed class VggLayout
{
    private static readonly int[] ChannelsPerBlock = [64, 128, 256, 512, 512];

    private VggLayout(NetworkKind network, int[] convsPerBlock)
    {
        Network = network;
        Layers = BuildLayers(convsPerBlock);
        Convolutions = BuildConvolutions(convsPerBlock);
        TorchvisionFeatureIndex = BuildTorchvisionIndex(Layers);
    }

    /// <summary>VGG-19: 16 convolutions, conv1_1 … conv5_4.</summary>
    public static VggLayout Vgg19 { get; } = new(NetworkKind.Vgg19, [2, 2, 4, 4, 4]);

    /// <summary>VGG-16: 13 convolutions, conv1_1 … conv5_3.</summary>
    public static VggLayout Vgg16 { get; } = new(NetworkKind.Vgg16, [2, 2, 3, 3, 3]);

    /// <summary>Which network this is.</summary>
    public NetworkKind Network { get; }

    /// <summary>The network's name as the paper writes it: <c>VGG-19</c> or <c>VGG-16</c>.</summary>
    public string Title => Network == NetworkKind.Vgg16 ? "VGG-16" : "VGG-19";

    /// <summary>Every layer in forward order: conv1_1, conv1_2, pool1, conv2_1, … pool5.</summary>
    public IReadOnlyList<string> Layers { get; }

    /// <summary>The convolutions in forward order, each with its input and output channels.</summary>
    public IReadOnlyList<(string Name, int InChannels, int OutChannels)> Convolutions { get; }

    /// <summary>
    /// The index of each convolution in torchvision's <c>vgg19().features</c> or <c>vgg16().features</c>
    /// (keys <c>features.N.weight</c>): each convolution is followed by a ReLU and each block by a max
    /// pool, so conv1_1 is 0, conv1_2 is 2, conv2_1 is 5.
    /// </summary>
    public IReadOnlyDictionary<string, int> TorchvisionFeatureIndex { get; }

    /// <summary>The layout of <paramref name="network"/>, a VGG.</summary>
    public static VggLayout Of(NetworkKind network) => network == NetworkKind.Vgg16 ? Vgg16 : Vgg19;

    /// <summary>The canonical name of a layer (<c>relu4_2</c> → <c>conv4_2</c>), or null when the network has no such layer.</summary>
    public string? Canonical(string name)
    {
        var trimmed = name.Trim().ToLowerInvariant();
        if (trimmed.StartsWith("relu", StringComparison.Ordinal))
        {
            trimmed = "conv" + trimmed[4..];
        }

        return Layers.Contains(trimmed) ? trimmed : null;
    }

    /// <summary>The position of a canonical layer name in <see cref="Layers"/>.</summary>
    public int Depth(string canonicalName) => Layers.ToList().IndexOf(canonicalName);

    private static List<string> BuildLayers(int[] convsPerBlock)
    {
        var layers = new List<string>();
        for (var block = 1; block <= convsPerBlock.Length; block++)
        {
            for (var conv = 1; conv <= convsPerBlock[block - 1]; conv++)
            {
                layers.Add($"conv{block}_{conv}");
            }

            layers.Add($"pool{block}");
        }

        return layers;
    }

    private static List<(string, int, int)> BuildConvolutions(int[] convsPerBlock)
    {
        var convs = new List<(string, int, int)>();
        var inChannels = 3;
        for (var block = 1; block <= convsPerBlock.Length; block++)
        {
            for (var conv = 1; conv <= convsPerBlock[block - 1]; conv++)
            {
                convs.Add(($"conv{block}_{conv}", inChannels, ChannelsPerBlock[block - 1]));
                inChannels = ChannelsPerBlock[block - 1];
            }
        }

        return convs;
    }

    private static Dictionary<string, int> BuildTorchvisionIndex(IReadOnlyList<string> layers)
    {
        var index = new Dictionary<string, int>();
        var position = 0;
        foreach (var layer in layers)
        {
            if (layer.StartsWith("pool", StringComparison.Ordinal))
            {
                position += 1;
            }
            else
            {
                index[layer] = position;
                position += 2;
            }
        }

        return index;
    }
}
