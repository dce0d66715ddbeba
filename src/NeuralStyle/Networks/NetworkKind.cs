namespace NeuralStyle.Networks;

/// <summary>The network whose responses define content and style.</summary>
public enum NetworkKind
{
    /// <summary>VGG-19 when its weights are given or found in the PyTorch cache, else the built-in ResNet-18.</summary>
    Auto,

    /// <summary>The paper's VGG-19, from a weight file.</summary>
    Vgg19,

    /// <summary>VGG-16, from a weight file (asked for by name: auto never takes it).</summary>
    Vgg16,

    /// <summary>The ImageNet ResNet-18 that ships with the library.</summary>
    ResNet18,
}

/// <summary>Names of networks as the command line writes them.</summary>
public static class NetworkKindNames
{
    /// <summary>The lower-case name: <c>auto</c>, <c>vgg19</c>, <c>vgg16</c> or <c>resnet18</c>.</summary>
    public static string Name(this NetworkKind network) => network.ToString().ToLowerInvariant();
}
