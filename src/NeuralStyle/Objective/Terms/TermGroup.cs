namespace NeuralStyle.Objective.Terms;

/// <summary>The part of <see cref="LossTerms"/> a term's value is reported in.</summary>
internal enum TermGroup
{
    /// <summary>α · L_content.</summary>
    Content,

    /// <summary>β · L_style and the terms that follow the painting (its reduced copy, its palette).</summary>
    Style,

    /// <summary>Smoothness.</summary>
    TotalVariation,

    /// <summary>A video frame's hold on the frames before it.</summary>
    Temporal,
}
