using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Networks;

/// <summary>How a network's weights expect their input image, decided by the weight file's key layout.</summary>
public enum InputConvention
{
    /// <summary>The Caffe VGG-19 the paper used: BGR, 0–255, minus the mean [103.939, 116.779, 123.68].</summary>
    CaffeBgr,

    /// <summary>torchvision: RGB in [0, 1], normalised by the ImageNet mean and standard deviation.</summary>
    TorchvisionRgb,
}

/// <summary>Maps an RGB image in 0–255 (shape [1, 3, H, W]) into a network's input space.</summary>
public static class InputConventionExtensions
{
    private static readonly double[] CaffeMeanBgr = [103.939, 116.779, 123.68];
    private static readonly double[] ImageNetMean = [0.485, 0.456, 0.406];
    private static readonly double[] ImageNetStd = [0.229, 0.224, 0.225];

    /// <summary>The network input for <paramref name="rgb255"/>; differentiable, so gradients reach the pixels.</summary>
    public static Tensor ToNetworkInput(this InputConvention convention, Tensor rgb255)
    {
        using var scope = NewDisposeScope();
        var input = convention == InputConvention.CaffeBgr
            ? rgb255.flip(1) - Column(CaffeMeanBgr, rgb255)
            : (rgb255.Over(255.0) - Column(ImageNetMean, rgb255)) / Column(ImageNetStd, rgb255);
        return input.MoveToOuterDisposeScope();
    }

    private static Tensor Column(double[] values, Tensor like) =>
        tensor(values, dtype: like.dtype, device: like.device).reshape(1, 3, 1, 1);
}
