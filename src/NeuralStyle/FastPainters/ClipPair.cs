using NeuralStyle.Images;
using NeuralStyle.Video;

namespace NeuralStyle.FastPainters;

/// <summary>
/// Two consecutive frames of a real clip for the temporal loss, with the flow from the second back to
/// the first and where it can be trusted (a front end computes them: the command line with OpenCV).
/// </summary>
/// <param name="First">The earlier frame.</param>
/// <param name="Second">The next frame, of the same size.</param>
/// <param name="Backward">Where each pixel of <paramref name="Second"/> lies in <paramref name="First"/>.</param>
/// <param name="Reliable">How far each pixel of that flow can be trusted (occlusions and motion boundaries are not).</param>
public sealed record ClipPair(RgbImage First, RgbImage Second, FlowField Backward, Reliability Reliable);
