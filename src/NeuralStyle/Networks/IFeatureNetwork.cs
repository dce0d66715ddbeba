using static TorchSharp.torch;

namespace NeuralStyle.Networks;

/// <summary>A network that answers one question: its activations at named layers for an image.</summary>
public interface IFeatureNetwork : IDisposable
{
    /// <summary>
    /// The product of the network's strides: a tile whose corner lies on a multiple of it sees every
    /// layer's grid where the whole picture does (<see cref="Planning.TileGrid"/>).
    /// </summary>
    int TileAlignment { get; }

    /// <summary>
    /// Pixels of context a tile needs on each side for <paramref name="layers"/> (canonical names): the
    /// radius of the deepest one's receptive field, rounded up to a multiple of <see cref="TileAlignment"/>,
    /// so that the tile's inner responses are the whole picture's.
    /// </summary>
    int TileMargin(IReadOnlyCollection<string> layers);

    /// <summary>The layers this network can compute, shallow to deep, by canonical name.</summary>
    IReadOnlyList<string> Layers { get; }

    /// <summary>The canonical form of a layer name (e.g. VGG-19's <c>relu4_2</c> → <c>conv4_2</c>), or null when the network has no such layer.</summary>
    string? Canonical(string layer);

    /// <summary>
    /// Why a layer the network's architecture has (a canonical name) cannot be computed, e.g. because
    /// its weight file stops at a shallower layer (settings named as <c>{Property}</c>, see <see cref="StyleTransferException"/>); null when it can.
    /// </summary>
    string? Unavailable(string canonicalLayer);

    /// <summary>
    /// The activations at <paramref name="layers"/> (canonical names) for an RGB 0–255 image
    /// [1, 3, H, W], computing only as deep as the deepest layer asked for; differentiable with respect to the image.
    /// They are in the type the network computes in (bfloat16 when it was asked to), which may be narrower than the image's.
    /// </summary>
    Dictionary<string, Tensor> Activations(Tensor rgb255, IReadOnlyCollection<string> layers);
}
