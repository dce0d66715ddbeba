using NeuralStyle.Platform;
using static TorchSharp.torch;

namespace NeuralStyle.Objective.Terms;

/// <summary>
/// α Σ_l ½ Σ (F_l − P_l)² over the content layers, P the photo's responses (or their mean, with
/// <see cref="ObjectiveSettings.MeanContentLoss"/>); with a <see cref="ContentHold"/>, α rises where the
/// picture has strayed from the photo, read from each evaluation and applied at the next.
/// </summary>
internal sealed class ContentTerm : IResponseTerm
{
    private readonly ResponseReader reader;
    private readonly Tensor photo;
    private readonly ObjectiveSettings settings;

    // With settings.Hold: ½ Σ w_l ‖P_l‖² (the term's value at α 1 where F is 0), and what α is multiplied by now.
    private readonly double energy;
    private double holdFactor = 1;

    /// <summary>Reads the photo's responses, RGB 0–255 [1, 3, H, W], at the content layers.</summary>
    public ContentTerm(ResponseReader reader, Tensor photo, ObjectiveSettings settings)
    {
        (this.reader, this.settings) = (reader, settings);
        this.photo = photo.detach().DetachFromDisposeScope();
        Targets = reader.Responses(photo, settings.ContentLayers).ToDictionary(t => t.Key, t => t.Value.DetachFromDisposeScope());
        energy = settings.Hold is null ? 0
            : Targets.Values.Sum(p => 0.5 * Losses.Widened(p).Squared().sum(ScalarType.Float64).item<double>() / (settings.MeanContentLoss ? p.numel() : 1));
    }

    /// <summary>P: the photo's responses at each content layer.</summary>
    public IReadOnlyDictionary<string, Tensor> Targets { get; }

    /// <inheritdoc />
    public TermGroup Group => TermGroup.Content;

    /// <inheritdoc />
    public IReadOnlyCollection<string> Layers => settings.ContentLayers;

    // α at this evaluation: the setting's, times its rise where the picture has strayed.
    private double Alpha => settings.ContentWeight * holdFactor;

    /// <inheritdoc />
    public Tensor Evaluate(PictureResponses picture, Dictionary<string, Tensor> gradients)
    {
        var targets = TargetsAt(picture.Context);
        var content = zeros(1, dtype: float64, device: photo.device);
        foreach (var layer in settings.ContentLayers)
        {
            var (value, gradient) = Losses.ContentWithGradient(picture[layer], targets[layer], LayerWeight(targets[layer]));
            content.PlusInPlace(value);
            Gradients.Add(gradients, layer, gradient);
        }

        return content;
    }

    /// <inheritdoc />
    public ITiledTerm Tiled(EvaluationContext context) => new TiledContent(this, TargetsAt(context));

    /// <inheritdoc />
    public void Observe(LossTerms values)
    {
        if (settings.Hold is { } hold && Alpha > 0 && energy > 0)
        {
            var strayed = values.Content / (Alpha * energy);
            holdFactor = 1 + (hold.Pull * Math.Max(0, strayed - hold.Tolerance));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        photo.Dispose();
        foreach (var target in Targets.Values)
        {
            target.Dispose();
        }
    }

    // The photo's responses where the picture's are read: the targets, or the photo shifted as the picture is.
    private IReadOnlyDictionary<string, Tensor> TargetsAt(EvaluationContext context) =>
        context.Shift == default ? Targets : reader.Responses(context.Shifted(photo), settings.ContentLayers);

    // α, over one picture's elements at the layer when the loss is a mean.
    private double LayerWeight(Tensor target) => Alpha / (settings.MeanContentLoss ? target.numel() : 1);

    // Each tile's share of the term is its own; smoothed, the softmax's gradient needs Σ s² and Σ P s
    // per channel over the whole picture, which the first pass gathers.
    private sealed class TiledContent(ContentTerm term, IReadOnlyDictionary<string, Tensor> targets) : ITiledTerm
    {
        private readonly Dictionary<string, (Tensor Squares, Tensor TargetProducts)> sums = [];

        public IReadOnlyCollection<string> Gathered => term.reader.Smoothing ? term.settings.ContentLayers : [];

        public void Gather(string layer, Tensor inner, TilePlace place)
        {
            var wide = Losses.Widened(inner);
            var squares = wide.Squared().sum([0, 2, 3]);
            var products = (wide * place.Of(targets[layer])).sum([0, 2, 3]);
            sums[layer] = sums.TryGetValue(layer, out var sum)
                ? (sum.Squares.PlusInPlace(squares), sum.TargetProducts.PlusInPlace(products))
                : (squares.MoveToOuterDisposeScope(), products.MoveToOuterDisposeScope());
        }

        public Tensor Conclude() => zeros(1, dtype: float64, device: term.photo.device);

        public Tensor? AddGradient(string layer, Tensor inner, TilePlace place, Tensor innerGradient)
        {
            var (value, gradient) = Losses.ContentWithGradient(inner, place.Of(targets[layer]), term.LayerWeight(targets[layer]));
            innerGradient.PlusInPlace(gradient);
            return value;
        }

        public Tensor? SmoothingSum(string layer) => sums.TryGetValue(layer, out var sum)
            ? (sum.Squares - sum.TargetProducts).Times(term.LayerWeight(targets[layer]))
            : null;
    }
}
