using System.CommandLine;
using System.Globalization;
using NeuralStyle.FastPainters;
using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Optimization;

namespace NeuralStyle.Cli.Train;

/// <summary><c>neural-style train PAINTING... --photos FOLDER-OR-MANIFEST -o NAME.onnx [options]</c>: trains a fast painter.</summary>
internal static class TrainCommand
{
    private static readonly PainterTrainingOptions Defaults = new();

    public static Command Create()
    {
        var paintings = new Argument<string[]>("painting") { Description = "The painting to learn; several make one painter with a style for each.", Arity = ArgumentArity.OneOrMore };
        var photos = new Option<string>("--photos") { Description = "A folder of photos to train on (searched through its subfolders), or a text file naming one photo a line.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The painter file (.onnx), written when training ends; its checkpoint (NAME.onnx.checkpoint), NAME.preview.png and NAME.loss.svg go beside it.", Required = true };
        var size = new Option<int>("--size") { Description = "Side of the square photo crops it trains on.", DefaultValueFactory = _ => Defaults.Size };
        var photoSide = new Option<int>("--photo-side") { Description = "Longest side each photo is brought to before cropping, and the paintings' when read: the picture size whose strokes it learns.", DefaultValueFactory = _ => Defaults.PhotoSide };
        var batch = new Option<int>("--batch") { Description = "Crops per step.", DefaultValueFactory = _ => Defaults.Batch };
        var iterations = new Option<int>("--iterations") { Description = "Steps of Adam.", DefaultValueFactory = _ => Defaults.Iterations };
        var learningRate = new Option<double>("--learning-rate") { Description = "Adam's rate.", DefaultValueFactory = _ => Defaults.LearningRate };
        var widths = new Option<string>("--widths") { Description = "Channels at full, half and quarter resolution.", DefaultValueFactory = _ => string.Join(',', Defaults.Widths) };
        var antiAliasing = new Option<bool>("--anti-aliasing") { Description = "Blur before each halving and enlarge bilinearly, so that a picture moved by a pixel is painted moved (steadier on video); false: Johnson's network as it was.", DefaultValueFactory = _ => Defaults.AntiAliased };
        var blocks = new Option<int>("--residual-blocks") { Description = "Residual blocks at quarter resolution.", DefaultValueFactory = _ => Defaults.ResidualBlocks };
        var network = new Option<string>("--network") { Description = "The loss network: resnet18 (built in, fast on a CPU), vgg19 or vgg16 (with --weights).", DefaultValueFactory = _ => Defaults.Network.Name() };
        var weights = new Option<string?>("--weights") { Description = "VGG weights for --network vgg19 or vgg16." };
        var contentWeight = new Option<double?>("--content-weight") { Description = $"α [default: {PainterTrainingOptions.ContentShare} times the loss network's for an optimisation: resnet18 {PainterTrainingOptions.ContentShare * NetworkDefaults.ResNet18.ContentWeight}, vgg19 {PainterTrainingOptions.ContentShare * NetworkDefaults.Vgg19.ContentWeight}]." };
        var styleWeight = new Option<double?>("--style-weight") { Description = "β [default: the loss network's]." };
        var tvWeight = new Option<double>("--tv-weight") { Description = "Weight of total-variation smoothing.", DefaultValueFactory = _ => Defaults.TvWeight };
        var temporalWeight = new Option<double>("--temporal-weight") { Description = "Weight of the temporal loss, which teaches the painter to be steady on video (crops moved by a known motion painted as the crop was, moved); 0 trains without it.", DefaultValueFactory = _ => Defaults.TemporalWeight };
        var featureTemporalWeight = new Option<double>("--feature-temporal-weight") { Description = "Weight of the feature-level temporal loss (ReCoNet): the same motion asked of the network's features at quarter resolution; 0 leaves it out.", DefaultValueFactory = _ => Defaults.FeatureTemporalWeight };
        var paletteWeight = new Option<double?>("--palette-weight") { Description = "Weight of the palette term [default: the loss network's]." };
        var previewEvery = new Option<int>("--preview-every") { Description = "Write the preview and the loss curve every N steps (0: never).", DefaultValueFactory = _ => Defaults.PreviewEvery };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Save a checkpoint every N steps (0: only on Ctrl+C and at the end).", DefaultValueFactory = _ => Defaults.CheckpointEvery };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint beside the output, at its step." };
        var clips = new Option<string?>("--clips") { Description = $"A folder of real clips (videos or folders of frames) whose motion the temporal loss learns too, every other step: up to {TrainingClips.PairsPerClip} pairs of consecutive frames a clip, with OpenCV's flow." };
        var seed = new Option<int>("--seed") { Description = "Seed of the first weights and the crops.", DefaultValueFactory = _ => Defaults.Seed };
        var command = new Command("train", "Trains a fast painter: a network that paints a photo in one pass, in the paintings' style (Johnson et al. 2016), written as ONNX.")
        {
            paintings, photos, output, size, photoSide, batch, iterations, learningRate, widths, antiAliasing, blocks, network, weights, contentWeight, styleWeight, tvWeight, temporalWeight, featureTemporalWeight, paletteWeight, previewEvery, checkpointEvery, resume, seed, clips,
        };
        command.SetAction(result => StyleCommand.Guarded(() => Run(
            result.GetValue(paintings)!,
            result.GetValue(photos)!,
            result.GetValue(output)!,
            result.GetValue(clips),
            new PainterTrainingOptions
            {
                Size = result.GetValue(size),
                PhotoSide = result.GetValue(photoSide),
                Batch = result.GetValue(batch),
                Iterations = result.GetValue(iterations),
                LearningRate = result.GetValue(learningRate),
                Widths = Widths(result.GetValue(widths)!),
                ResidualBlocks = result.GetValue(blocks),
                AntiAliased = result.GetValue(antiAliasing),
                Network = LossNetwork(result.GetValue(network)!),
                WeightsPath = result.GetValue(weights),
                ContentWeight = result.GetValue(contentWeight),
                StyleWeight = result.GetValue(styleWeight),
                TvWeight = result.GetValue(tvWeight),
                TemporalWeight = result.GetValue(temporalWeight),
                FeatureTemporalWeight = result.GetValue(featureTemporalWeight),
                PaletteWeight = result.GetValue(paletteWeight),
                PreviewEvery = result.GetValue(previewEvery),
                CheckpointEvery = result.GetValue(checkpointEvery),
                Resume = result.GetValue(resume),
                Seed = result.GetValue(seed),
            })));
        return command;
    }

    private static int Run(string[] paintingFiles, string photoSource, string output, string? clipFolder, PainterTrainingOptions options)
    {
        options.Validate();
        if (!output.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            throw new StyleTransferException($"{output}: a painter is written as .onnx");
        }

        ImageFile.RequireWritableFolder(output);
        var paintings = paintingFiles.Select(p => (Path.GetFileName(p), ImageFile.Load(p, options.PhotoSide))).ToList();
        var photos = TrainingPhotos.Open(photoSource, line => Console.Error.WriteLine($"neural-style: {line}"));
        var clips = Clips(clipFolder, options);
        Console.Error.WriteLine($"neural-style: training on {photos.Files.Count} photos from {photoSource}, {options.Iterations} steps of {options.Batch} crops of {options.Size} px");
        using var stop = new StopSignals("neural-style: stopping after this step to save a checkpoint (Ctrl+C again quits without saving)");
        var shown = DateTime.MinValue;
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (DateTime.UtcNow - shown > TimeSpan.FromSeconds(5) || p.Step == p.Steps || shown == DateTime.MinValue)
            {
                shown = DateTime.UtcNow;
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{p.Steps}  loss {p.Loss.Total:G4} (content {p.Loss.Content:G4}, style {p.Loss.Style:G4}{(p.Loss.Temporal > 0 ? $", temporal {p.Loss.Temporal:G4}" : "")})  {p.SecondsPerStep:0.00} s/step  ETA {Eta(p.Remaining)}{(p.Clipped > 0 ? $"  ({p.Clipped} clipped)" : "")}"));
            }
        });
        var result = PainterTraining.Train(paintings, photos, options, output, progress, stop.Token, clips);
        if (result.Stopped)
        {
            Console.Error.WriteLine($"neural-style: stopped at step {result.Steps}; saved {result.Checkpoint}: run the same command with --resume to continue");
            return stop.ExitCode;
        }

        var skipped = result.Clipped > 0 ? $"; {result.Clipped} with a gradient ten times the usual, clipped" : string.Empty;
        Console.Error.WriteLine($"neural-style: wrote {output} ({result.Steps} steps{skipped})");
        return 0;
    }

    private static IReadOnlyList<ClipPair>? Clips(string? folder, PainterTrainingOptions options)
    {
        if (folder is null)
        {
            return null;
        }

        if (!options.Steadied)
        {
            throw new StyleTransferException("--clips teaches the temporal loss, which --temporal-weight 0 leaves out");
        }

        var pairs = TrainingClips.Read(folder, options.PhotoSide, line => Console.Error.WriteLine($"neural-style: {line}"));
        if (pairs.Any(p => Math.Min(p.First.Width, p.First.Height) < options.Size))
        {
            throw new StyleTransferException($"--clips {folder}: a clip read at {options.PhotoSide} px is smaller than the {options.Size} px crops (give a larger --photo-side)");
        }

        Console.Error.WriteLine($"neural-style: {pairs.Count} pairs of consecutive frames from the clips of {folder}, with their flow");
        return pairs;
    }

    private static string Eta(TimeSpan remaining) => remaining.TotalHours >= 1 ? $"{(int)remaining.TotalHours}h{remaining.Minutes:00}m" : $"{remaining.Minutes}m{remaining.Seconds:00}s";

    private static int[] Widths(string text)
    {
        var parts = text.Split(',');
        return parts.All(p => int.TryParse(p, CultureInfo.InvariantCulture, out _)) ? [.. parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture))]
            : throw new StyleTransferException($"--widths {text}: not three whole numbers, e.g. 16,32,64");
    }

    private static NetworkKind LossNetwork(string name) => name switch
    {
        "resnet18" => NetworkKind.ResNet18,
        "vgg19" => NetworkKind.Vgg19,
        "vgg16" => NetworkKind.Vgg16,
        _ => throw new StyleTransferException($"--network {name}: takes resnet18, vgg19 or vgg16"),
    };
}
