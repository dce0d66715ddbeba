using System.Net;
using System.Net.Sockets;

namespace NeuralStyle.Tests.Cli.Queue;

/// <summary>
/// Debian's redis-server on a free loopback port, its files in a folder of its own, with append-only
/// persistence (as a queue's Redis should run): a restart keeps the stream and its pending entries.
/// tests/run.sh installs redis-server when missing.
/// </summary>
internal sealed class RedisServer : IDisposable
{
    private const string Program = "/usr/bin/redis-server";
    private readonly string folder;
    private readonly string? password;
    private readonly bool tls;
    private ChildProcess process;

    /// <summary>
    /// Starts Redis; with <paramref name="password"/>, it requires it of every client (<c>requirepass</c>);
    /// with <paramref name="tls"/>, it speaks TLS only, with a certificate for 127.0.0.1 issued by a
    /// certificate authority made here (<see cref="Issuer"/>).
    /// </summary>
    public RedisServer(string folder, string? password = null, bool tls = false)
    {
        this.password = password;
        this.tls = tls;
        Assert.True(File.Exists(Program), "the queue tests need Debian's redis-server (apt-get install redis-server; tests/run.sh installs it)");
        this.folder = folder;
        Directory.CreateDirectory(folder);
        Port = FreePort();
        if (tls)
        {
            TestCertificates.Write(folder);
        }

        process = Start();
    }

    public int Port { get; }

    /// <summary>The address serve and worker take: <c>redis://127.0.0.1:PORT</c> (<c>rediss://</c> with TLS), with <c>:PASSWORD@</c> before the host when Redis requires one.</summary>
    public string Address => password is null ? PlainAddress : PlainAddress.Replace("//", $"//:{password}@", StringComparison.Ordinal);

    /// <summary>The address without the password.</summary>
    public string PlainAddress => $"{(tls ? "rediss" : "redis")}://127.0.0.1:{Port}";

    /// <summary>The PEM file of the certificate authority that issued Redis's certificate; null without TLS.</summary>
    public string? Issuer => tls ? Path.Combine(folder, TestCertificates.Authority) : null;

    /// <summary>A free TCP port on the loopback (free when asked; taken by whoever binds it next).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops Redis as an operator would (SIGTERM: it writes its append-only file and exits) and starts it again on the same port and files.</summary>
    public void Restart()
    {
        process.Signal("TERM");
        Assert.Equal(0, process.WaitForExit(TimeSpan.FromSeconds(30)));
        process.Dispose();
        process = Start();
    }

    public void Dispose() => process.Dispose();

    private ChildProcess Start()
    {
        var port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] args = ["--bind", "127.0.0.1", "--dir", folder, "--appendonly", "yes", "--save", "", "--protected-mode", "yes"];
        args = tls
            ? [.. args, "--port", "0", "--tls-port", port, "--tls-auth-clients", "no", "--tls-cert-file", Path.Combine(folder, TestCertificates.Certificate), "--tls-key-file", Path.Combine(folder, TestCertificates.Key), "--tls-ca-cert-file", Issuer!]
            : [.. args, "--port", port];
        var started = new ChildProcess(Program, password is null ? args : [.. args, "--requirepass", password]);
        started.WaitForOutputLine(l => l.Contains("Ready to accept connections", StringComparison.Ordinal), "Redis ready");
        return started;
    }
}
