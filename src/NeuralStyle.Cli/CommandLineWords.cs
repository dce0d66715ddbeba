using System.Text;

namespace NeuralStyle.Cli;

/// <summary>How the command line names the library's settings in its messages: by its flags.</summary>
internal static class CommandLineWords
{
    // The flags whose names are not their property's in kebab case.
    private static readonly Dictionary<string, string> Unlike = new()
    {
        [nameof(StyleTransferOptions.WeightsPath)] = "--weights",
        [nameof(StyleTransferOptions.AverageDecay)] = "--average",
        [nameof(StyleSources.Masks)] = "--style-mask",
        [nameof(StyleSources.Coarse)] = "--coarse-style",
        [nameof(FastPainters.FastPaintingOptions.Strength)] = "--style-strength",
    };

    /// <summary>The flag of a setting (a property of the options, the paintings or a video's options).</summary>
    public static string Flag(string setting)
    {
        if (Unlike.TryGetValue(setting, out var flag))
        {
            return flag;
        }

        var kebab = new StringBuilder("--");
        foreach (var c in setting)
        {
            kebab.Append(char.IsUpper(c) && kebab.Length > 2 ? $"-{char.ToLowerInvariant(c)}" : char.ToLowerInvariant(c).ToString());
        }

        return kebab.ToString();
    }

    /// <summary>The message of <paramref name="e"/> as the command line says it.</summary>
    public static string Of(StyleTransferException e) => e.WordedWith(Flag);
}
