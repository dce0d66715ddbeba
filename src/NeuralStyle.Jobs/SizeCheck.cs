namespace NeuralStyle.Jobs;

/// <summary>
/// Refuses a job that cannot fit in memory when it is posted, with the command line's message, instead
/// of when its turn comes. It plans the job on a network of its own (kept loaded between posts), never
/// on the one a job is painting with; with a queue, against this machine's memory. <paramref name="weights"/>:
/// this process's VGG-19 file, as <see cref="NetworkShelf"/> takes it; <paramref name="maxMemory"/>: the
/// most memory one job may take (<see cref="StyleTransferOptions.MaxMemory"/>), null for no limit.
/// </summary>
public sealed class SizeCheck(string? weights, long? maxMemory = null) : IDisposable
{
    private readonly Lock gate = new();
    private readonly NetworkShelf networks = new(weights);

    /// <summary>
    /// Checks that a picture of <paramref name="photo"/>'s size fits, and returns the options to store:
    /// the network resolved as this server's weights resolve it, no weights file (whoever paints
    /// the job uses its own), and this server's memory limit where the job asks for more or none.
    /// </summary>
    /// <exception cref="StyleTransferException">The size does not fit, or the network cannot be loaded.</exception>
    public StyleTransferOptions Check(StyleSources styles, StyleTransferOptions options, (int Width, int Height) photo)
    {
        lock (gate)
        {
            var own = networks.WithOwnWeights(options) is var resolved && maxMemory is { } limit && !(resolved.MaxMemory <= limit)
                ? resolved with { MaxMemory = limit }
                : resolved;
            using var painter = networks.PainterFor(styles, own);
            painter.CheckFits(photo.Width, photo.Height);
            return own with { WeightsPath = null };
        }
    }

    /// <inheritdoc/>
    public void Dispose() => networks.Dispose();
}
