using NeuralStyle.Video;

namespace NeuralStyle.Cli.Video;

/// <summary>
/// The flows between a clip's frames and their reliability, named as artistic-videos names them
/// (frames from 1: <c>forward_1_2.flo</c>, <c>backward_2_1.flo</c>, <c>reliable_2_1.pgm</c>): read from
/// the user's folder of flow files, or computed once and kept in the work folder.
/// </summary>
internal sealed class FlowStore(Clip clip, string work, string? given)
{
    /// <summary>The flow from frame <paramref name="frame"/> back to frame <paramref name="earlier"/>, and its reliability.</summary>
    /// <exception cref="StyleTransferException">A given flow file is missing, unreadable, or not of the frames' size.</exception>
    public (FlowField Backward, Reliability Reliability) For(int frame, int earlier)
    {
        var backwardName = $"backward_{frame}_{earlier}.flo";
        var forwardName = $"forward_{earlier}_{frame}.flo";
        var reliablePath = Path.Combine(work, $"reliable_{frame}_{earlier}.pgm");
        FlowField backward;
        Func<FlowField> forward;
        if (given is not null)
        {
            backward = Given(backwardName);
            forward = () => Given(forwardName);
        }
        else
        {
            backward = Computed(backwardName, () => OpticalFlow.Between(clip.Frame(frame), clip.Frame(earlier)));
            forward = () => Computed(forwardName, () => OpticalFlow.Between(clip.Frame(earlier), clip.Frame(frame)));
        }

        if (File.Exists(reliablePath))
        {
            var kept = Reliability.ReadPgm(reliablePath);
            if (kept.Width == clip.Width && kept.Height == clip.Height)
            {
                return (backward, kept);
            }
        }

        var reliability = Reliability.Check(backward, forward());
        reliability.WritePgm(reliablePath);
        return (backward, reliability);
    }

    /// <summary>Checks, before any frame is painted, that every given flow file the clip needs is there, whole and of the frames' size.</summary>
    /// <exception cref="StyleTransferException">The first that is not.</exception>
    public void RequireGiven(IReadOnlyList<int> earlier)
    {
        if (given is null)
        {
            return;
        }

        foreach (var frame in Enumerable.Range(2, Math.Max(0, clip.Count - 1)))
        {
            foreach (var back in earlier.Where(j => frame - j >= 1))
            {
                GivenPath($"backward_{frame}_{frame - back}.flo");
                GivenPath($"forward_{frame - back}_{frame}.flo");
            }
        }
    }

    private FlowField Given(string name) => FlowField.Read(GivenPath(name));

    private string GivenPath(string name)
    {
        var path = Path.Combine(given!, name);
        if (!File.Exists(path))
        {
            throw new StyleTransferException($"{path}: no such flow file (--flow needs forward_I_J.flo and backward_J_I.flo for each pair, frames numbered from 1)");
        }

        var (width, height) = FlowField.ReadSize(path);
        return width == clip.Width && height == clip.Height
            ? path
            : throw new StyleTransferException($"{path}: a {width}×{height} flow, but the frames are painted at {clip.Width}×{clip.Height} (give flows at the painted size, or set --size to their longest side)");
    }

    private FlowField Computed(string name, Func<FlowField> compute)
    {
        var path = Path.Combine(work, name);
        if (File.Exists(path))
        {
            var kept = FlowField.Read(path);
            if (kept.Width == clip.Width && kept.Height == clip.Height)
            {
                return kept;
            }
        }

        var flow = compute();
        flow.Write(path);
        return flow;
    }
}
