namespace NeuralStyle.Objective;

/// <summary>
/// The style terms taken a second time, on the picture and the paintings reduced by
/// <paramref name="Factor"/>: the same layers then answer to structures that many times larger, so the
/// picture is pulled toward the painting's large forms as well as its strokes.
/// </summary>
/// <param name="Factor">How many times smaller the reduced copies are on each side (area averaging).</param>
/// <param name="Share">What each style layer's weight is multiplied by in the reduced copies' terms.</param>
public sealed record ReducedStyle(int Factor, double Share);
