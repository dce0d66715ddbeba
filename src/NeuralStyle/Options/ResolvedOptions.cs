using NeuralStyle.Networks;
using NeuralStyle.Objective;
using NeuralStyle.Optimization;

namespace NeuralStyle;

/// <summary>
/// The options resolved against the chosen network's defaults: what every photo of a job shares (its
/// precision already resolved from <see cref="Precision.Auto"/>).
/// </summary>
/// <param name="Options">The options as given, the precision resolved.</param>
/// <param name="Defaults">The chosen network's defaults, which fill what the options leave open.</param>
/// <param name="Objective">The loss terms, their layers (canonical names) and weights.</param>
/// <param name="Synthesis">The optimiser and its schedule.</param>
/// <param name="CoarseLayers">The style layers a coarse painting supplies; null without one.</param>
internal sealed record ResolvedOptions(StyleTransferOptions Options, NetworkDefaults Defaults, ObjectiveSettings Objective, SynthesisSettings Synthesis, IReadOnlyList<string>? CoarseLayers)
{
    /// <summary>Resolves <paramref name="options"/> for <paramref name="network"/>, whose defaults are <paramref name="defaults"/>.</summary>
    /// <exception cref="StyleTransferException">A layer the network lacks, or a <c>--coarse-from</c> that is not one of the style layers.</exception>
    public static ResolvedOptions For(StyleTransferOptions options, IFeatureNetwork network, NetworkDefaults defaults, bool coarsePainting)
    {
        var synthesis = SynthesisSettingsFor(options, defaults);
        var objective = ObjectiveSettingsFor(options, defaults, network, synthesis.Optimizer);
        return new ResolvedOptions(options, defaults, objective, synthesis, coarsePainting ? CoarseLayersOf(options, objective, network) : null);
    }

    /// <summary>
    /// The objective at scale <paramref name="scale"/> of <paramref name="scales"/>, evaluated in tiles of
    /// <paramref name="tile"/> (0: whole): a coarse scale weighs the content by the network's coarse share.
    /// </summary>
    public ObjectiveSettings ObjectiveAt(int scale, int scales, int tile) => Objective with
    {
        Tile = tile,
        ContentWeight = scale < scales - 1 ? Objective.ContentWeight * Defaults.CoarseContentShare : Objective.ContentWeight,
    };

    private static ObjectiveSettings ObjectiveSettingsFor(StyleTransferOptions options, NetworkDefaults defaults, IFeatureNetwork network, OptimizerKind optimizer)
    {
        string Checked(string layer)
        {
            var canonical = network.Canonical(layer)
                ?? throw new StyleTransferException($"{defaults.Network.Name()} has no layer '{layer}' (layers: {string.Join(", ", network.Layers)})");
            return network.Unavailable(canonical) is { } reason ? throw new StyleTransferException(reason) : canonical;
        }

        var contentLayers = (options.ContentLayers ?? defaults.ContentLayers).Select(Checked).Distinct().ToArray();
        var styleNames = options.StyleLayers ?? defaults.StyleLayers;
        var styleWeights = options.StyleLayerWeights
            ?? (options.StyleLayers is null ? defaults.StyleLayerWeights : [.. styleNames.Select(_ => 1.0 / styleNames.Count)]);
        var styleLayers = styleNames.Select((l, i) => (Checked(l), styleWeights[i])).ToArray();
        var twice = styleLayers.GroupBy(l => l.Item1).FirstOrDefault(g => g.Count() > 1)?.Key;
        StyleTransfer.Require(twice is null, nameof(StyleTransferOptions.StyleLayers), $"names {twice} twice; give each layer once (its weight in {{StyleLayerWeights}})");
        return new ObjectiveSettings(
            contentLayers,
            styleLayers,
            options.ContentWeight ?? defaults.ContentWeight,
            (options.StyleWeight ?? defaults.StyleWeight) * options.StyleStrength,
            options.TvWeight,
            defaults.MeanContentLoss,
            options.SoftmaxSmoothing,
            (options.PaletteWeight ?? defaults.PaletteWeight) * options.StyleStrength,
            options.Tile,
            // Adam only: L-BFGS's line search needs an objective that stays put between evaluations.
            optimizer == OptimizerKind.Adam ? defaults.ContentHold : null,
            (options.ReducedStyleWeight ?? defaults.ReducedStyle.Share) is > 0 and var share ? defaults.ReducedStyle with { Share = share } : null,
            options.StyleLoss);
    }

    private static SynthesisSettings SynthesisSettingsFor(StyleTransferOptions options, NetworkDefaults defaults)
    {
        var optimizer = options.Optimizer ?? defaults.Optimizer;
        return new SynthesisSettings(
            optimizer,
            options.LearningRate ?? defaults.LearningRate(optimizer, options.Init ?? defaults.Init),
            options.Iterations ?? defaults.Iterations,
            options.Jitter ?? defaults.Jitter,
            options.Seed,
            options.AverageDecay ?? defaults.AverageDecay,
            options.LbfgsHistory,
            options.LearningRateEnd ?? defaults.LearningRateEnd,
            options.GradientSmoothing ?? defaults.GradientSmoothing);
    }

    // The style layers the coarse painting supplies: from --coarse-from on (default: the middle one on).
    private static string[] CoarseLayersOf(StyleTransferOptions options, ObjectiveSettings objective, IFeatureNetwork network)
    {
        var layers = objective.StyleLayers.Select(s => s.Layer).ToList();
        var first = options.CoarseFrom is null ? layers.Count / 2 : layers.IndexOf(network.Canonical(options.CoarseFrom) ?? options.CoarseFrom);
        StyleTransfer.Require(first >= 0, nameof(StyleTransferOptions.CoarseFrom), $"{options.CoarseFrom}: not one of the style layers ({string.Join(", ", layers)})");
        StyleTransfer.Require(first > 0, nameof(StyleTransferOptions.CoarseFrom), $"{options.CoarseFrom}: the first style layer would leave nothing to the painting; give the coarse image as the painting instead");
        return [.. layers.Skip(first)];
    }
}
