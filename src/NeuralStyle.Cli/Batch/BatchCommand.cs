using System.CommandLine;

namespace NeuralStyle.Cli.Batch;

/// <summary><c>neural-style batch INPUT PAINTING... -o OUTDIR [options]</c>: many photos on one loaded network.</summary>
internal static class BatchCommand
{
    public static Command Create()
    {
        var binder = new StyleOptionsBinder();
        var input = new Argument<string>("input") { Description = "A folder of photos (every picture in it, sorted by name) or a JSON Lines manifest (one job a line: photo, paintings, output, settings)." };
        var paintings = new Argument<string[]>("painting") { Description = "The paintings: for every photo of a folder, and for a manifest line that names none.", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string>("--output", "-o") { Description = "The folder the results go to (made when missing), each named after its photo (.png); a result already there is skipped.", Required = true };
        var shard = new Option<string?>("--shard") { Description = "I/N: paint every N-th picture from the I-th (counted from 0), in the batch's order [default: from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX with --shards]." };
        var shards = new Option<int?>("--shards") { Description = "N: the number of tasks of a Kubernetes Indexed Job, whose JOB_COMPLETION_INDEX is this task's." };
        var settings = new Option<string?>("--settings") { Description = "A settings file (JSON) for every picture; a manifest line's settings take its place, and the options given here theirs." };
        var painter = new Option<string?>("--painter") { Description = "A trained painter (.onnx) in place of the paintings: every photo in one pass each." };
        var engine = new Option<string>("--engine") { Description = "What runs --painter: onnxruntime or torchsharp.", DefaultValueFactory = _ => "onnxruntime" };
        var command = new Command("batch", "Paints a folder (or a manifest) of photos with one loaded network; a rerun resumes.") { input, paintings, output, shard, shards, settings, painter, engine };
        foreach (var option in binder.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(result => StyleCommand.Guarded(() =>
        {
            var fileSettings = StyleCommand.ReadSettings(result.GetValue(settings));
            var chosen = BatchShard.Choose(result.GetValue(shard), result.GetValue(shards), Environment.GetEnvironmentVariable);
            if (result.GetValue(painter) is { } painterFile)
            {
                return (result.GetValue(paintings) ?? []).Length == 0
                    ? BatchPainterRun.Run(result.GetValue(input)!, painterFile, StyleCommand.Engine(result.GetValue(engine)!), result.GetValue(output)!, chosen, binder.Bind(result, fileSettings))
                    : throw new StyleTransferException("batch: --painter paints without paintings: give the photos and the painter");
            }

            var items = BatchList.Read(result.GetValue(input)!, result.GetValue(paintings) ?? [], result.GetValue(output)!, line => Checked(binder.Bind(result, line ?? fileSettings)));
            return BatchRun.Run(items, chosen);
        }));
        return command;
    }

    // Every picture's options are checked before the first is painted; a seed is drawn once for the batch.
    private static StyleTransferOptions Checked(StyleTransferOptions options)
    {
        StyleTransfer.Validate(options);
        return options with { Seed = options.Seed ?? BatchSeed.Value };
    }

    private static readonly Lazy<int> BatchSeed = new(() => Random.Shared.Next());
}
