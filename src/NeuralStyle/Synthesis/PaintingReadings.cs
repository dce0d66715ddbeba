using static TorchSharp.torch;

namespace NeuralStyle.Synthesis;

/// <summary>
/// The paintings as the network read them at one size: each painting's Gram matrix and number of
/// positions at each style layer it supplies, as given and reduced (<see cref="ReducedStyle"/>). A
/// painter keeps one per painting size, so that a batch or a video reads each painting once per size
/// however many photos it paints.
/// </summary>
/// <remarks>Not for sharing between threads: the objective that reads a painting first stores it here.</remarks>
internal sealed class PaintingReadings : IDisposable
{
    private readonly Dictionary<(int Painting, int Reduction), IReadOnlyDictionary<string, (Tensor Gram, double Positions)>> byPainting = [];

    /// <summary>How many readings were made into this (each painting once at each reduction).</summary>
    public int Reads { get; private set; }

    /// <summary>
    /// The painting at <paramref name="index"/> as read reduced <paramref name="reduction"/> times (1: as
    /// given), or <paramref name="read"/>'s reading, kept from now on.
    /// </summary>
    public IReadOnlyDictionary<string, (Tensor Gram, double Positions)> For(int index, int reduction, Func<IReadOnlyDictionary<string, (Tensor Gram, double Positions)>> read)
    {
        if (!byPainting.TryGetValue((index, reduction), out var reading))
        {
            reading = read().ToDictionary(r => r.Key, r => (r.Value.Gram.DetachFromDisposeScope(), r.Value.Positions));
            byPainting[(index, reduction)] = reading;
            Reads++;
        }

        return reading;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var gram in byPainting.Values.SelectMany(r => r.Values))
        {
            gram.Gram.Dispose();
        }

        byPainting.Clear();
    }
}
