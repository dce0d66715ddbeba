namespace NeuralStyle.Jobs;

/// <summary>
/// How jobs name the library's settings in their messages (a failed job's error, a refused post): as
/// the JSON properties of the settings they are stored with, and the pictures as the parts a job is
/// given (<c>mask</c>, <c>coarse</c>).
/// </summary>
public static class JobWords
{
    /// <summary>The message of <paramref name="e"/> as a job's client reads it.</summary>
    public static string Of(StyleTransferException e) => e.WordedWith(setting => setting switch
    {
        nameof(StyleSources.Masks) => "mask",
        nameof(StyleSources.Coarse) => "coarse",
        _ => $"{char.ToLowerInvariant(setting[0])}{setting[1..]}",
    });
}
