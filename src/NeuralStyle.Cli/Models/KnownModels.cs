using NeuralStyle.Networks.Weights;

namespace NeuralStyle.Cli.Models;

/// <summary>The networks <c>models download</c> fetches: where torchvision publishes each, and the file name it is kept under.</summary>
internal static class KnownModels
{
    /// <summary>A published weight file: its name, its address, and the first digits of its SHA-256, which torchvision puts in the name.</summary>
    public sealed record Model(string Name, string FileName, Uri Address, string Sha256Prefix);

    public static IReadOnlyList<Model> All { get; } =
    [
        new("vgg19", WeightsLocator.TorchvisionFileName, new Uri($"https://download.pytorch.org/models/{WeightsLocator.TorchvisionFileName}"), "dcbb9e9d"),
        new("vgg16", WeightsLocator.TorchvisionVgg16FileName, new Uri($"https://download.pytorch.org/models/{WeightsLocator.TorchvisionVgg16FileName}"), "397923af"),
    ];

    /// <exception cref="StyleTransferException">No such model is known.</exception>
    public static Model Named(string name) => All.FirstOrDefault(m => m.Name == name.ToLowerInvariant())
        ?? throw new StyleTransferException($"models download {name}: no such network (known: {string.Join(", ", All.Select(m => m.Name))}; and opencv, for video's optical flow)");
}
