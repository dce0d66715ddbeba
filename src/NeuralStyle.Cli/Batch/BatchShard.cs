using System.Globalization;

namespace NeuralStyle.Cli.Batch;

/// <summary>
/// The part of a batch one task paints: every <see cref="Count"/>-th picture from the <see cref="Index"/>-th,
/// in the batch's order, so that tasks 0 … N−1 together paint each picture exactly once.
/// </summary>
/// <param name="Index">This task's number, from 0.</param>
/// <param name="Count">How many tasks share the batch.</param>
internal sealed record BatchShard(int Index, int Count)
{
    /// <summary>The whole batch.</summary>
    public static BatchShard All { get; } = new(0, 1);

    /// <summary>
    /// <c>--shard I/N</c> when given; else a Slurm job array's task (<c>SLURM_ARRAY_TASK_ID</c> counted
    /// from <c>SLURM_ARRAY_TASK_MIN</c>, of <c>SLURM_ARRAY_TASK_COUNT</c>); else a Kubernetes Indexed
    /// Job's <c>JOB_COMPLETION_INDEX</c> with <c>--shards N</c>; else the whole batch.
    /// </summary>
    /// <exception cref="StyleTransferException">A shard that is malformed or out of range; the message names where it came from.</exception>
    public static BatchShard Choose(string? shard, int? shards, Func<string, string?> environment)
    {
        if (shard is not null)
        {
            var parts = shard.Split('/');
            return parts.Length == 2 && Number(parts[0]) is { } i && Number(parts[1]) is { } n
                ? Checked(i, n, $"--shard {shard}")
                : throw new StyleTransferException($"--shard {shard}: give I/N, e.g. 0/4 (task I of N, counted from 0)");
        }

        if (environment("SLURM_ARRAY_TASK_ID") is { } id)
        {
            var count = environment("SLURM_ARRAY_TASK_COUNT");
            var first = Number(environment("SLURM_ARRAY_TASK_MIN") ?? "0");
            return Number(id) is { } task && Number(count ?? "") is { } n && first is { } min
                ? Checked(task - min, n, $"SLURM_ARRAY_TASK_ID={id} (of SLURM_ARRAY_TASK_COUNT={count}, from SLURM_ARRAY_TASK_MIN={min})")
                : throw new StyleTransferException($"SLURM_ARRAY_TASK_ID={id} needs SLURM_ARRAY_TASK_COUNT, both whole numbers");
        }

        if (environment("JOB_COMPLETION_INDEX") is { } index)
        {
            return Number(index) is { } i && shards is { } n
                ? Checked(i, n, $"JOB_COMPLETION_INDEX={index} with --shards {n}")
                : throw new StyleTransferException($"JOB_COMPLETION_INDEX={index} needs --shards N (the Indexed Job's completions), and a whole number");
        }

        return shards is null ? All : throw new StyleTransferException("--shards N is for a Kubernetes Indexed Job, whose JOB_COMPLETION_INDEX is not set here; use --shard I/N");
    }

    /// <summary>This task's items of <paramref name="items"/>.</summary>
    public IEnumerable<T> Of<T>(IEnumerable<T> items) => items.Where((_, i) => i % Count == Index);

    private static BatchShard Checked(int index, int count, string source) => count >= 1 && index >= 0 && index < count
        ? new BatchShard(index, count)
        : throw new StyleTransferException($"{source}: the task must be from 0 to N−1 of N ≥ 1 tasks");

    private static int? Number(string text) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
}
