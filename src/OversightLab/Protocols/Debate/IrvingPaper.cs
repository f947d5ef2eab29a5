namespace OversightLab.Protocols.Debate;

/// <summary>
/// The numbers Irving, Christiano &amp; Amodei (2018, section 3.1) report for MNIST debate, as
/// fractions (judge: the paper's CNN trained on 60k images; debaters: MCTS, 10k rollouts per move).
/// The per-first-mover values come from a secondary source and may be off by a little.
/// </summary>
public static class IrvingPaper
{
    public static double? JudgeAlone(int pixels) => pixels switch { 6 => 0.594, 4 => 0.482, _ => null };

    /// <summary>Honest win rate; <paramref name="honestFirst"/> null for the paper's average over first movers.</summary>
    public static double? Debate(int pixels, bool precommit, bool? honestFirst) => (pixels, precommit, honestFirst) switch
    {
        (6, true, null) => 0.889,
        (4, true, null) => 0.852,
        (6, true, true) => 0.874,
        (6, true, false) => 0.904,
        (4, true, true) => 0.838,
        (4, true, false) => 0.867,
        (6, false, true) => 0.674,
        (6, false, false) => 0.815,
        (4, false, true) => 0.510,
        (4, false, false) => 0.684,
        _ => null,
    };
}
