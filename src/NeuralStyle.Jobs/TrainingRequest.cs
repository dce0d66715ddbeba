using System.Text.Json;
using System.Text.Json.Serialization;
using NeuralStyle.FastPainters;

namespace NeuralStyle.Jobs;

/// <summary>
/// What a training job asks for, as it is stored: the painter's name, which of the server's photo
/// folders it learns from, and the training settings a client may choose (never a file: the loss
/// network is the built-in one).
/// </summary>
public sealed record TrainingRequest
{
    private static readonly PainterTrainingOptions Defaults = new();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    /// <summary>The painter's name: its file in the painters folder is NAME.onnx.</summary>
    public string Painter { get; init; } = "";

    /// <summary>A folder of the server's photos (<see cref="PhotoFolders"/>); empty: all of them.</summary>
    public string Photos { get; init; } = "";

    /// <summary>The paintings' names, in their order, as the painter's metadata gives them.</summary>
    public IReadOnlyList<string> Paintings { get; init; } = [];

    /// <inheritdoc cref="PainterTrainingOptions.Iterations"/>
    public int Iterations { get; init; } = Defaults.Iterations;

    /// <inheritdoc cref="PainterTrainingOptions.Size"/>
    public int Size { get; init; } = Defaults.Size;

    /// <inheritdoc cref="PainterTrainingOptions.PhotoSide"/>
    public int PhotoSide { get; init; } = Defaults.PhotoSide;

    /// <inheritdoc cref="PainterTrainingOptions.Batch"/>
    public int Batch { get; init; } = Defaults.Batch;

    /// <inheritdoc cref="PainterTrainingOptions.Widths"/>
    public IReadOnlyList<int> Widths { get; init; } = Defaults.Widths;

    /// <inheritdoc cref="PainterTrainingOptions.ResidualBlocks"/>
    public int ResidualBlocks { get; init; } = Defaults.ResidualBlocks;

    /// <inheritdoc cref="PainterTrainingOptions.LearningRate"/>
    public double LearningRate { get; init; } = Defaults.LearningRate;

    /// <inheritdoc cref="PainterTrainingOptions.TemporalWeight"/>
    public double TemporalWeight { get; init; } = Defaults.TemporalWeight;

    /// <inheritdoc cref="PainterTrainingOptions.PreviewEvery"/>
    public int PreviewEvery { get; init; } = Defaults.PreviewEvery;

    /// <inheritdoc cref="PainterTrainingOptions.CheckpointEvery"/>
    public int CheckpointEvery { get; init; } = Defaults.CheckpointEvery;

    /// <inheritdoc cref="PainterTrainingOptions.Seed"/>
    public int Seed { get; init; }

    /// <summary>The training options these stand for.</summary>
    [JsonIgnore]
    public PainterTrainingOptions Options => new()
    {
        Iterations = Iterations, Size = Size, PhotoSide = PhotoSide, Batch = Batch, Widths = Widths, ResidualBlocks = ResidualBlocks,
        LearningRate = LearningRate, TemporalWeight = TemporalWeight, PreviewEvery = PreviewEvery, CheckpointEvery = CheckpointEvery, Seed = Seed,
    };

    /// <summary>Reads a request; a property it does not know is refused.</summary>
    /// <exception cref="StyleTransferException">Not a request's JSON.</exception>
    public static TrainingRequest FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainingRequest>(json, Json) ?? throw new StyleTransferException("settings: null is not a training's settings");
        }
        catch (JsonException e)
        {
            throw new StyleTransferException($"settings: not a training's settings ({e.Message.Split(" Path:")[0].TrimEnd('.')})", e);
        }
    }

    /// <summary>The request as it is stored.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
