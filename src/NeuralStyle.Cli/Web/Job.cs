using System.Text.Json.Serialization;

namespace NeuralStyle.Cli.Web;

/// <summary>Where a job stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobStatus>))]
internal enum JobStatus
{
    Queued,
    Running,
    Done,
    Cancelled,
    Failed,

    /// <summary>The server stopped while it ran; its last picture is kept.</summary>
    Interrupted,
}

/// <summary>
/// A job as it is stored (<c>job.json</c> in its folder) and as the API shows it: its settings, its
/// paintings, and how far it got.
/// </summary>
internal sealed record Job
{
    public required string Id { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required JobStatus Status { get; init; }

    /// <summary>The options as <see cref="StyleTransferSettings"/> writes them.</summary>
    public required string Settings { get; init; }

    public required int Paintings { get; init; }

    /// <summary>Masks, one per painting, or 0 (<c>mask-N.png</c>).</summary>
    public int Masks { get; init; }

    /// <summary>Whether a coarse painting was given (<c>coarse.png</c>).</summary>
    public bool Coarse { get; init; }

    public int Iteration { get; init; }

    public int Iterations { get; init; }

    public double Seconds { get; init; }

    public string? Error { get; init; }

    /// <summary>Whether an intermediate picture exists (<c>latest.png</c>).</summary>
    public bool HasPicture { get; init; }

    /// <summary>The size of the result, once there is one.</summary>
    public string? Size { get; init; }

    /// <summary>Who runs or ran it: a worker's name (<c>HOST:PID</c> unless named) with a queue; null when the server runs it itself.</summary>
    public string? Worker { get; init; }

    [JsonIgnore]
    public bool Finished => Status is JobStatus.Done or JobStatus.Cancelled or JobStatus.Failed or JobStatus.Interrupted;
}
