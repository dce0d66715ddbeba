using System.Text.Json.Serialization;

namespace NeuralStyle.Jobs;

/// <summary>Where a job stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobStatus>))]
public enum JobStatus
{
    /// <summary>Waiting for its turn.</summary>
    Queued,
    /// <summary>Being painted.</summary>
    Running,
    /// <summary>Finished; its result is stored.</summary>
    Done,
    /// <summary>Stopped by its client; its last picture is kept.</summary>
    Cancelled,
    /// <summary>Ended by an error, which its record gives.</summary>
    Failed,

    /// <summary>The server stopped while it ran; its last picture is kept.</summary>
    Interrupted,
}

/// <summary>What a job makes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobKind>))]
public enum JobKind
{
    /// <summary>A picture: the optimisation, from a photo and paintings.</summary>
    Painting,

    /// <summary>A painter: a network trained on the server's photos with paintings (<see cref="TrainingRequest"/>).</summary>
    Training,
}

/// <summary>
/// A job as it is stored (<c>job.json</c> in its folder) and as the API shows it: its settings, its
/// paintings, and how far it got.
/// </summary>
public sealed record Job
{
    /// <summary>The job's id, which names its folder.</summary>
    public required string Id { get; init; }

    /// <summary>The name of the person who posted it, on a server with users; null on one without, where everyone sees every job.</summary>
    public string? Owner { get; init; }

    /// <summary>When it was posted.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>Where it stands.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>What it makes; a record from before training jobs is a painting's.</summary>
    public JobKind Kind { get; init; }

    /// <summary>The options as <see cref="StyleTransferSettings"/> writes them, or a training's <see cref="TrainingRequest"/>.</summary>
    public required string Settings { get; init; }

    /// <summary>How many paintings it was given (<c>painting-N.png</c>).</summary>
    public required int Paintings { get; init; }

    /// <summary>Masks, one per painting, or 0 (<c>mask-N.png</c>).</summary>
    public int Masks { get; init; }

    /// <summary>Whether a coarse painting was given (<c>coarse.png</c>).</summary>
    public bool Coarse { get; init; }

    /// <summary>The iterations done so far.</summary>
    public int Iteration { get; init; }

    /// <summary>The iterations in all, across every scale.</summary>
    public int Iterations { get; init; }

    /// <summary>Seconds painted so far.</summary>
    public double Seconds { get; init; }

    /// <summary>Why it failed or stopped, as its client reads it (<see cref="JobWords"/>).</summary>
    public string? Error { get; init; }

    /// <summary>Whether an intermediate picture exists (<c>latest.png</c>).</summary>
    public bool HasPicture { get; init; }

    /// <summary>The size of the result, once there is one.</summary>
    public string? Size { get; init; }

    /// <summary>Who runs or ran it: a worker's name (<c>HOST:PID</c> unless named) with a queue; null when the server runs it itself.</summary>
    public string? Worker { get; init; }

    /// <summary>For a training taken over from a worker that died, the step of the checkpoint it went on from.</summary>
    public int? ResumedFrom { get; init; }

    /// <summary>Whether it has ended, one way or another.</summary>
    [JsonIgnore]
    public bool Finished => Status is JobStatus.Done or JobStatus.Cancelled or JobStatus.Failed or JobStatus.Interrupted;
}
