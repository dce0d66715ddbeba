namespace NeuralStyle.Networks;

/// <summary>
/// The settings each network starts from, chosen by results so that a user need not search for
/// weights: the paper's for VGG-19; for the built-in ResNet-18 the method compared in the README
/// (Adam from the content image, random shifts of up to 16 px, content loss as a mean).
/// </summary>
/// <param name="Network">The network's name on the command line.</param>
/// <param name="ContentLayers">Content layers.</param>
/// <param name="StyleLayers">Style layers, each weighted 1/count.</param>
/// <param name="ContentWeight">α.</param>
/// <param name="StyleWeight">β.</param>
/// <param name="Iterations">Optimiser iterations.</param>
/// <param name="Optimizer">The optimiser.</param>
/// <param name="Init">The starting image.</param>
/// <param name="Jitter">Largest random shift, in pixels, of the image at each evaluation (0: none).</param>
/// <param name="AverageDecay">Decay of the moving average of the iterates that is returned (0: the last iterate).</param>
/// <param name="MeanContentLoss">
/// True to average the content loss over the layer's elements instead of summing it (the paper's ½ Σ),
/// so that α/β keeps its balance at every image size.
/// </param>
public sealed record NetworkDefaults(
    string Network,
    IReadOnlyList<string> ContentLayers,
    IReadOnlyList<string> StyleLayers,
    double ContentWeight,
    double StyleWeight,
    int Iterations,
    OptimizerKind Optimizer,
    string Init,
    int Jitter,
    double AverageDecay,
    bool MeanContentLoss)
{
    /// <summary>The paper: conv4_2 content, conv1_1 … conv5_1 style, α/β = 1e-3, L-BFGS from noise.</summary>
    public static NetworkDefaults Vgg19 { get; } = new(
        "vgg19", ["conv4_2"], ["conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"], 1, 1e3, 500, OptimizerKind.Lbfgs, "noise", 0, 0, false);

    /// <summary>The built-in ResNet-18.</summary>
    public static NetworkDefaults ResNet18 { get; } = new(
        "resnet18", ["layer2"], ["conv1", "layer1", "layer2", "layer3", "layer4"], 1, 100, 200, OptimizerKind.Adam, "content", 16, 0, true);

    /// <summary>The defaults of a network by name.</summary>
    public static NetworkDefaults For(string network) => network switch
    {
        "vgg19" => Vgg19,
        "resnet18" => ResNet18,
        _ => throw new StyleTransferException($"--network {network} is not available (available: auto, vgg19, resnet18)"),
    };

    /// <summary>The learning rate for an optimiser: 1 for L-BFGS (the authors' value); for Adam, in 0–255 pixel units, 4 from the content image and 10 from noise.</summary>
    public double LearningRate(OptimizerKind optimizer, string init) =>
        optimizer == OptimizerKind.Lbfgs ? 1.0 : init == "content" ? 4.0 : 10.0;
}
