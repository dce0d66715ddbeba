using System.Text.Json;
using System.Threading.Channels;

namespace NeuralStyle.Jobs;

/// <summary>
/// What each job has reported (one JSON line per event), kept for those who come later (a reload, a
/// second tab), and handed to everyone who listens now. A job's kept history is bounded: past
/// <see cref="MostKept"/> lines, every other progress event is let go (the plot keeps its shape at
/// half the points), while its status and picture events all stay.
/// </summary>
public sealed class JobEvents
{
    /// <summary>The most lines kept for one job (a long job sends one progress event an iteration).</summary>
    public const int MostKept = 2000;

    private const string ProgressPrefix = "{\"type\":\"progress\"";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<string>> history = [];
    private readonly Dictionary<string, List<Channel<string>>> listeners = [];

    /// <summary>Hands <paramref name="json"/> (one event) to the job's listeners and keeps it for later ones.</summary>
    public void Publish(string id, string json)
    {
        lock (gate)
        {
            var lines = history.TryGetValue(id, out var kept) ? kept : history[id] = [];
            lines.Add(json);
            if (lines.Count > MostKept)
            {
                Thin(lines);
            }

            foreach (var listener in listeners.GetValueOrDefault(id) ?? [])
            {
                listener.Writer.TryWrite(json);
            }
        }
    }

    // Every other progress event goes, the newest always kept: the history keeps the whole run at half
    // the points it had, and a late listener still sees where the run is.
    private static void Thin(List<string> lines)
    {
        var newest = lines.FindLastIndex(line => line.StartsWith(ProgressPrefix, StringComparison.Ordinal));
        var kept = new List<string>(lines.Count);
        var progress = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            if (!lines[i].StartsWith(ProgressPrefix, StringComparison.Ordinal) || i == newest || progress++ % 2 == 0)
            {
                kept.Add(lines[i]);
            }
        }

        lines.Clear();
        lines.AddRange(kept);
    }

    /// <summary>The status event of <paramref name="job"/>, as the page reads it.</summary>
    public static string StatusEvent(Job job) => JsonSerializer.Serialize(new { type = "status", job }, Json);

    /// <summary>Publishes <paramref name="job"/>'s record as a status event and, when it has finished, ends its listeners.</summary>
    public void Announce(Job job)
    {
        Publish(job.Id, StatusEvent(job));
        if (job.Finished)
        {
            Complete(job.Id);
        }
    }

    /// <summary>Ends every listener of a job, after what they have been sent, and forgets its events: whoever comes later gets the finished job's record.</summary>
    public void Complete(string id)
    {
        lock (gate)
        {
            history.Remove(id);
            foreach (var listener in listeners.GetValueOrDefault(id) ?? [])
            {
                listener.Writer.TryComplete();
            }

            listeners.Remove(id);
        }
    }

    /// <summary>The job's events so far, then each new one until it ends; dispose to stop listening.</summary>
    public Subscription Subscribe(string id)
    {
        var channel = Channel.CreateUnbounded<string>();
        lock (gate)
        {
            foreach (var line in history.GetValueOrDefault(id) ?? [])
            {
                channel.Writer.TryWrite(line);
            }

            (listeners.TryGetValue(id, out var list) ? list : listeners[id] = []).Add(channel);
        }

        return new Subscription(channel.Reader, () =>
        {
            lock (gate)
            {
                listeners.GetValueOrDefault(id)?.Remove(channel);
            }
        });
    }

    /// <summary>One listener's events; disposing it stops listening.</summary>
    /// <param name="reader">The events, in order.</param>
    /// <param name="stop">Stops listening.</param>
    public sealed class Subscription(ChannelReader<string> reader, Action stop) : IDisposable
    {
        /// <summary>The events, in order; it completes when the job ends.</summary>
        public ChannelReader<string> Reader { get; } = reader;

        /// <inheritdoc/>
        public void Dispose() => stop();
    }
}
