using static TorchSharp.torch;

namespace NeuralStyle.Objective;

/// <summary>What a style term keeps of a painting at one layer: a statistic (its Gram matrix, its responses) and its number of positions.</summary>
/// <param name="Statistic">The statistic.</param>
/// <param name="Positions">The layer's positions in the painting.</param>
internal sealed record PaintingReading(Tensor Statistic, double Positions);

/// <summary>
/// The paintings as the network read them at one size: what each style term keeps of each painting
/// at each style layer it supplies, as given and reduced (<see cref="ReducedStyle"/>). A painter keeps
/// one per painting size, so that a batch or a video reads each painting once per size however many
/// photos it paints.
/// </summary>
/// <remarks>Not for sharing between threads: the objective that reads a painting first stores it here.</remarks>
internal sealed class PaintingReadings : IDisposable
{
    private readonly Dictionary<(string Statistic, int Painting, int Reduction), IReadOnlyDictionary<string, PaintingReading>> byPainting = [];

    /// <summary>How many readings were made into this (each painting once for each statistic and reduction).</summary>
    public int Reads { get; private set; }

    /// <summary>
    /// The painting at <paramref name="index"/> as read for <paramref name="statistic"/>, reduced
    /// <paramref name="reduction"/> times (1: as given), or <paramref name="read"/>'s reading, kept from now on.
    /// </summary>
    public IReadOnlyDictionary<string, PaintingReading> For(string statistic, int index, int reduction, Func<IReadOnlyDictionary<string, PaintingReading>> read)
    {
        if (!byPainting.TryGetValue((statistic, index, reduction), out var reading))
        {
            reading = read().ToDictionary(r => r.Key, r => r.Value with { Statistic = r.Value.Statistic.DetachFromDisposeScope() });
            byPainting[(statistic, index, reduction)] = reading;
            Reads++;
        }

        return reading;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var reading in byPainting.Values.SelectMany(r => r.Values))
        {
            reading.Statistic.Dispose();
        }

        byPainting.Clear();
    }
}
