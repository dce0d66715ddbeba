namespace NeuralStyle.Networks;

/// <summary>
/// The layers of VGG-19's convolutional part (Simonyan &amp; Zisserman, configuration E), by name.
/// A name <c>convB_L</c> (or its synonym <c>reluB_L</c>) means that convolution's response after its
/// ReLU, as in the paper; <c>poolB</c> the output of block B's pooling.
/// </summary>
public static class Vgg19Layout
{
    private static readonly int[] ConvsPerBlock = [2, 2, 4, 4, 4];
    private static readonly int[] ChannelsPerBlock = [64, 128, 256, 512, 512];

    /// <summary>Every layer in forward order: conv1_1, conv1_2, pool1, conv2_1, … conv5_4, pool5.</summary>
    public static IReadOnlyList<string> Layers { get; } = BuildLayers();

    /// <summary>The convolutions in forward order, each with its input and output channels.</summary>
    public static IReadOnlyList<(string Name, int InChannels, int OutChannels)> Convolutions { get; } = BuildConvolutions();

    /// <summary>
    /// The index of each convolution in torchvision's <c>vgg19().features</c> (keys <c>features.N.weight</c>):
    /// each convolution is followed by a ReLU and each block by a max pool, so conv1_1 is 0, conv1_2 is 2, conv2_1 is 5.
    /// </summary>
    public static IReadOnlyDictionary<string, int> TorchvisionFeatureIndex { get; } = BuildTorchvisionIndex();

    /// <summary>The canonical name of a layer (<c>relu4_2</c> → <c>conv4_2</c>), or null when VGG-19 has no such layer.</summary>
    public static string? Canonical(string name)
    {
        var trimmed = name.Trim().ToLowerInvariant();
        if (trimmed.StartsWith("relu", StringComparison.Ordinal))
        {
            trimmed = "conv" + trimmed[4..];
        }

        return Layers.Contains(trimmed) ? trimmed : null;
    }

    /// <summary>The position of a canonical layer name in <see cref="Layers"/>.</summary>
    public static int Depth(string canonicalName) => Layers.ToList().IndexOf(canonicalName);

    private static List<string> BuildLayers()
    {
        var layers = new List<string>();
        for (var block = 1; block <= ConvsPerBlock.Length; block++)
        {
            for (var conv = 1; conv <= ConvsPerBlock[block - 1]; conv++)
            {
                layers.Add($"conv{block}_{conv}");
            }

            layers.Add($"pool{block}");
        }

        return layers;
    }

    private static List<(string, int, int)> BuildConvolutions()
    {
        var convs = new List<(string, int, int)>();
        var inChannels = 3;
        for (var block = 1; block <= ConvsPerBlock.Length; block++)
        {
            for (var conv = 1; conv <= ConvsPerBlock[block - 1]; conv++)
            {
                convs.Add(($"conv{block}_{conv}", inChannels, ChannelsPerBlock[block - 1]));
                inChannels = ChannelsPerBlock[block - 1];
            }
        }

        return convs;
    }

    private static Dictionary<string, int> BuildTorchvisionIndex()
    {
        var index = new Dictionary<string, int>();
        var position = 0;
        foreach (var layer in BuildLayers())
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
