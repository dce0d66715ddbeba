namespace NeuralStyle;

/// <summary>
/// A problem with what the user gave (a file, an image, an option), with a one-line message that
/// names the thing and says what is wrong. Front ends print the message alone and exit non-zero.
/// </summary>
public sealed class StyleTransferException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public StyleTransferException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and the error behind it.</summary>
    public StyleTransferException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
