using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Networks;

/// <summary>What a network's convolutions cost on an image of a given size, up to the deepest layer asked for.</summary>
/// <param name="ForwardFlops">Floating-point operations of the convolutions in one forward pass (a multiply-add is two).</param>
/// <param name="ConvolutionOutputs">Elements of all convolution outputs: the activations a backward pass keeps, give or take a constant factor.</param>
public sealed record NetworkCost(double ForwardFlops, double ConvolutionOutputs)
{
    // Counting runs the network once on an image no larger than this, and scales by area.
    private const int CountingSide = 256;

    /// <summary>
    /// Counts the convolutions that computing <paramref name="layers"/> (canonical names) runs on a
    /// <paramref name="height"/> × <paramref name="width"/> image. The network runs once, without
    /// gradients, on a copy of the size scaled down to 256 px, so this is cheap at any size; the counts
    /// grow with the area, exactly for VGG-19 and to within rounding at strided layers.
    /// </summary>
    public static NetworkCost Count(IFeatureNetwork network, IReadOnlyCollection<string> layers, int height, int width)
    {
        var scale = Math.Min(1.0, (double)CountingSide / Math.Max(height, width));
        var (h, w) = (Math.Max(1, (int)Math.Round(height * scale)), Math.Max(1, (int)Math.Round(width * scale)));
        var module = (nn.Module)network;
        var (flops, outputs) = (0.0, 0.0);
        var hooks = module.modules().OfType<Conv2d>().Select(conv => conv.register_forward_hook((m, input, output) =>
        {
            var c = (Conv2d)m;
            var weight = c.weight!;
            flops += 2.0 * output.numel() * weight.shape[1] * weight.shape[2] * weight.shape[3];
            outputs += output.numel();
            return output;
        })).ToList();
        try
        {
            using var scope = NewDisposeScope();
            using (no_grad())
            {
                var device = module.parameters().First().device;
                network.Activations(zeros(1, 3, h, w, device: device), layers);
            }
        }
        finally
        {
            hooks.ForEach(hook => hook.remove());
        }

        var area = (double)height * width / (h * w);
        return new NetworkCost(flops * area, outputs * area);
    }
}
