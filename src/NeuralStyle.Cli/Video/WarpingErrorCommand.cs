using System.CommandLine;
using System.Globalization;
using NeuralStyle.Cli.Batch;
using NeuralStyle.Images;
using NeuralStyle.Quality;
using NeuralStyle.Video;

namespace NeuralStyle.Cli.Video;

/// <summary><c>neural-style warping-error FRAMES [--motion-from FOLDER]</c>: the temporal consistency of any folder of frames.</summary>
internal static class WarpingErrorCommand
{
    public static Command Create()
    {
        var frames = new Argument<string>("frames") { Description = "A folder of frames (sorted by name), for example a video's output folder or a batch's results." };
        var motion = new Option<string?>("--motion-from") { Description = "The folder of the clip's own frames to take the motion from (as Lai et al. do: the flow of the input, not of the result), whose own warping error follows, and both errors where its frames agree: there the scene stood still, and what changes in FRAMES is flicker [default: FRAMES themselves]." };
        var painting = new Option<string?>("--painting") { Description = "With --reference-weights: also print each frame's VGG style distance to this painting, then their mean and largest and the mean content distance to the motion frames." };
        var reference = new Option<string?>("--reference-weights") { Description = "VGG-19 weights to measure the distances with (conv1_1 … conv3_1 suffice)." };
        var command = new Command("warping-error", "Prints the warping error of a clip (Lai et al. 2018): Σ c‖x_i − ω(x_{i−1})‖² / Σ c over consecutive frames, RGB in 0–1.") { frames, motion, painting, reference };
        command.SetAction(result => StyleCommand.Guarded(() =>
        {
            var painted = Pictures(result.GetValue(frames)!);
            var source = result.GetValue(motion) is { } m ? Pictures(m) : painted;
            if (source.Count != painted.Count)
            {
                throw new StyleTransferException($"--motion-from has {source.Count} frames, the clip {painted.Count}");
            }

            OpenCvRuntime.Require();
            var images = painted.Select(p => ImageFile.Load(p)).ToList();
            var (width, height) = (images[0].Width, images[0].Height);
            var motionFrames = source.Select(p => ImageFile.Resize(ImageFile.Load(p), width, height)).ToList();
            (FlowField, Reliability) Pair(int i) => OpticalFlow.Back(motionFrames[i - 1], motionFrames[i]);
            if (result.GetValue(motion) is null)
            {
                Console.WriteLine(WarpingError.OfClip(images, Pair).ToString("0.000000", CultureInfo.InvariantCulture));
            }
            else
            {
                var errors = WarpingError.OfPaintedClip(images, motionFrames, Pair);
                Console.WriteLine(errors.Pictures.ToString("0.000000", CultureInfo.InvariantCulture));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the clip's own frames: {errors.Clip:0.000000}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"where the clip's frames agree ({errors.StillShare:0.0%} of the weight): {errors.PicturesWhereStill:0.000000}, the clip's own {errors.ClipWhereStill:0.000000}"));
            }
            if (result.GetValue(painting) is { } paintingPath && result.GetValue(reference) is { } weights)
            {
                var distances = CompareCommand.FrameDistances(weights, paintingPath, images, motionFrames);
                Console.WriteLine(string.Join(' ', distances.Select(d => d.Style.ToString("0.###e+0", CultureInfo.InvariantCulture))));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"style {distances.Average(d => d.Style):0.###e+0} mean, {distances.Max(d => d.Style):0.###e+0} largest; content {distances.Average(d => d.Content):0.###} mean"));
            }

            return 0;
        }));
        return command;
    }

    private static List<string> Pictures(string folder)
    {
        var pictures = Directory.Exists(folder) ? BatchList.PicturesIn(folder).ToList() : throw new StyleTransferException($"{folder}: no such folder");
        return pictures.Count >= 2 ? pictures : throw new StyleTransferException($"{folder}: a clip needs two frames or more, the folder has {pictures.Count}");
    }
}
