using System.CommandLine;
using System.Globalization;
using NeuralStyle.Video;

namespace NeuralStyle.Cli.Video;

/// <summary><c>neural-style video INPUT PAINTING... -o OUTPUT [options]</c>: a clip painted without flicker.</summary>
internal static class VideoCommand
{
    public static Command Create()
    {
        var binder = new StyleOptionsBinder();
        var input = new Argument<string>("input") { Description = "A video file (any ffmpeg decodes) or a folder of frames (sorted by name)." };
        var paintings = new Argument<string[]>("painting") { Description = "The paintings.", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string>("--output", "-o") { Description = "A video (.mp4, .webm or .mkv; the input's frame rate and sound) or a folder, frame k as frame_0001.png, … (from 1).", Required = true };
        var work = new Option<string?>("--work") { Description = "The work folder: decoded frames, flows (forward_1_2.flo, backward_2_1.flo), reliability maps (reliable_2_1.pgm), finished frames; a rerun continues there [default: OUTPUT.work beside the output]." };
        var flow = new Option<string?>("--flow") { Description = "A folder of your own Middlebury .flo files named forward_1_2.flo, backward_2_1.flo, … (frames from 1), at the painted size, instead of OpenCV's flow." };
        var frameIterations = new Option<int?>("--frame-iterations") { Description = "Iterations of each frame after the first, which starts from the previous frame's result [default: half the first frame's, at most vgg19 150, resnet18 100]." };
        var temporalWeight = new Option<double?>("--temporal-weight") { Description = "γ: how hard each frame is held to the earlier ones where the motion is reliable, relative to the objective (a whole-range difference everywhere costs γ times its value at the frame's start) [default: 1000]." };
        var earlier = new Option<string>("--earlier") { Description = "Which earlier frames each frame is held to, as distances back (artistic-videos' long-term consistency: 1,2,4).", DefaultValueFactory = _ => "1" };
        var painter = new Option<string?>("--painter") { Description = "A trained painter (.onnx) in place of the paintings: each frame in one pass, streamed from ffmpeg to ffmpeg (no work folder); the warping error of up to 24 frame pairs follows." };
        var flowBlend = new Option<double?>("--flow-blend") { Description = "With --painter: mix each painted frame with the previous result warped onto it along the flow, by this share (0–1) where the flow is reliable: steadier, at the flow's cost." };
        var engine = new Option<string>("--engine") { Description = "What runs --painter: onnxruntime or torchsharp.", DefaultValueFactory = _ => "onnxruntime" };
        var command = new Command("video", "Paints a clip frame by frame, each held to the ones before along the motion (Ruder, Dosovitskiy & Brox 2016).") { input, paintings, output, work, flow, frameIterations, temporalWeight, earlier, painter, flowBlend, engine };
        foreach (var option in binder.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(result => StyleCommand.Guarded(() =>
        {
            var options = binder.Bind(result);
            StyleTransfer.Validate(options);
            var outputPath = result.GetValue(output)!;
            var workFolder = result.GetValue(work) ?? Path.ChangeExtension(Path.GetFullPath(outputPath).TrimEnd(Path.DirectorySeparatorChar), null) + ".work";
            var given = result.GetValue(paintings) ?? [];
            if (result.GetValue(painter) is { } painterFile)
            {
                return given.Length == 0 ? VideoPainterRun.Run(result.GetValue(input)!, painterFile, StyleCommand.Engine(result.GetValue(engine)!), outputPath, options, result.GetValue(flowBlend))
                    : throw new StyleTransferException("video: --painter paints without paintings: give the clip and the painter");
            }

            if (result.GetValue(flowBlend) is not null)
            {
                throw new StyleTransferException("video: --flow-blend mixes a painter's frames: give --painter NAME.onnx (the paintings' video holds each frame to the ones before already)");
            }

            return given.Length == 0 ? throw new StyleTransferException("video: no painting: give the clip and one or more paintings, or --painter NAME.onnx") : VideoRun.Run(new VideoJob(
                result.GetValue(input)!,
                given,
                outputPath,
                workFolder,
                result.GetValue(flow),
                Distances(result.GetValue(earlier)!),
                new VideoOptions(result.GetValue(temporalWeight), result.GetValue(frameIterations)),
                options));
        }));
        return command;
    }

    private static int[] Distances(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var distances = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d >= 1 ? d : 0).ToArray();
        return distances.Contains(0) || !distances.Contains(1)
            ? throw new StyleTransferException($"--earlier {text}: give distances back of 1 or more, 1 among them (for example 1,2,4)")
            : [.. distances.Distinct().Order()];
    }
}
