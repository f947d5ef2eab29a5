namespace OversightLab.Protocols.Debate;

/// <summary>
/// One MNIST debate (Irving et al. 2018, section 3.1). Only the debaters see the image. The honest
/// debater claims <see cref="Truth"/>; with precommit the liar claims <see cref="Lie"/> up front,
/// without it (<see cref="Lie"/> = <see cref="NoPrecommit"/>) the liar never names a lie and wins
/// whenever the judge's top digit is not the truth. The debaters alternate revealing one nonzero
/// pixel each, k in all; then the judge, seeing only the revealed pixels, rules.
/// </summary>
public sealed record PixelGame(int Image, int Truth, int Lie, bool HonestFirst)
{
    public const int NoPrecommit = -1;

    public bool Precommit => Lie != NoPrecommit;

    /// <summary>Whether the honest debater reveals the pixel number <paramref name="ply"/> (0-based).</summary>
    public bool HonestMoves(int ply) => ply % 2 == 0 == HonestFirst;

    /// <summary>
    /// The judge's margin for the truth, from its logits on the final mask: with precommit
    /// logit(truth) − logit(lie) — the judge picks the higher of the two claims; without,
    /// logit(truth) − max over other digits. The honest debater wins iff the margin is positive.
    /// </summary>
    public float Margin(ReadOnlySpan<float> logits)
    {
        if (Precommit) return logits[Truth] - logits[Lie];
        float other = float.NegativeInfinity;
        for (int d = 0; d < logits.Length; d++) if (d != Truth) other = Math.Max(other, logits[d]);
        return logits[Truth] - other;
    }

    /// <summary>The games that decide one image: with precommit, one per lie (the liar wins the image if any lie wins); else one.</summary>
    public static IEnumerable<PixelGame> ForImage(int image, int truth, bool precommit, bool honestFirst) =>
        precommit
            ? Enumerable.Range(0, SparseJudge.Classes).Where(d => d != truth).Select(lie => new PixelGame(image, truth, lie, honestFirst))
            : [new PixelGame(image, truth, NoPrecommit, honestFirst)];

    /// <summary>A value in [−1, 1] for the honest debater: exact (±1; a tie goes to the liar) when the game is over, else tanh(margin/2) = 2σ(margin) − 1.</summary>
    public static float Value(float margin, bool final) => final ? (margin > 0 ? 1f : -1f) : MathF.Tanh(margin / 2);
}
