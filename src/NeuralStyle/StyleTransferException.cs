using System.Reflection;
using System.Text.RegularExpressions;

namespace NeuralStyle;

/// <summary>
/// A problem with what the user gave (a file, an image, a setting), with a one-line message that
/// names the thing and says what is wrong. Front ends print the message alone and exit non-zero.
/// </summary>
/// <remarks>
/// The library names settings by their properties, never by a front end's words: a problem with a
/// setting names it in <see cref="Setting"/>, and the settings its <see cref="Detail"/> mentions stand
/// there as <c>{Property}</c>. Each front end words them its own way (<see cref="WordedWith"/>): the
/// command line as flags (<c>--size</c>), a JSON client as properties (<c>size</c>, the
/// <see cref="Exception.Message"/>).
/// </remarks>
public sealed partial class StyleTransferException : Exception
{
    // The settings a message may name: the properties of the options, the paintings and a video's options.
    private static readonly HashSet<string> Settings = [.. new[] { typeof(StyleTransferOptions), typeof(StyleSources), typeof(Video.VideoOptions) }
        .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)).Select(p => p.Name)];

    /// <summary>Creates the exception with its one-line message.</summary>
    public StyleTransferException(string message)
        : this(null, message, null)
    {
    }

    /// <summary>Creates the exception with its one-line message and the error behind it.</summary>
    public StyleTransferException(string message, Exception inner)
        : this(null, message, inner)
    {
    }

    private StyleTransferException(string? setting, string detail, Exception? inner)
        : base(Word(setting, detail, JsonName), inner)
    {
        (Setting, Detail) = (setting, detail);
    }

    /// <summary>
    /// The setting the problem is with, by its property (of <see cref="StyleTransferOptions"/>,
    /// <see cref="StyleSources"/> or <see cref="Video.VideoOptions"/>); null when it is with something else.
    /// </summary>
    public string? Setting { get; }

    /// <summary>What is wrong, after the setting's name; the settings it mentions stand as <c>{Property}</c>.</summary>
    public string Detail { get; }

    /// <summary>A problem with <paramref name="setting"/>; <paramref name="detail"/> says what, after the setting's name.</summary>
    public static StyleTransferException About(string setting, string detail) => new(setting, detail, null);

    /// <summary>The message with every setting named by <paramref name="name"/> (a property's name in, a front end's word out).</summary>
    public string WordedWith(Func<string, string> name) => Word(Setting, Detail, name);

    // A JSON client's name of a setting: its property in camelCase, as the settings file writes it.
    private static string JsonName(string setting) => $"{char.ToLowerInvariant(setting[0])}{setting[1..]}";

    private static string Word(string? setting, string detail, Func<string, string> name)
    {
        var worded = Mention().Replace(detail, m => Settings.Contains(m.Groups[1].Value) ? name(m.Groups[1].Value) : m.Value);
        return setting is null ? worded : $"{name(setting)} {worded}";
    }

    [GeneratedRegex(@"\{([A-Z][A-Za-z]*)\}")]
    private static partial Regex Mention();
}
