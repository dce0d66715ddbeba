using static TorchSharp.torch;

namespace NeuralStyle.Objective.Terms;

/// <summary>What one evaluation tells its terms.</summary>
/// <param name="Shift">
/// Rows and columns the picture (and the photo, for the content target) is rolled by before the
/// network sees it: random shifts at each evaluation keep a strided network from imprinting its grid.
/// </param>
/// <param name="Evaluation">Which evaluation of a run this is (from 0): terms that draw directions draw them from it.</param>
internal sealed record EvaluationContext((int Rows, int Columns) Shift, int Evaluation)
{
    /// <summary>A picture (or mask) rolled by the shift.</summary>
    public Tensor Shifted(Tensor picture) => Shift == default ? picture : picture.roll([Shift.Rows, Shift.Columns], [2, 3]);
}

/// <summary>The whole pictures' responses at the objective's layers, and the evaluation they belong to.</summary>
/// <param name="Responses">By layer, [N, C, H, W], smoothed when the objective smooths.</param>
/// <param name="Context">The evaluation.</param>
internal sealed record PictureResponses(IReadOnlyDictionary<string, Tensor> Responses, EvaluationContext Context)
{
    /// <summary>One layer's responses.</summary>
    public Tensor this[string layer] => Responses[layer];
}

/// <summary>Where a tile's inner responses lie at one layer: in the tile's own responses and in the whole picture's.</summary>
/// <param name="TileRow">Their first row in the tile's responses.</param>
/// <param name="TileColumn">Their first column in the tile's responses.</param>
/// <param name="Top">Their first row in the whole picture's.</param>
/// <param name="Left">Their first column in the whole picture's.</param>
/// <param name="Rows">How many rows.</param>
/// <param name="Columns">How many columns.</param>
internal sealed record TilePlace(int TileRow, int TileColumn, int Top, int Left, int Rows, int Columns)
{
    /// <summary>The inner part of the tile's own responses (or of a gradient shaped as them).</summary>
    public Tensor Inner(Tensor tileResponses) => tileResponses[.., .., TileRow..(TileRow + Rows), TileColumn..(TileColumn + Columns)];

    /// <summary>The part of something at the layer's resolution for the whole picture (a mask, a target, a gradient) that lies here.</summary>
    public Tensor Of(Tensor atLayer) => atLayer[.., .., Top..(Top + Rows), Left..(Left + Columns)];

    /// <summary>Positions it holds.</summary>
    public double Positions => (double)Rows * Columns;
}
