using static TorchSharp.torch;

namespace NeuralStyle;

/// <summary>
/// The loss terms of Gatys, Ecker &amp; Bethge (2015), in the paper's notation: F the layer's
/// responses (N filters × M positions), P the photo's responses, G = F Fᵀ and A the painting's Gram matrix.
/// </summary>
public static class Losses
{
    /// <summary>The Gram matrix G = F Fᵀ of responses [1, N, H, W]: an N × N matrix.</summary>
    public static Tensor Gram(Tensor responses)
    {
        var filters = responses.shape[1];
        var f = responses.reshape(filters, -1);
        return f.mm(f.t());
    }

    /// <summary>Content loss ½ Σ (F − P)².</summary>
    public static Tensor Content(Tensor responses, Tensor target) => (responses - target).square().sum() * 0.5;

    /// <summary>One layer's style loss E_l = Σ (G − A)² / (4 N² M²).</summary>
    public static Tensor StyleLayer(Tensor responses, Tensor targetGram)
    {
        double n = responses.shape[1];
        double m = responses.shape[2] * responses.shape[3];
        return (Gram(responses) - targetGram).square().sum() / (4.0 * n * n * m * m);
    }

    /// <summary>
    /// w · ½ Σ (F − P)² and its gradient w · (F − P) with respect to F, computed directly: the objective
    /// hands such gradients to one backward pass through the network instead of recording the loss
    /// arithmetic for autograd.
    /// </summary>
    public static (Tensor Value, Tensor Gradient) ContentWithGradient(Tensor responses, Tensor target, double weight)
    {
        var difference = responses - target;
        return (difference.square().sum() * (0.5 * weight), difference.mul_(weight));
    }

    /// <summary>
    /// w · E_l and its gradient w · (G − A) F / (N² M²) with respect to F, computed directly: autograd
    /// would multiply by F twice (once for each factor of F Fᵀ) where the symmetry of G − A needs one
    /// product, and would scale the full-size gradient where scaling the N × N matrix is enough.
    /// </summary>
    public static (Tensor Value, Tensor Gradient) StyleLayerWithGradient(Tensor responses, Tensor targetGram, double weight)
    {
        double n = responses.shape[1];
        double m = responses.shape[2] * responses.shape[3];
        var f = responses.reshape(responses.shape[1], -1);
        var difference = f.mm(f.t()) - targetGram;
        var value = difference.square().sum() * (weight / (4.0 * n * n * m * m));
        var scaled = difference.mul_(weight / (n * n * m * m));

        // Channels-last responses make Fᵀ the contiguous operand; multiplying it keeps the gradient in
        // the responses' own layout, so the backward pass reads it without a transposing copy.
        var fTransposed = f.t();
        var gradient = fTransposed.is_contiguous() ? fTransposed.mm(scaled).t() : scaled.mm(f);
        return (value, gradient.reshape(responses.shape));
    }

    /// <summary>Total variation Σ (x[i, j+1] − x[i, j])² + (x[i+1, j] − x[i, j])² over an image [1, C, H, W].</summary>
    public static Tensor TotalVariation(Tensor image)
    {
        var dx = image[.., .., .., 1..] - image[.., .., .., ..^1];
        var dy = image[.., .., 1.., ..] - image[.., .., ..^1, ..];
        return dx.square().sum() + dy.square().sum();
    }
}
