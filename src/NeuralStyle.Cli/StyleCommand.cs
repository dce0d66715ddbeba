using System.CommandLine;

namespace NeuralStyle.Cli;

/// <summary>The command line: <c>neural-style CONTENT STYLE -o OUT [options]</c>, and the <c>compare</c> command.</summary>
internal static class StyleCommand
{
    public static RootCommand Create()
    {
        var binder = new StyleOptionsBinder();
        var content = new Argument<string>("content") { Description = "The photograph whose content to keep." };
        var style = new Argument<string>("style") { Description = "The painting whose style to take." };
        var output = new Option<string>("--output", "-o") { Description = "Result image (.png, .jpg or .jpeg), written only when complete.", Required = true };
        var saveEvery = new Option<int>("--save-every") { Description = "Also save the image every N iterations, as OUT_N.ext (0: never).", DefaultValueFactory = _ => 0 };
        var trace = new Option<string?>("--trace") { Description = "Also write one JSON line per iteration to this file: iteration, scale, each weighted loss term, seconds, resident bytes." };
        var command = new RootCommand("Repaints a photograph in the style of a painting (Gatys, Ecker & Bethge, 2015).") { content, style, output, saveEvery, trace };
        foreach (var option in binder.Options)
        {
            command.Options.Add(option);
        }

        command.Subcommands.Add(CompareCommand.Create());
        command.SetAction(result => Guarded(() => StyleJob.Run(
            result.GetValue(content)!,
            result.GetValue(style)!,
            result.GetValue(output)!,
            binder.Bind(result) with { SaveEvery = result.GetValue(saveEvery) },
            result.GetValue(trace))));
        return command;
    }

    /// <summary>Runs a command's work, turning a <see cref="StyleTransferException"/> into its one line and exit code 1.</summary>
    public static int Guarded(Func<int> work)
    {
        try
        {
            return work();
        }
        catch (StyleTransferException e)
        {
            Console.Error.WriteLine($"neural-style: {e.Message}");
            return 1;
        }
    }
}
