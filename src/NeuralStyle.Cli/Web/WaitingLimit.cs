using NeuralStyle.Jobs;

namespace NeuralStyle.Cli.Web;

/// <summary>
/// Holds each person to <see cref="ServeSettings.MaxWaiting"/> jobs waiting or running. A post still
/// being read counts as one of theirs, so that posts which arrive together cannot pass the limit
/// together.
/// </summary>
internal sealed class WaitingLimit(JobStore store, ServeSettings settings)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, int> posting = [];

    /// <summary>
    /// A place for one more of <paramref name="owner"/>'s jobs (null: a server without users), held until
    /// disposed, by which time the job is stored or refused; no place when they have as many as the
    /// server takes. <c>Waiting</c>: how many they have.
    /// </summary>
    public (IDisposable? Place, int Waiting) Admit(string? owner)
    {
        var key = owner ?? string.Empty;
        lock (gate)
        {
            var waiting = store.All.Count(j => !j.Finished && j.Owner == owner) + posting.GetValueOrDefault(key);
            if (waiting >= settings.MaxWaiting)
            {
                return (null, waiting);
            }

            posting[key] = posting.GetValueOrDefault(key) + 1;
            return (new Place(this, key), waiting);
        }
    }

    private void Release(string key)
    {
        lock (gate)
        {
            if (--posting[key] == 0)
            {
                posting.Remove(key);
            }
        }
    }

    private sealed class Place(WaitingLimit limit, string key) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                limit.Release(key);
            }
        }
    }
}
