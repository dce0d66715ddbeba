using static TorchSharp.torch;

namespace NeuralStyle.Objective.Terms;

/// <summary>
/// What a term needs of a tiled evaluation, which runs the network over the tiles twice. The first
/// pass hands it each tile's inner responses at the layers it gathers, so that it can sum what depends
/// on the whole picture (Gram matrices, distributions); the second runs each tile again and asks it
/// for the gradient at the tile's inner responses.
/// </summary>
internal interface ITiledTerm
{
    /// <summary>The layers the first pass must hand it; empty when its gradient at a tile needs that tile alone.</summary>
    IReadOnlyCollection<string> Gathered { get; }

    /// <summary>The first pass: a tile's inner responses at a gathered layer, the bottom-right tile first.</summary>
    void Gather(string layer, Tensor inner, TilePlace place);

    /// <summary>After the first pass: the value that the gathered sums give (zero when it has none).</summary>
    Tensor Conclude();

    /// <summary>
    /// The second pass: adds the gradient at a tile's inner responses to <paramref name="innerGradient"/>;
    /// returns the tile's share of the value, or null when the value came from <see cref="Conclude"/>.
    /// </summary>
    Tensor? AddGradient(string layer, Tensor inner, TilePlace place, Tensor innerGradient);

    /// <summary>
    /// With softmax smoothing: Σ g ⊙ s over the whole picture's positions for each channel, g its
    /// gradient at the smoothed responses s (the softmax's gradient subtracts its mean); null: none.
    /// </summary>
    Tensor? SmoothingSum(string layer);
}
