using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NeuralStyle.Images;

namespace NeuralStyle.Cli.Web.Users;

/// <summary>A person who may use the server: their name, whether they see everyone's jobs, and when they were added.</summary>
/// <param name="Name">The name their jobs are kept under.</param>
/// <param name="Admin">Whether they see, cancel and delete every job.</param>
/// <param name="TokenHash">SHA-256 of their token, in hexadecimal; the token itself is kept nowhere.</param>
/// <param name="Added">When they were added.</param>
internal sealed record User(string Name, bool Admin, string TokenHash, DateTimeOffset Added);

/// <summary>
/// The people of a server, in <c>users.json</c> in its data folder. <c>neural-style users</c> changes the
/// file while the server runs; the server reads it again whenever it has changed.
/// </summary>
internal sealed class UserStore(string dataFolder)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly Lock gate = new();
    private (DateTime Written, long Length, IReadOnlyList<User> Users) read = (default, -1, []);

    /// <summary>The file that holds them.</summary>
    public string File { get; } = Path.Combine(Path.GetFullPath(dataFolder), "users.json");

    /// <summary>Everyone, in the order they were added.</summary>
    public IReadOnlyList<User> All => Current();

    /// <summary>
    /// The person whose token this is; null for none. A token is 32 random bytes, so a fast hash is as
    /// safe to keep as a slow one: there is no short word to guess.
    /// </summary>
    public User? Find(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var hash = Convert.FromHexString(Hash(token));
        return Current().FirstOrDefault(u => CryptographicOperations.FixedTimeEquals(Convert.FromHexString(u.TokenHash), hash));
    }

    /// <summary>Adds a person and returns their token, which is shown this once.</summary>
    /// <exception cref="StyleTransferException">The name is not a plain one, or is taken.</exception>
    public string Add(string name, bool admin)
    {
        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new StyleTransferException($"users: '{name}' is not a name this server takes (1 to 64 letters, digits, '-', '_' or '.')");
        }

        if (Current().Any(u => u.Name == name))
        {
            throw new StyleTransferException($"users: {name} exists already (remove them first to give them a new token)");
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        Write([.. Current(), new User(name, admin, Hash(token), DateTimeOffset.UtcNow)]);
        return token;
    }

    /// <summary>Removes a person; their jobs stay, for an admin to see.</summary>
    /// <exception cref="StyleTransferException">There is no such person.</exception>
    public void Remove(string name)
    {
        var users = Current();
        if (users.All(u => u.Name != name))
        {
            throw new StyleTransferException($"users: there is no {name} in {File}");
        }

        Write([.. users.Where(u => u.Name != name)]);
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private void Write(IReadOnlyList<User> users)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(File)!);
        ImageFile.WriteAtomically(File, stream => JsonSerializer.Serialize(stream, users, Json), "the list of users");
    }

    // The file as it is now; read again only when its time or length has changed.
    private IReadOnlyList<User> Current()
    {
        var info = new FileInfo(File);
        var (written, length) = info.Exists ? (info.LastWriteTimeUtc, info.Length) : (default, -1L);
        lock (gate)
        {
            if ((written, length) != (read.Written, read.Length))
            {
                read = (written, length, length < 0 ? [] : Parse(System.IO.File.ReadAllText(File)));
            }

            return read.Users;
        }
    }

    private IReadOnlyList<User> Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<List<User>>(json, Json) ?? [];
        }
        catch (JsonException e)
        {
            throw new StyleTransferException($"{File}: not a list of users ({e.Message})", e);
        }
    }
}
