namespace NeuralStyle.Cli.Web;

/// <summary>How <c>neural-style serve</c> runs: where it listens, where it keeps jobs, and its limits.</summary>
/// <param name="Urls">Addresses to listen on (semicolon-separated, as ASP.NET Core's --urls).</param>
/// <param name="DataFolder">Where jobs, their pictures and results are kept.</param>
/// <param name="Token">The access token every request must carry; null when listening on the loopback only.</param>
/// <param name="MaxUploadBytes">The largest request (all its pictures together).</param>
/// <param name="MaxPixels">The most pixels a picture may have.</param>
internal sealed record ServeSettings(string Urls, string DataFolder, string? Token, long MaxUploadBytes = 64L << 20, long MaxPixels = 40_000_000)
{
    /// <summary>The VGG-19 weight file (<c>--weights</c>); null: the PyTorch cache's, if any. Clients never name one.</summary>
    public string? Weights { get; init; }

    /// <summary>The most iterations a job may ask for (<c>--max-iterations</c>): a job holds its runner until it ends.</summary>
    public int MaxIterations { get; init; } = 10_000;

    /// <summary>The free space a job needs in the data folder when it is posted, besides its upload: its pictures as it paints, and its result.</summary>
    public long MinFreeBytes { get; init; } = 256L << 20;

    /// <summary>The most memory one job may take, in bytes (<c>--max-memory</c>); null: what the machine has free.</summary>
    public long? MaxMemory { get; init; }

    /// <summary>The most jobs one person may have waiting or running at once (<c>--max-waiting</c>); without users, everyone together.</summary>
    public int MaxWaiting { get; init; } = 100;

    /// <summary>How long a finished job is kept after it was posted (<c>--keep-days</c>); null: for ever.</summary>
    public TimeSpan? Keep { get; init; } = TimeSpan.FromDays(30);

    /// <summary>The folder of trained painters (<c>.onnx</c>) the page and <c>/api/painters</c> offer (<c>--painters</c>); null: DATA/painters.</summary>
    public string? Painters { get; init; }

    /// <summary>Where the painters are: <see cref="Painters"/>, or DATA/painters.</summary>
    public string PaintersFolder => Painters ?? Path.Combine(DataFolder, "painters");

    /// <summary>The default data folder: the user's local application data.</summary>
    public static string DefaultDataFolder => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "neural-style");

    /// <summary>The Redis queue (<c>redis://HOST:PORT</c>) that workers take the jobs from; null: the server runs them itself.</summary>
    public string? Queue { get; init; }

    /// <summary>True when every address is a loopback one (127.0.0.1, [::1], localhost).</summary>
    public static bool IsLoopbackOnly(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .All(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.IsLoopback || uri.Host == "localhost"));
}
