using NeuralStyle.Cli.Batch;

namespace NeuralStyle.Tests.Cli.Batch;

public sealed class BatchShardTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Theory]
    [InlineData(0, 2, new[] { 0, 2, 4 })]
    [InlineData(1, 2, new[] { 1, 3 })]
    [InlineData(2, 3, new[] { 2 })]
    public void GivenAShard_WhenItTakesItsPart_ThenItHasEveryNthFromTheIth(int index, int count, int[] expected)
    {
        Assert.Equal(expected, new BatchShard(index, count).Of(Enumerable.Range(0, 5)));
    }

    [Fact]
    public void GivenASlurmArrayTask_WhenNoShardIsGiven_ThenItIsTheTaskCountedFromTheArraysFirst()
    {
        Assert.Equal(new BatchShard(1, 2), BatchShard.Choose(null, null, Environment(("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_COUNT", "2"))));
        Assert.Equal(new BatchShard(2, 3), BatchShard.Choose(null, null, Environment(("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_COUNT", "3"), ("SLURM_ARRAY_TASK_MIN", "1"))));
    }

    [Fact]
    public void GivenAnIndexedJob_WhenShardsAreGiven_ThenTheCompletionIndexIsTheTask()
    {
        Assert.Equal(new BatchShard(3, 4), BatchShard.Choose(null, 4, Environment(("JOB_COMPLETION_INDEX", "3"))));
    }

    [Fact]
    public void GivenAShardOptionAndASlurmTask_WhenChosen_ThenTheOptionWins()
    {
        Assert.Equal(new BatchShard(0, 3), BatchShard.Choose("0/3", null, Environment(("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_COUNT", "2"))));
        Assert.Equal(BatchShard.All, BatchShard.Choose(null, null, Environment()));
    }

    [Theory]
    [InlineData("2/2", null, null)]
    [InlineData("1", null, null)]
    [InlineData("a/b", null, null)]
    [InlineData(null, 2, null)]
    [InlineData(null, null, "5")]
    public void GivenAnImpossibleShard_WhenChosen_ThenOneErrorSaysWhere(string? shard, int? shards, string? completionIndex)
    {
        var environment = completionIndex is null ? Environment() : Environment(("JOB_COMPLETION_INDEX", completionIndex));

        var error = Assert.Throws<StyleTransferException>(() => BatchShard.Choose(shard, shards, environment));

        Assert.Matches("--shard|--shards|JOB_COMPLETION_INDEX", error.Message);
    }
}
