using System.CommandLine;

namespace NeuralStyle.Cli;

/// <summary>The command line: <c>neural-style CONTENT STYLE -o OUT [options]</c>, and the <c>compare</c> command.</summary>
internal static class StyleCommand
{
    public static RootCommand Create()
    {
        var binder = new StyleOptionsBinder();
        var content = new Argument<string>("content") { Description = "The photograph whose content to keep." };
        var style = new Argument<string[]>("style") { Description = "The painting whose style to take; several are blended (--style-blend) or each painted in its own region (--style-mask).", Arity = ArgumentArity.ZeroOrMore };
        // Several paintings make the argument take any word, an option System.CommandLine does not know included.
        style.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => t.Value.StartsWith('-') && !File.Exists(t.Value)))
            {
                result.AddError($"Unrecognized command or argument '{token.Value}'.");
            }
        });
        var masks = new Option<string[]>("--style-mask") { Description = "Grey-level image, white where a painting applies: once per painting, in their order (resized to the photo; where every mask is black the picture keeps the photo).", AllowMultipleArgumentsPerToken = false };
        var coarse = new Option<string?>("--coarse-style") { Description = "A painting whose coarse structure (the style layers from --coarse-from on) replaces the painting's, which keeps the fine strokes and colours." };
        var output = new Option<string>("--output", "-o") { Description = "Result image (.png, .jpg or .jpeg), written only when complete.", Required = true };
        var saveEvery = new Option<int>("--save-every") { Description = "Also save the image every N iterations, as OUT_N.ext (0: never).", DefaultValueFactory = _ => 0 };
        var depth = new Option<int>("--depth") { Description = "Bits per channel of the result: 8, or 16 for prints (.png only; the picture before its rounding to 8 bits). Snapshots are 8-bit.", DefaultValueFactory = _ => 8 };
        depth.AcceptOnlyFromAmong("8", "16");
        var settings = new Option<string?>("--settings") { Description = "A settings file (JSON, as the web app gives with each result): its options, with any given here taking their place." };
        var trace = new Option<string?>("--trace") { Description = "Also write one JSON line per iteration to this file: iteration, scale, each weighted loss term, seconds, resident bytes." };
        var painter = new Option<string?>("--painter") { Description = "A trained painter (.onnx, from neural-style train) in place of the paintings: one pass, a fraction of a second (docs/fast-painters.md)." };
        var engine = new Option<string>("--engine") { Description = "What runs --painter: onnxruntime (any ONNX painter) or torchsharp (this tool's painters).", DefaultValueFactory = _ => "onnxruntime" };
        var command = new RootCommand("Repaints a photograph in the style of a painting (Gatys, Ecker & Bethge, 2015).") { content, style, output, masks, coarse, depth, saveEvery, trace, settings, painter, engine };
        foreach (var option in binder.Options)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result => RequirePaintingsOrPainter(result, content, style, painter));
        command.Subcommands.Add(CompareCommand.Create());
        command.Subcommands.Add(Web.ServeCommand.Create());
        command.Subcommands.Add(Web.Users.UsersCommand.Create());
        command.Subcommands.Add(Queue.WorkerCommand.Create());
        command.Subcommands.Add(Models.ModelsCommand.Create());
        command.Subcommands.Add(Batch.BatchCommand.Create());
        command.Subcommands.Add(Video.VideoCommand.Create());
        command.Subcommands.Add(Video.WarpingErrorCommand.Create());
        command.Subcommands.Add(Train.TrainCommand.Create());
        command.SetAction(result => Guarded(() =>
        {
            var options = binder.Bind(result, ReadSettings(result.GetValue(settings))) with { SaveEvery = result.GetValue(saveEvery) };
            var paintings = result.GetValue(style) ?? [];
            if (result.GetValue(painter) is { } painterFile)
            {
                return paintings.Length == 0 ? FastPaintJob.Run(result.GetValue(content)!, painterFile, Engine(result.GetValue(engine)!), result.GetValue(output)!, options)
                    : throw new StyleTransferException("--painter paints without paintings: give the photo and the painter, or the photo and the paintings");
            }

            return StyleJob.Run(
                new StyleJob.Inputs(result.GetValue(content)!, paintings, result.GetValue(masks) ?? [], result.GetValue(coarse)),
                new StyleJob.Outputs(result.GetValue(output)!, result.GetValue(depth), result.GetValue(trace)),
                options);
        }));
        return command;
    }

    // Paintings or a painter: without either, a usage mistake like any missing argument. A
    // subcommand's parse leaves the photo unset, and the rule is the root's alone. It reads the
    // parse's results, not values: reading a value would convert the paintings before their own rule.
    private static void RequirePaintingsOrPainter(System.CommandLine.Parsing.CommandResult result, Argument<string> content, Argument<string[]> style, Option<string?> painter)
    {
        if (result.GetResult(content) is not null && (result.GetResult(style)?.Tokens.Count ?? 0) == 0 && result.GetResult(painter) is null)
        {
            result.AddError("Required argument missing for command: 'style' (or --painter NAME.onnx).");
        }
    }

    /// <summary>The engine a <c>--engine</c> word names.</summary>
    /// <exception cref="StyleTransferException">Another word.</exception>
    public static FastPainters.PainterEngine Engine(string word) => word switch
    {
        "onnxruntime" => FastPainters.PainterEngine.OnnxRuntime,
        "torchsharp" => FastPainters.PainterEngine.TorchSharp,
        _ => throw new StyleTransferException($"--engine {word}: takes onnxruntime or torchsharp"),
    };

    /// <summary>The options of a settings file, or null for none.</summary>
    /// <exception cref="StyleTransferException">The file is missing or does not hold options.</exception>
    public static StyleTransferOptions? ReadSettings(string? path) => path is null ? null
        : !File.Exists(path) ? throw new StyleTransferException($"--settings {path}: no such file")
        : new FileInfo(path).Length is 0 or > SettingsBytes ? throw new StyleTransferException($"--settings {path}: not a settings file (empty, larger than 1 MiB, or a device or a pipe)")
        : StyleTransferSettings.FromJson(File.ReadAllText(path));

    // A settings file is a few hundred bytes; a larger one is not one.
    private const long SettingsBytes = 1 << 20;

    /// <summary>The message of <paramref name="e"/> without its leading "<paramref name="subject"/>: ", for a line that names the subject itself.</summary>
    public static string MessageAbout(string subject, StyleTransferException e) =>
        CommandLineWords.Of(e) is var message && message.StartsWith(subject + ": ", StringComparison.Ordinal) ? message[(subject.Length + 2)..] : message;

    /// <summary>Runs a command's work, turning a <see cref="StyleTransferException"/> into its one line and exit code 1.</summary>
    public static int Guarded(Func<int> work)
    {
        try
        {
            return work();
        }
        catch (StyleTransferException e)
        {
            Console.Error.WriteLine($"neural-style: {CommandLineWords.Of(e)}");
            return 1;
        }
    }
}
