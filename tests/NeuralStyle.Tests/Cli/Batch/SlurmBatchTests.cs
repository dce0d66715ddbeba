namespace NeuralStyle.Tests.Cli.Batch;

/// <summary>
/// The batch command under a real Slurm: Debian's slurmctld, slurmd and munged on this machine
/// (tests/slurm/start-local-slurm.sh; tests/run.sh installs slurm-wlm and munge), a job array of three
/// tasks over a manifest, one task cancelled with scancel mid-run, and the array submitted again.
/// </summary>
public sealed class SlurmBatchTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    [Fact]
    public void GivenAJobArrayOverAManifest_WhenOneTaskIsCancelledAndTheArraySubmittedAgain_ThenEveryPictureIsPaintedOnceAndNoneIsRepainted()
    {
        Assert.True(File.Exists("/usr/sbin/slurmctld") && File.Exists("/usr/sbin/munged"), "the Slurm test needs Debian's slurm-wlm and munge (apt-get install slurm-wlm munge; tests/run.sh installs them)");
        using var folder = new TempFolder();
        var scripts = Path.Combine(SharedData.RepositoryRoot, "tests", "slurm");
        var conf = Shell(Path.Combine(scripts, "start-local-slurm.sh"), folder.File("slurm")).Single();
        try
        {
            var (manifest, output) = (Manifest(folder, 6), folder.File("out"));
            var job = folder.File("job.sh");
            File.WriteAllText(job, $"#!/bin/bash\nexec dotnet {Path.Combine(AppContext.BaseDirectory, "neural-style.dll")} batch {manifest} {SharedData.Image("starry_night.jpg")} -o {output} --size 32 --iterations 150 --network resnet18 --seed 1\n");
            var environment = new Dictionary<string, string?> { ["SLURM_CONF"] = conf };

            var first = Submit(job, folder.File("first-%a.log"), environment);
            WaitFor(() => File.Exists(folder.File("first-1.log")) && File.ReadAllText(folder.File("first-1.log")).Contains("picture 1 of 2", StringComparison.Ordinal), "task 1 to start painting");
            Run(environment, "scancel", $"{first}_1");
            WaitFor(() => Run(environment, "squeue", "-h", "-j", first).Count == 0, "the first array to end");

            // Tasks 0 and 2 painted their pictures (photos 0, 3 and 2, 5); task 1 was stopped before its first was written.
            Assert.Equal(["0.png", "2.png", "3.png", "5.png"], BatchCommandTests.Results(output));
            Assert.Contains("batch: 0 painted, 0 skipped, 0 failed of 2 (shard 1/3 of 6)", File.ReadAllText(folder.File("first-1.log")), StringComparison.Ordinal);
            var written = BatchCommandTests.WriteTimes(output);

            var second = Submit(job, folder.File("second-%a.log"), environment);
            WaitFor(() => Run(environment, "squeue", "-h", "-j", second).Count == 0, "the second array to end");

            Assert.Equal(["0.png", "1.png", "2.png", "3.png", "4.png", "5.png"], BatchCommandTests.Results(output));
            Assert.All(written, w => Assert.Equal(w.Value, BatchCommandTests.WriteTimes(output)[w.Key]));
            Assert.Contains("batch: 2 painted, 0 skipped, 0 failed of 2 (shard 1/3 of 6)", File.ReadAllText(folder.File("second-1.log")), StringComparison.Ordinal);
            Assert.Contains("batch: 0 painted, 2 skipped, 0 failed of 2 (shard 0/3 of 6)", File.ReadAllText(folder.File("second-0.log")), StringComparison.Ordinal);
        }
        finally
        {
            Shell(Path.Combine(scripts, "stop-local-slurm.sh"), folder.File("slurm"));
        }
    }

    // Six photos named 0 … 5 in a manifest, each result named after its photo.
    private static string Manifest(TempFolder folder, int count)
    {
        string[] sources = [SharedData.Image("tubingen.jpg"), SharedData.Image("golden_gate.jpg"), SharedData.Sample("chelsea.png")];
        var lines = Enumerable.Range(0, count).Select(i =>
        {
            File.Copy(sources[i % sources.Length], folder.File($"{i}{Path.GetExtension(sources[i % sources.Length])}"));
            return $$"""{"photo": "{{i}}{{Path.GetExtension(sources[i % sources.Length])}}"}""";
        });
        var manifest = folder.File("jobs.jsonl");
        File.WriteAllLines(manifest, lines);
        return manifest;
    }

    private static string Submit(string job, string log, IReadOnlyDictionary<string, string?> environment) =>
        Run(environment, "sbatch", "--parsable", "--array=0-2", "--cpus-per-task=1", "--mem=2000", $"--output={log}", job).Single().Split(';')[0];

    private static void WaitFor(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"waited {Patience} for {what}");
            Thread.Sleep(250);
        }
    }

    private static IReadOnlyList<string> Shell(string script, string argument) => Run(null, "bash", script, argument);

    private static IReadOnlyList<string> Run(IReadOnlyDictionary<string, string?>? environment, string program, params string[] args)
    {
        using var process = new ChildProcess(program, args, environment);
        var exitCode = process.WaitForExit();
        Assert.True(exitCode == 0, $"{program} {string.Join(' ', args)} exited with {exitCode}: {string.Join('\n', process.ErrorLines)}");
        return process.OutputLines;
    }
}
