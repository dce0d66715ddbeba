using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeuralStyle;

/// <summary>
/// <see cref="StyleTransferOptions"/> as JSON: the settings file the web app offers with each result
/// and the command line reads with <c>--settings</c>. Property names in camelCase, enumerations by name
/// (<c>"network": "resnet18"</c>), <c>init</c> and <c>device</c> as on the command line; a property left
/// out keeps its default.
/// </summary>
public static class StyleTransferSettings
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters =
        {
            new JsonStringEnumConverter(new LowerCase(), allowIntegerValues: false),
            new TextConverter<InitialImage>(InitialImage.Parse),
            new TextConverter<ComputeDevice>(ComputeDevice.Parse),
        },
    };

    /// <summary>The options as an indented JSON object.</summary>
    public static string ToJson(StyleTransferOptions options) => JsonSerializer.Serialize(options, Json);

    /// <summary>Options from a JSON object written by <see cref="ToJson"/> (or by hand).</summary>
    /// <exception cref="StyleTransferException">The text is not such an object; the message says where.</exception>
    public static StyleTransferOptions FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<StyleTransferOptions>(json, Json) ?? throw new StyleTransferException("settings: expected a JSON object, got null");
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException)
        {
            throw new StyleTransferException($"settings: {e.Message}", e);
        }
    }

    // Enumerations as the command line names them: vgg19, resnet18, bfloat16, lbfgs.
    private sealed class LowerCase : JsonNamingPolicy
    {
        public override string ConvertName(string name) => name.ToLowerInvariant();
    }

    // A type written as the text it parses from.
    private sealed class TextConverter<T>(Func<string, T> parse) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            parse(reader.GetString() ?? throw new JsonException($"expected a string for {typeof(T).Name}"));

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value!.ToString());
    }
}
