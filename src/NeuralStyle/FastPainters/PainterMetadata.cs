using System.Globalization;
using System.Reflection;

namespace NeuralStyle.FastPainters;

/// <summary>What a painter file says about itself, in its ONNX metadata.</summary>
/// <param name="Paintings">The paintings' file names, one per style, in their order.</param>
/// <param name="Shape">Its transformer's size.</param>
/// <param name="LossNetwork">The network whose responses it was trained on (<c>resnet18</c>, or a VGG file's name).</param>
/// <param name="Training">The training settings, as JSON.</param>
/// <param name="Version">The version of the tool that wrote it.</param>
public sealed record PainterMetadata(IReadOnlyList<string> Paintings, TransformerShape Shape, string LossNetwork, string Training, string Version)
{
    private const string Prefix = "neural-style.";

    /// <summary>This tool's version.</summary>
    public static string ToolVersion { get; } = typeof(PainterMetadata).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    /// <summary>The entries written into the file.</summary>
    public IReadOnlyDictionary<string, string> Entries() => new Dictionary<string, string>
    {
        [Prefix + "kind"] = "painter",
        [Prefix + "paintings"] = string.Join('\n', Paintings),
        [Prefix + "widths"] = string.Join(',', Shape.Widths),
        [Prefix + "residual-blocks"] = Shape.ResidualBlocks.ToString(CultureInfo.InvariantCulture),
        [Prefix + "styles"] = Shape.Styles.ToString(CultureInfo.InvariantCulture),
        [Prefix + "anti-aliased"] = Shape.AntiAliased ? "true" : "false",
        [Prefix + "loss-network"] = LossNetwork,
        [Prefix + "training"] = Training,
        [Prefix + "version"] = Version,
    };

    /// <summary>The metadata of a file written by this tool; null for any other ONNX file.</summary>
    public static PainterMetadata? Of(IReadOnlyDictionary<string, string> entries)
    {
        string? Get(string key) => entries.TryGetValue(Prefix + key, out var value) ? value : null;
        if (Get("kind") != "painter" || Get("widths") is not { } widths || !int.TryParse(Get("residual-blocks"), CultureInfo.InvariantCulture, out var blocks) || !int.TryParse(Get("styles"), CultureInfo.InvariantCulture, out var styles))
        {
            return null;
        }

        var parsed = widths.Split(',').Select(w => int.TryParse(w, CultureInfo.InvariantCulture, out var v) ? v : 0).ToArray();
        return new PainterMetadata((Get("paintings") ?? string.Empty).Split('\n'), new TransformerShape(parsed, blocks, styles, Get("anti-aliased") == "true"), Get("loss-network") ?? string.Empty, Get("training") ?? "{}", Get("version") ?? string.Empty);
    }
}
