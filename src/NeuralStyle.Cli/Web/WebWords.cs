namespace NeuralStyle.Cli.Web;

/// <summary>How the web API names the library's settings in its messages: as the settings' JSON properties, and the pictures as their form parts.</summary>
internal static class WebWords
{
    /// <summary>The message of <paramref name="e"/> as the API says it.</summary>
    public static string Of(StyleTransferException e) => e.WordedWith(setting => setting switch
    {
        nameof(StyleSources.Masks) => "mask",
        nameof(StyleSources.Coarse) => "coarse",
        _ => $"{char.ToLowerInvariant(setting[0])}{setting[1..]}",
    });
}
