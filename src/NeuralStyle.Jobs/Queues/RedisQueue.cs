using StackExchange.Redis;

namespace NeuralStyle.Jobs.Queues;

/// <summary>
/// The jobs' stream on Redis and the channels beside it, as the server and the workers share them: a
/// stream of job ids read through one consumer group (each entry delivered to one worker, and pending
/// until that worker acknowledges it), a channel of the jobs' events for the server, and a channel of
/// cancellations for the workers.
/// </summary>
public sealed class RedisQueue : IDisposable
{
    private const string Stream = "neural-style:jobs";
    private const string Group = "workers";
    private const string DeadLetters = "neural-style:dead";
    private static readonly RedisChannel Events = RedisChannel.Literal("neural-style:events");
    private static readonly RedisChannel Cancels = RedisChannel.Literal("neural-style:cancel");
    private readonly ConnectionMultiplexer redis;

    private RedisQueue(ConnectionMultiplexer redis, string address)
    {
        this.redis = redis;
        Address = address;
    }

    /// <summary>The address without its user and password: <c>redis://HOST:PORT</c> (or <c>rediss://</c>).</summary>
    public string Address { get; }

    private IDatabase Db => redis.GetDatabase();

    /// <summary>
    /// Connects to <c>redis://[USER:PASSWORD@]HOST[:PORT]</c>, or <c>rediss://…</c> for TLS (the server's
    /// certificate checked against the system's trusted ones, or issued by the PEM certificate that the
    /// environment's <c>NEURAL_STYLE_REDIS_CA</c> names: an organisation's own). Without a password in the address, the
    /// environment's <c>NEURAL_STYLE_REDIS_PASSWORD</c> gives it, which keeps it off command lines and
    /// out of process lists. The password is never printed: <see cref="Address"/> leaves it out. Redis
    /// need not be up yet, and may restart: the connection is made again in the background, and calls
    /// made meanwhile fail with <see cref="RedisException"/>.
    /// </summary>
    /// <exception cref="StyleTransferException">The address is not a redis:// or rediss:// address.</exception>
    /// <param name="address">The Redis address.</param>
    /// <param name="clientName">How Redis lists this connection.</param>
    /// <param name="issuer">For TLS, a PEM file of the certificate that issued Redis's; null: <c>NEURAL_STYLE_REDIS_CA</c>'s, else the system's trusted ones.</param>
    public static RedisQueue Connect(string address, string clientName, string? issuer = null)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || uri.Host.Length == 0 || uri.AbsolutePath is not ("" or "/"))
        {
            throw StyleTransferException.About("Queue", $"{Printable(address)}: expected redis://[USER:PASSWORD@]HOST:PORT or rediss://… for TLS");
        }

        var (user, password) = Credentials(uri);
        var port = uri.IsDefaultPort ? 6379 : uri.Port;
        var options = new ConfigurationOptions
        {
            EndPoints = { { uri.Host, port } },
            User = user,
            Password = password ?? Environment.GetEnvironmentVariable("NEURAL_STYLE_REDIS_PASSWORD"),
            Ssl = uri.Scheme == "rediss",
            SslHost = uri.Host,
            AbortOnConnectFail = false,
            ClientName = clientName,
            ConnectTimeout = 2000,
            SyncTimeout = 5000,
            ReconnectRetryPolicy = new LinearRetry(500),
        };
        if (options.Ssl && (issuer ?? Environment.GetEnvironmentVariable("NEURAL_STYLE_REDIS_CA")) is { Length: > 0 } trusted)
        {
            TrustIssuer(options, trusted);
        }

        return new RedisQueue(ConnectionMultiplexer.Connect(options), $"{uri.Scheme}://{uri.Host}:{port}");
    }

    private static void TrustIssuer(ConfigurationOptions options, string issuer)
    {
        try
        {
            options.TrustIssuer(issuer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw StyleTransferException.About("Queue", $"NEURAL_STYLE_REDIS_CA {issuer}: not a certificate that can be read ({e.Message})");
        }
    }

    // USER:PASSWORD, :PASSWORD or USER before the host, each part URL-decoded; null for a part not given.
    private static (string? User, string? Password) Credentials(Uri uri)
    {
        if (uri.UserInfo.Length == 0)
        {
            return (null, null);
        }

        var parts = uri.UserInfo.Split(':', 2);
        var user = Uri.UnescapeDataString(parts[0]);
        return (user.Length == 0 ? null : user, parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : null);
    }

    /// <summary>An address as a message may show it: whatever stands between <c>//</c> and <c>@</c> (a user and a password) left out.</summary>
    public static string Printable(string address) =>
        System.Text.RegularExpressions.Regex.Replace(address, "//[^/@]*@", "//");

    // Makes the stream and its consumer group unless they are there: a worker does, the first time it
    // finds none (it may start before the server, or Redis may have lost them). Made at "0", the group
    // also delivers what the server added before it.
    private async Task EnsureGroupAsync()
    {
        try
        {
            await Db.StreamCreateConsumerGroupAsync(Stream, Group, "0", createStream: true);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Made already.
        }
    }

    /// <summary>Adds a job to the stream (made with it when there is none).</summary>
    public Task AddAsync(string jobId) => Db.StreamAddAsync(Stream, "job", jobId);

    /// <summary>
    /// The next job for <paramref name="consumer"/>: first one whose worker has not renewed it for
    /// <paramref name="visibility"/> (taken over, with the number of times it has now been delivered),
    /// else one never delivered; null when there is none.
    /// </summary>
    public async Task<Delivery?> TakeAsync(string consumer, TimeSpan visibility)
    {
        try
        {
            return await TakeFromGroupAsync(consumer, visibility);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            await EnsureGroupAsync();
            return await TakeFromGroupAsync(consumer, visibility);
        }
    }

    private async Task<Delivery?> TakeFromGroupAsync(string consumer, TimeSpan visibility)
    {
        var claimed = await Db.StreamAutoClaimAsync(Stream, Group, consumer, (long)visibility.TotalMilliseconds, "0-0", 1);
        if (claimed.ClaimedEntries is [var stale, ..])
        {
            var pending = await Db.StreamPendingMessagesAsync(Stream, Group, 1, RedisValue.Null, stale.Id, stale.Id);
            return await Checked(stale, pending is [var info] ? info.DeliveryCount : 1);
        }

        var fresh = await Db.StreamReadGroupAsync(Stream, Group, consumer, ">", 1);
        return fresh is [var entry] ? await Checked(entry, 1) : null;
    }

    // An entry without a job's id (written by hand, or by something else on this Redis) would stop
    // every worker that took it, in turn: it goes to the dead letters, with its fields, and off the stream.
    private async Task<Delivery> Checked(StreamEntry entry, long deliveries)
    {
        var job = entry["job"];
        if (!job.IsNull && JobStore.IsJobId(job!))
        {
            return new Delivery(entry.Id!, job!, deliveries);
        }

        await Db.StreamAddAsync(DeadLetters, [new NameValueEntry("entry", entry.Id), .. entry.Values]);
        await AcknowledgeAsync(entry.Id!);
        return new Delivery(entry.Id!, null, deliveries);
    }

    /// <summary>Tells the others that <paramref name="consumer"/> is alive and still has the entry (its idle time starts again; the delivery count stays).</summary>
    public Task RenewAsync(string consumer, string entryId) =>
        Db.StreamClaimIdsOnlyAsync(Stream, Group, consumer, 0, [entryId]);

    /// <summary>Acknowledges an entry and removes it from the stream: its job has ended.</summary>
    public async Task AcknowledgeAsync(string entryId)
    {
        await Db.StreamAcknowledgeAsync(Stream, Group, entryId);
        await Db.StreamDeleteAsync(Stream, [entryId]);
    }

    /// <summary>Sends a job's event (a JSON line) to the server.</summary>
    public Task PublishEventAsync(string jobId, string json) => redis.GetSubscriber().PublishAsync(Events, $"{jobId}\n{json}");

    /// <summary>Calls <paramref name="received"/> with each job event that the workers send (the job's id and the JSON line).</summary>
    public Task OnEventsAsync(Action<string, string> received) => redis.GetSubscriber().SubscribeAsync(Events, (_, message) =>
    {
        var text = (string)message!;
        var split = text.IndexOf('\n', StringComparison.Ordinal);
        if (split > 0)
        {
            received(text[..split], text[(split + 1)..]);
        }
    });

    /// <summary>Asks whichever worker runs the job to stop it.</summary>
    public Task CancelAsync(string jobId) => redis.GetSubscriber().PublishAsync(Cancels, jobId);

    /// <summary>Calls <paramref name="received"/> with the id of each job that the server asks to stop.</summary>
    public Task OnCancelAsync(Action<string> received) => redis.GetSubscriber().SubscribeAsync(Cancels, (_, message) => received((string)message!));

    /// <summary>Whether <paramref name="e"/> says that Redis could not be reached (a connection lost, a command timed out, a restarted Redis still loading its file), which retrying mends.</summary>
    public static bool IsUnreachable(Exception e) => e is RedisConnectionException or RedisTimeoutException
        || (e is RedisServerException && (e.Message.StartsWith("LOADING", StringComparison.Ordinal) || e.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal)));

    /// <summary>The first clause of the client's message, without its pages of connection state.</summary>
    public static string Reason(Exception e) => e.Message.Split(" - ")[0].Split('\n')[0].TrimEnd('.');

    /// <inheritdoc/>
    public void Dispose() => redis.Dispose();

    /// <summary>A stream entry handed to one worker: the entry, its job, and how many times it has been delivered.</summary>
    /// <param name="EntryId">The stream entry's id.</param>
    /// <param name="JobId">The job's id; null when the entry held none and went to the dead letters (<c>neural-style:dead</c>).</param>
    /// <param name="Deliveries">How many times it has been delivered, this one included.</param>
    public sealed record Delivery(string EntryId, string? JobId, long Deliveries);
}
