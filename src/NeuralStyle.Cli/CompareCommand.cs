using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;
using NeuralStyle.Quality;
using static TorchSharp.torch;

namespace NeuralStyle.Cli;

/// <summary>
/// <c>neural-style compare</c>: runs several settings on several photo/painting pairs and renders a
/// labelled contact sheet, printing each result's time, grid score and (with --reference-weights)
/// its style and content distances under another network.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var pairs = new Option<string[]>("--pair") { Description = "CONTENT,STYLE image pair (repeat for more rows); CONTENT,STYLE,PICTURE also measures a finished picture of that pair (another tool's, for example, read at the variants' size) in a first column.", Required = true, AllowMultipleArgumentsPerToken = false };
        var variants = new Option<string[]>("--variant") { Description = "LABEL=OPTIONS, e.g. \"plain=--jitter 0\": a column (repeat; default: one variant with default settings)." };
        var rowVariants = new Option<string[]>("--row") { Description = "LABEL=OPTIONS that a whole row adds to every column's, e.g. \"conv1_1=--style-layers conv1_1\" (repeat: each pair gets a row for each; default: one row per pair)." };
        var output = new Option<string>("--output", "-o") { Description = "The contact sheet (.png).", Required = true };
        var tile = new Option<int>("--tile") { Description = "Longest side of each picture on the sheet.", DefaultValueFactory = _ => 256 };
        var reference = new Option<string?>("--reference-weights") { Description = "VGG-19 weights to measure style and content distances with (conv1_1 … conv3_1 suffice)." };
        var givenLabel = new Option<string>("--given-label") { Description = "The label of the finished pictures' column.", DefaultValueFactory = _ => "given" };
        var command = new Command("compare", "Runs settings side by side on image pairs and renders a labelled contact sheet.") { pairs, variants, rowVariants, output, tile, reference, givenLabel };
        command.SetAction(result => StyleCommand.Guarded(() => Run(
            result.GetValue(pairs)!,
            result.GetValue(variants) is { Length: > 0 } v ? v : ["default="],
            result.GetValue(rowVariants) is { Length: > 0 } r ? r : ["="],
            result.GetValue(output)!,
            result.GetValue(tile),
            result.GetValue(reference),
            result.GetValue(givenLabel)!)));
        return command;
    }

    private static int Run(string[] pairs, string[] variants, string[] rowVariants, string output, int tile, string? referenceWeights, string givenLabel)
    {
        if (!output.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            throw new StyleTransferException($"{output}: the contact sheet is written as .png");
        }

        ImageFile.RequireWritable(output);
        var rowSettings = rowVariants.Select(row => (Label: LabelOf(row), Cells: variants.Select(column => ParseVariant(column, OptionsOf(row))).ToList())).ToList();
        rowSettings.ForEach(row => row.Cells.ForEach(s => StyleTransfer.Validate(s.Options)));
        using var reference = referenceWeights is null ? null : ReferenceNetwork(referenceWeights);
        var largest = rowSettings.SelectMany(row => row.Cells).Max(s => s.Options.Size);
        var images = pairs.Select(pair => ParsePair(pair, largest)).ToList();
        var rows = new List<IReadOnlyList<(string, RgbImage)>>();
        Console.WriteLine("pair\tvariant\tnetwork\tseconds\tgrid\tpalette\tstyle distance\tcontent distance\tlarge-scale style");
        foreach (var (pair, (rowLabel, settings)) in images.SelectMany(pair => rowSettings.Select(row => (pair, row))))
        {
            var row = new List<(string, RgbImage)> { (rowLabel.Length == 0 ? "photo" : $"photo\n{rowLabel}", pair.Content), ("painting", pair.Style) };
            IEnumerable<Cell> given = pair.Given is null ? [] : [new(givenLabel, pair.Given, null, "-")];
            foreach (var (label, picture, seconds, network) in given.Concat(settings.Select(cell => Painted(pair, cell))))
            {
                var measures = Measured(reference, pair, picture);
                var name = rowLabel.Length == 0 ? label : $"{rowLabel} · {label}";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(pair.ContentPath)} × {Path.GetFileName(pair.StylePath)}\t{name}\t{network}\t{seconds:0.0}\t{measures}"));
                var caption = seconds is null ? measures.Caption : string.Create(CultureInfo.InvariantCulture, $"{measures.Caption}, {seconds:0} s");
                row.Add(($"{label}\n{caption}", picture));
            }

            rows.Add(row);
        }

        ContactSheet.Save(rows, tile, output);
        Console.Error.WriteLine($"neural-style: wrote {output}");
        return 0;
    }

    private static Cell Painted(Pair pair, (string Label, StyleTransferOptions Options) cell)
    {
        var clock = Stopwatch.StartNew();
        var result = StyleTransfer.Run(pair.Content, pair.Style, cell.Options);
        return new(cell.Label, result.Image, clock.Elapsed.TotalSeconds, result.Network.Name());
    }

    private static Measures Measured(Vgg? reference, Pair pair, RgbImage result)
    {
        using var scope = NewDisposeScope();
        var picture = ImageTensor.ToTensor(result, float32, CPU);
        var (photo, painting) = AtResultSize(pair.Content, pair.Style, result);
        var measures = new Measures(GridScore.Of(picture), PaletteDistance.Ratio(result, photo, painting));
        if (reference is null)
        {
            return measures;
        }

        var paintingTensor = ImageTensor.ToTensor(painting, float32, CPU);
        var (style, content) = VggDistances.Measure(reference, picture, ImageTensor.ToTensor(photo, float32, CPU), paintingTensor);
        return measures with { Style = style, Content = content, LargeScaleStyle = VggDistances.LargeScaleStyle(reference, picture, paintingTensor) };
    }

    // The photo and the painting as the run saw them at its final scale.
    private static (RgbImage Photo, RgbImage Painting) AtResultSize(RgbImage content, RgbImage style, RgbImage result)
    {
        var (width, height) = style.SizeWithLongestSide(Math.Max(result.Width, result.Height));
        return (ImageFile.Resize(content, result.Width, result.Height), ImageFile.Resize(style, width, height));
    }

    /// <summary>Each frame's style distance to the painting and content distance to its photo, measured with the reference weights.</summary>
    public static List<(double Style, double Content)> FrameDistances(string weights, string paintingPath, IReadOnlyList<RgbImage> frames, IReadOnlyList<RgbImage> photos)
    {
        using var reference = ReferenceNetwork(weights);
        var painting = ImageFile.Load(paintingPath);
        return [.. frames.Select((frame, i) =>
        {
            using var scope = NewDisposeScope();
            var (photo, scaled) = AtResultSize(photos[i], painting, frame);
            return VggDistances.Measure(reference, ImageTensor.ToTensor(frame, float32, CPU), ImageTensor.ToTensor(photo, float32, CPU), ImageTensor.ToTensor(scaled, float32, CPU));
        })];
    }

    private static Vgg ReferenceNetwork(string path)
    {
        var network = new Vgg(VggWeights.Load(path), Pooling.Max);
        if (!network.Has(VggDistances.DeepestLayer))
        {
            network.Dispose();
            throw new StyleTransferException($"{path}: holds VGG-19 only up to {network.DeepestConvolution}; --reference-weights needs it up to {VggDistances.DeepestLayer}");
        }

        return network;
    }

    private static Pair ParsePair(string pair, int longestSide)
    {
        var parts = pair.Split(',', StringSplitOptions.TrimEntries);
        return parts.Length is 2 or 3
            ? new(parts[0], parts[1], ImageFile.Load(parts[0], longestSide), ImageFile.Load(parts[1], longestSide), parts.Length == 3 ? ImageFile.Load(parts[2], longestSide) : null)
            : throw new StyleTransferException($"--pair {pair}: expected CONTENT,STYLE or CONTENT,STYLE,PICTURE");
    }

    private static string LabelOf(string row) => row.IndexOf('=', StringComparison.Ordinal) is > 0 and var split
        ? row[..split]
        : row == "=" ? string.Empty : throw new StyleTransferException($"--row {row}: expected LABEL=OPTIONS");

    private static string OptionsOf(string row) => row[(row.IndexOf('=', StringComparison.Ordinal) + 1)..];

    // A cell's options: its row's, less those its column sets again, then its column's.
    private static string[] CellTokens(string rowOptions, string columnOptions)
    {
        var column = CommandLineParser.SplitCommandLine(columnOptions).ToList();
        var overridden = column.Where(t => t.StartsWith("--", StringComparison.Ordinal)).ToHashSet();
        var (kept, skipping) = (new List<string>(), false);
        foreach (var token in CommandLineParser.SplitCommandLine(rowOptions))
        {
            skipping = token.StartsWith("--", StringComparison.Ordinal) ? overridden.Contains(token) : skipping;
            if (!skipping)
            {
                kept.Add(token);
            }
        }

        return [.. kept, .. column];
    }


    private static (string Label, StyleTransferOptions Options) ParseVariant(string variant, string rowOptions)
    {
        var split = variant.IndexOf('=', StringComparison.Ordinal);
        if (split <= 0)
        {
            throw new StyleTransferException($"--variant {variant}: expected LABEL=OPTIONS");
        }

        var binder = new StyleOptionsBinder();
        var parser = new Command("variant");
        foreach (var option in binder.Options)
        {
            parser.Options.Add(option);
        }

        var parsed = parser.Parse(CellTokens(rowOptions, variant[(split + 1)..]));
        return parsed.Errors.Count == 0
            ? (variant[..split], binder.Bind(parsed))
            : throw new StyleTransferException($"--variant {variant}: {parsed.Errors[0].Message}");
    }

    // A column's picture: painted here (with its time and network) or given finished.
    private sealed record Cell(string Label, RgbImage Picture, double? Seconds, string Network);

    private sealed record Pair(string ContentPath, string StylePath, RgbImage Content, RgbImage Style, RgbImage? Given);

    // What compare prints and captions for one picture: the distances only with reference weights.
    private sealed record Measures(double Grid, double Palette, double? Style = null, double? Content = null, double? LargeScaleStyle = null)
    {
        public string Caption => string.Create(CultureInfo.InvariantCulture, $"grid {Grid:0}, palette {Palette:0.00}");

        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{Grid:0.0}\t{Palette:0.00}\t{Style:0.###e+0}\t{Content:0.###}\t{LargeScaleStyle:0.###e+0}");
    }
}
