using System.Text.Json;
using System.Threading.Channels;

namespace NeuralStyle.Jobs;

/// <summary>
/// What each job has reported (one JSON line per event), kept for those who come later (a reload, a
/// second tab), and handed to everyone who listens now.
/// </summary>
public sealed class JobEvents
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<string>> history = [];
    private readonly Dictionary<string, List<Channel<string>>> listeners = [];

    /// <summary>Hands <paramref name="json"/> (one event) to the job's listeners and keeps it for later ones.</summary>
    public void Publish(string id, string json)
    {
        lock (gate)
        {
            (history.TryGetValue(id, out var lines) ? lines : history[id] = []).Add(json);
            foreach (var listener in listeners.GetValueOrDefault(id) ?? [])
            {
                listener.Writer.TryWrite(json);
            }
        }
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
