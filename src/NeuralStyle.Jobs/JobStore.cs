using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using NeuralStyle.Images;

namespace NeuralStyle.Jobs;

/// <summary>
/// The jobs under the data folder, one folder each (<c>jobs/ID/</c>: <c>job.json</c>, <c>photo.png</c>,
/// <c>painting-N.png</c>, <c>mask-N.png</c>, <c>coarse.png</c>, <c>latest.png</c>, <c>result.png</c>,
/// <c>settings.json</c>), every file written
/// through a temporary file and a rename, so that a stop at any moment leaves each whole or absent.
/// Uploaded files are decoded and stored under these fixed names; their own names are never used.
/// </summary>
public sealed class JobStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly ConcurrentDictionary<string, Job> jobs = new();

    /// <summary>
    /// Opens the folder. When <paramref name="soleRunner"/> (a server that runs its jobs itself), a job
    /// that was running when the server stopped is marked interrupted; with a queue, workers elsewhere
    /// may still be running it.
    /// </summary>
    public JobStore(string dataFolder, bool soleRunner = true)
    {
        DataFolder = Path.GetFullPath(dataFolder);
        Root = Path.Combine(DataFolder, "jobs");
        Directory.CreateDirectory(Root);
        foreach (var file in Directory.EnumerateFiles(Root, "job.json", SearchOption.AllDirectories))
        {
            Job? job;
            try
            {
                job = JsonSerializer.Deserialize<Job>(File.ReadAllText(file), Json);
            }
            catch (JsonException e)
            {
                // Written atomically, a record is whole unless edited by hand; that one job is left out, not the server.
                Console.Error.WriteLine($"neural-style: {file}: not a job record ({e.Message}); left out");
                continue;
            }

            if (job is not null && job.Id != Path.GetFileName(Path.GetDirectoryName(file)))
            {
                // A record names the folder it is in; one that names another would steer whoever runs it there.
                Console.Error.WriteLine($"neural-style: {file}: its id ({job.Id}) is not its folder's; left out");
            }
            else if (job is not null)
            {
                jobs[job.Id] = soleRunner && job.Status == JobStatus.Running ? Save(job with { Status = JobStatus.Interrupted, Error = "the server stopped during the run" }) : job;
            }
        }
    }

    /// <summary>The folder that holds a folder per job.</summary>
    public string Root { get; }

    /// <summary>The data folder the jobs lie in (with the photos training jobs learn from, <see cref="PhotoFolders"/>).</summary>
    public string DataFolder { get; }

    /// <summary>Every job, newest first.</summary>
    public IEnumerable<Job> All => jobs.Values.OrderByDescending(j => j.Created);

    /// <summary>The job of <paramref name="id"/> as this process knows it; null when there is none.</summary>
    public Job? Find(string id) => jobs.TryGetValue(id, out var job) ? job : null;

    /// <summary>The folder of a job.</summary>
    public string FolderOf(string id) => Path.Combine(Root, id);

    /// <summary>A file in a job's folder.</summary>
    public string FileOf(string id, string name) => Path.Combine(FolderOf(id), name);

    /// <summary>Stores a new job's pictures and settings and returns it, queued, as <paramref name="owner"/>'s (null on a server without users).</summary>
    /// <exception cref="StyleTransferException">A file cannot be written (a full disk); nothing of the job is left.</exception>
    public Job Create(RgbImage photo, StyleSources styles, StyleTransferOptions options, string? owner = null) =>
        NewJob(id => Stored(id, photo, styles, options, owner));

    /// <summary>Stores a new training job's paintings and request and returns it, queued, as <paramref name="owner"/>'s.</summary>
    /// <exception cref="StyleTransferException">A file cannot be written (a full disk); nothing of the job is left.</exception>
    public Job CreateTraining(IReadOnlyList<RgbImage> paintings, TrainingRequest request, string? owner = null) => NewJob(id =>
    {
        SaveAll(id, "painting", paintings);
        var settings = request.ToJson();
        WriteAtomically(FileOf(id, "settings.json"), settings);
        return Save(new Job { Id = id, Kind = JobKind.Training, Owner = owner, Created = DateTimeOffset.UtcNow, Status = JobStatus.Queued, Settings = settings, Paintings = paintings.Count });
    });

    // A new job's folder under a fresh id, filled by store; a file it cannot write leaves nothing of the job.
    private Job NewJob(Func<string, Job> store)
    {
        var id = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        Directory.CreateDirectory(FolderOf(id));
        try
        {
            return store(id);
        }
        catch (StyleTransferException)
        {
            Delete(id);
            throw;
        }
    }

    private Job Stored(string id, RgbImage photo, StyleSources styles, StyleTransferOptions options, string? owner)
    {
        ImageFile.SaveAtomically(photo, FileOf(id, "photo.png"));
        SaveAll(id, "painting", styles.Paintings);
        SaveAll(id, "mask", styles.Masks ?? []);
        if (styles.Coarse is { } coarse)
        {
            ImageFile.SaveAtomically(coarse, FileOf(id, "coarse.png"));
        }

        var settings = StyleTransferSettings.ToJson(options);
        WriteAtomically(FileOf(id, "settings.json"), settings);
        return Save(new Job
        {
            Id = id, Owner = owner, Created = DateTimeOffset.UtcNow, Status = JobStatus.Queued, Settings = settings,
            Paintings = styles.Paintings.Count, Masks = styles.Masks?.Count ?? 0, Coarse = styles.Coarse is not null,
        });
    }

    /// <summary>Removes a job that is not running or waiting (or was never queued), its folder with it.</summary>
    public void Delete(string id)
    {
        jobs.TryRemove(id, out _);
        if (Directory.Exists(FolderOf(id)))
        {
            Directory.Delete(FolderOf(id), recursive: true);
        }
    }

    /// <summary>Removes every finished job posted before <paramref name="cutoff"/>, and says how many.</summary>
    public int DeleteFinishedBefore(DateTimeOffset cutoff)
    {
        var expired = jobs.Values.Where(j => j.Finished && j.Created < cutoff).Select(j => j.Id).ToList();
        expired.ForEach(Delete);
        return expired.Count;
    }

    /// <summary>The pictures a job was given, read back.</summary>
    public StyleSources SourcesOf(Job job) => new([.. Enumerable.Range(0, job.Paintings).Select(i => ImageFile.Load(FileOf(job.Id, $"painting-{i}.png")))])
    {
        Masks = job.Masks == 0 ? null : [.. Enumerable.Range(0, job.Masks).Select(i => ImageFile.Load(FileOf(job.Id, $"mask-{i}.png")))],
        Coarse = job.Coarse ? ImageFile.Load(FileOf(job.Id, "coarse.png")) : null,
    };

    /// <summary>A job's record as it is on disk now (another process may have written it); null when there is none. <see cref="Touch"/> remembers it.</summary>
    public Job? ReadFromDisk(string id)
    {
        if (!IsJobId(id) || !File.Exists(FileOf(id, "job.json")))
        {
            return null;
        }

        try
        {
            // A record whose id is not its folder's is no job of this store's (see the constructor).
            return JsonSerializer.Deserialize<Job>(File.ReadAllText(FileOf(id, "job.json")), Json) is { } job && job.Id == id ? job : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="id"/> has the form of a job's id, and so names a folder under the store and nothing else.</summary>
    public static bool IsJobId(string id) => id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>1 for the next job to run, 2 for the one after, …; 0 when the job is not waiting.</summary>
    public int QueuePosition(Job job) => job.Status != JobStatus.Queued
        ? 0
        : All.Where(j => j.Status == JobStatus.Queued).OrderBy(j => j.Created).TakeWhile(j => j.Id != job.Id).Count() + 1;

    /// <summary>Every waiting job's <see cref="QueuePosition"/>, by id, from one ordering of the queue: for a list of many jobs.</summary>
    public IReadOnlyDictionary<string, int> QueuePositions() =>
        jobs.Values.Where(j => j.Status == JobStatus.Queued).OrderBy(j => j.Created).Select((j, i) => (j.Id, Position: i + 1)).ToDictionary(p => p.Id, p => p.Position);

    /// <summary>Records a job's state in memory only: a running job's progress (the list shows it; the disk gets it with the next <see cref="Save"/>), or a record another process stored.</summary>
    public void Touch(Job job) => jobs[job.Id] = job;

    /// <summary>Records a job's new state in memory and on disk.</summary>
    public Job Save(Job job)
    {
        WriteAtomically(FileOf(job.Id, "job.json"), JsonSerializer.Serialize(job, Json));
        jobs[job.Id] = job;
        return job;
    }

    private void SaveAll(string id, string name, IReadOnlyList<RgbImage> pictures)
    {
        for (var i = 0; i < pictures.Count; i++)
        {
            ImageFile.SaveAtomically(pictures[i], FileOf(id, $"{name}-{i}.png"));
        }
    }

    private static void WriteAtomically(string path, string text) =>
        ImageFile.WriteAtomically(path, stream => stream.Write(Encoding.UTF8.GetBytes(text)), "the job's record");
}
