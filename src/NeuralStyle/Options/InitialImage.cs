namespace NeuralStyle;

/// <summary>Which picture the optimisation starts from.</summary>
public enum InitKind
{
    /// <summary>White noise around mid-grey (the paper's choice).</summary>
    Noise,

    /// <summary>The photograph.</summary>
    Content,

    /// <summary>The painting, resized to the photograph's size.</summary>
    Style,

    /// <summary>An image file, resized to the photograph's size.</summary>
    File,
}

/// <summary>The picture the optimisation starts from: <see cref="Noise"/>, <see cref="Content"/>, <see cref="Style"/> or an image <see cref="FromFile"/>.</summary>
public sealed record InitialImage
{
    private InitialImage(InitKind kind, string? path)
    {
        Kind = kind;
        Path = path;
    }

    /// <summary>White noise around mid-grey.</summary>
    public static InitialImage Noise { get; } = new(InitKind.Noise, null);

    /// <summary>The photograph.</summary>
    public static InitialImage Content { get; } = new(InitKind.Content, null);

    /// <summary>The painting.</summary>
    public static InitialImage Style { get; } = new(InitKind.Style, null);

    /// <summary>Which kind of start this is.</summary>
    public InitKind Kind { get; }

    /// <summary>The image file for <see cref="InitKind.File"/>; null otherwise.</summary>
    public string? Path { get; }

    /// <summary>Starts from the image file at <paramref name="path"/>.</summary>
    public static InitialImage FromFile(string path) => new(InitKind.File, path);

    /// <summary>The command line's form: <c>noise</c>, <c>content</c>, <c>style</c>, or anything else as a file's path.</summary>
    public static InitialImage Parse(string text) => text switch
    {
        "noise" => Noise,
        "content" => Content,
        "style" => Style,
        _ => FromFile(text),
    };

    /// <inheritdoc />
    public override string ToString() => Path ?? Kind.ToString().ToLowerInvariant();
}
