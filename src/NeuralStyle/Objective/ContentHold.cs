namespace NeuralStyle.Objective;

/// <summary>
/// A content weight that rises where the picture strays from the photo: once the content responses'
/// squared distance from the photo's passes <paramref name="Tolerance"/> of the photo's own energy
/// (r = Σ w_l ‖F_l − P_l‖² / Σ w_l ‖P_l‖², w_l each layer's weight), α is multiplied by
/// 1 + <paramref name="Pull"/> · (r − Tolerance). A photo the painting would paint over (a close-up
/// whose one large form is the painting's stroke size) keeps its subject, while one the painting
/// leaves recognisable keeps the looser hold that lets its large strokes form.
/// </summary>
/// <param name="Tolerance">The share of the photo's content energy the picture may stray by at α.</param>
/// <param name="Pull">How fast α rises past it.</param>
public sealed record ContentHold(double Tolerance, double Pull);
