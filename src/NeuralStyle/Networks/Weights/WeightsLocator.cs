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
        if (string.IsNullOrEmpty(torchHome))
        {
            var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrEmpty(cache))
            {
                cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            }

            torchHome = Path.Combine(cache, "torch");
        }

        return Path.Combine(torchHome, "hub", "checkpoints");
    }

    /// <summary>torchvision's VGG-19 file in the PyTorch cache, or null when it is not there.</summary>
    public static string? Cached()
    {
        var cached = Path.Combine(CheckpointFolder(), TorchvisionFileName);
        return File.Exists(cached) ? cached : null;
    }

    /// <summary>The weights to use: <paramref name="explicitPath"/> when given, else torchvision's file in the PyTorch cache.</summary>
    /// <exception cref="StyleTransferException">No path was given and the PyTorch cache has no VGG-19; the message says where to put it.</exception>
    public static string Resolve(string? explicitPath)
    {
        return explicitPath ?? Cached() ?? throw new StyleTransferException(
                $"no VGG-19 weights: pass --weights FILE (.pth, .safetensors, .caffemodel or .onnx), run `neural-style models download vgg19`, or put torchvision's {TorchvisionFileName} in {CheckpointFolder()}");
    }
}
