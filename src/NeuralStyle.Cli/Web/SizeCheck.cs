namespace NeuralStyle.Cli.Web;

/// <summary>
/// Refuses a job that cannot fit in memory when it is posted, with the command line's message, instead
/// of when its turn comes. It plans the job on a network of its own (kept loaded between posts), never
/// on the one a job is painting with; with a queue, against this machine's memory.
/// </summary>
internal sealed class SizeCheck(ServeSettings settings) : IDisposable
{
    private readonly Lock gate = new();
    private readonly NetworkShelf networks = new(settings.Weights);

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

    public void Dispose() => networks.Dispose();
}
