using static TorchSharp.torch;

namespace NeuralStyle.FastPainters;

/// <summary>
/// A pair of frames for the temporal loss and the motion between them: made from still photos
/// (<see cref="KnownMotion"/>) or taken from real clips (<see cref="ClipMotion"/>).
/// </summary>
internal interface ITrainingMotion : IDisposable
{
    /// <summary>[N, 1, H, W]: 1 where the second frame shows what the first showed and the motion is trusted, else 0 (in between near an edge).</summary>
    Tensor Inside { get; }

    /// <summary>The first frames, made from the step's crops [N, C, H, W].</summary>
    Tensor First(Tensor scene);

    /// <summary>The second frames.</summary>
    Tensor Second(Tensor scene);

    /// <summary>The pictures of the first frames carried along the motion onto the second frames.</summary>
    Tensor Carried(Tensor picturesOfFirst);

    /// <summary>The temporal loss between the pictures of the second frames and the first frames' carried to them.</summary>
    Tensor Loss(Tensor picturesOfSecond, Tensor picturesCarried);

    /// <summary>The feature-level temporal loss between the painter's features of the second frames and of the first (<see cref="TemporalLoss.OfFeatures"/>).</summary>
    Tensor FeatureLoss(Tensor featuresOfSecond, Tensor featuresOfFirst);
}
