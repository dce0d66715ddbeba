using NeuralStyle.Jobs;

namespace NeuralStyle.Tests.Jobs;

public sealed class JobEventsTests
{
    [Fact]
    public async Task GivenAJobThatReportsFarMoreThanIsKept_WhenSomeoneListensLate_ThenTheHistoryIsBoundedAndKeepsEveryStatusAndTheRunsFirstAndLastProgress()
    {
        var events = new JobEvents();
        events.Publish("job", """{"type":"status","job":{"status":"Running"}}""");
        for (var i = 1; i <= 20_000; i++)
        {
            events.Publish("job", $$"""{"type":"progress","iteration":{{i}}}""");
            if (i % 5_000 == 0)
            {
                events.Publish("job", $$"""{"type":"picture","iteration":{{i}}}""");
            }
        }

        using var late = events.Subscribe("job");
        events.Complete("job");
        var seen = new List<string>();
        await foreach (var line in late.Reader.ReadAllAsync())
        {
            seen.Add(line);
        }

        Assert.InRange(seen.Count, JobEvents.MostKept / 2, JobEvents.MostKept);
        Assert.StartsWith("""{"type":"status""", seen[0], StringComparison.Ordinal);
        Assert.Equal(4, seen.Count(l => l.Contains("picture", StringComparison.Ordinal)));
        Assert.Equal("""{"type":"progress","iteration":1}""", seen[1]);
        Assert.Equal("""{"type":"progress","iteration":20000}""", seen.Last(l => l.Contains("progress", StringComparison.Ordinal)));
    }
}
