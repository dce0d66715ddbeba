using NeuralStyle.Objective.Terms;
using static TorchSharp.torch;

namespace NeuralStyle;

/// <summary>
/// A picture painted on from a start of its own rather than coarse to fine: at its final size only,
/// with a term of its own added to the objective. A video's later frame is one (<see cref="Video.FrameGuide"/>).
/// </summary>
/// <param name="StartAt">The picture the optimisation starts from, given the photo as the synthesis sees it (RGB 0–255 [1, 3, H, W]).</param>
/// <param name="Term">The term it adds, given the picture's width, height and device and the objective's value at the start.</param>
/// <param name="Iterations">Its iterations.</param>
internal sealed record Continuation(Func<Tensor, Tensor> StartAt, Func<int, int, Device, double, IPixelTerm> Term, int Iterations);
