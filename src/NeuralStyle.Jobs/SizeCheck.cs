namespace NeuralStyle.Jobs;

/// <summary>
/// Refuses a job that cannot fit in memory when it is posted, with the command line's message, instead
/// of when its turn comes. It plans the job on a network of its own (kept loaded between posts), never
/// on the one a job is painting with; with a queue, against this machine's memory. <paramref name="weights"/>:
/// this process's VGG-19 file, as <see cref="NetworkShelf"/> takes it.
/// </summary>
public sealed class SizeCheck(string? weights) : IDisposable
{
    private readonly Lock gate = new();
    private readonly NetworkShelf networks = new(weights);

    /// <summary>
    /// Checks that a picture of <paramref name="photo"/>'s size fits, and returns the options to store:
    /// the network resolved as this server's weights resolve it, and no weights file (whoever paints
    /// the job uses its own).
    /// </summary>
    /// <exception cref="StyleTransferException">The size does not fit, or the network cannot be loaded.</exception>
    public StyleTransferOptions Check(StyleSources styles, StyleTransferOptions options, (int Width, int Height) photo)
    {
        lock (gate)
        {
            var own = networks.WithOwnWeights(options);
            using var painter = networks.PainterFor(styles, own);
            painter.CheckFits(photo.Width, photo.Height);
            return own with { WeightsPath = null };
        }
    }

    /// <inheritdoc/>
    public void Dispose() => networks.Dispose();
}
