namespace NeuralStyle.Networks.Weights;

/// <summary>Finds VGG-19 weights where PyTorch users already have them.</summary>
public static class WeightsLocator
{
    /// <summary>The file name of torchvision's ImageNet VGG-19 weights.</summary>
    public const string TorchvisionFileName = "vgg19-dcbb9e9d.pth";

    /// <summary>The PyTorch hub checkpoint folder: <c>$TORCH_HOME/hub/checkpoints</c>, else <c>$XDG_CACHE_HOME/torch/hub/checkpoints</c>, else <c>~/.cache/torch/hub/checkpoints</c>.</summary>
    public static string CheckpointFolder()
    {
        var torchHome = Environment.GetEnvironmentVariable("TORCH_HOME");
        return Path.Combine(string.IsNullOrEmpty(torchHome) ? Path.Combine(UserCacheFolder(), "torch") : torchHome, "hub", "checkpoints");
    }

    /// <summary>The user's cache folder, as PyTorch and the XDG convention find it: <c>$XDG_CACHE_HOME</c>, else <c>~/.cache</c>.</summary>
    public static string UserCacheFolder()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        return string.IsNullOrEmpty(cache) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache") : cache;
    }

    /// <summary>The file name of torchvision's ImageNet VGG-16 weights.</summary>
    public const string TorchvisionVgg16FileName = "vgg16-397923af.pth";

    /// <summary>torchvision's file of <paramref name="network"/> (VGG-19 unless VGG-16 is asked for) in the PyTorch cache, or null when it is not there.</summary>
    public static string? Cached(NetworkKind network = NetworkKind.Vgg19)
    {
        var cached = Path.Combine(CheckpointFolder(), FileNameOf(network));
        return File.Exists(cached) ? cached : null;
    }

    /// <summary>The weights to use: <paramref name="explicitPath"/> when given, else torchvision's file of <paramref name="network"/> in the PyTorch cache.</summary>
    /// <exception cref="StyleTransferException">No path was given and the PyTorch cache has none; the message says where to put it.</exception>
    public static string Resolve(string? explicitPath, NetworkKind network = NetworkKind.Vgg19)
    {
        var name = network.Name();
        return explicitPath ?? Cached(network) ?? throw new StyleTransferException(
                $"no {VggLayout.Of(network).Title} weights: pass {{WeightsPath}} FILE (.pth, .safetensors, .caffemodel or .onnx), run `neural-style models download {name}`, or put torchvision's {FileNameOf(network)} in {CheckpointFolder()}");
    }

    private static string FileNameOf(NetworkKind network) => network == NetworkKind.Vgg16 ? TorchvisionVgg16FileName : TorchvisionFileName;
}
