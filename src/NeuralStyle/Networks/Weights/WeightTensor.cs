namespace NeuralStyle.Networks.Weights;

/// <summary>One tensor read from a weight file, as float32 values in row-major order.</summary>
/// <param name="Shape">The tensor's dimensions.</param>
/// <param name="Values">The values, row-major; <c>Values.Length</c> is the product of <paramref name="Shape"/>.</param>
public sealed record WeightTensor(long[] Shape, float[] Values)
{
    /// <summary>The shape written as PyTorch prints it, e.g. <c>[64, 3, 3, 3]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
