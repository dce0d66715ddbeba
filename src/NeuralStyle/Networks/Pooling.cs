namespace NeuralStyle.Networks;

/// <summary>The pooling between VGG-19's blocks.</summary>
public enum Pooling
{
    /// <summary>Max pooling, as VGG-19 was trained.</summary>
    Max,

    /// <summary>Average pooling, which the paper found gives slightly more appealing results.</summary>
    Avg,
}
