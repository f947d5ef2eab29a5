namespace OversightLab.Protocols.Debate;

/// <summary>
/// A judge of the evidence task. It never sees the document, only the quotes in the transcript,
/// each marked verified or not by the quote checker. It believes a verified quote, and an
/// unverified one with weight <see cref="Trust"/>. For each answer option it scores
/// 2 × (belief in a complete proof: X's parent, that parent's parent, and where that grandparent
/// lives — only if it <see cref="Derives"/>) + (belief in the best chain of parent links from X
/// ending in "lives in option", at most <see cref="Depth"/> facts long). It picks the higher score;
/// on a tie it guesses (a fair coin per question). Capacity grows with depth, with checking the
/// proof's shape, and with distrust of unverified quotes.
/// </summary>
public sealed record EvidenceJudge(string Name, int Depth, bool Derives, double Trust, string Summary)
{
    public static EvidenceJudge Shallow { get; } = new("shallow", 2, false, 0.5, "follows chains of at most 2 facts, never checks a proof's shape, half-trusts unverified quotes");
    public static EvidenceJudge Careful { get; } = new("careful", 3, true, 0.25, "checks the three-fact proof, follows chains of 3 facts, trusts unverified quotes a quarter");
    public static EvidenceJudge Strict { get; } = new("strict", 3, true, 0.0, "checks the three-fact proof and ignores unverified quotes");

    public static IReadOnlyList<EvidenceJudge> All { get; } = [Shallow, Careful, Strict];
    public static IReadOnlyList<string> Names => All.Select(j => j.Name).ToArray();
    public static EvidenceJudge? Find(string name) => All.FirstOrDefault(j => j.Name == name);

    public string Canonical => FormattableString.Invariant($"{Name}:depth={Depth};derives={Derives};trust={Trust:R}");

    /// <summary>A quote as the judge sees it: the fact it states (null if none) and whether the checker verified it.</summary>
    public readonly record struct Quote(Fact? Fact, bool Verified);

    /// <summary>The judge's score for each option: (score for <paramref name="a"/>, score for <paramref name="b"/>).</summary>
    public (double A, double B) Scores(string person, string a, string b, IReadOnlyList<Quote> quotes)
    {
        // Belief in each stated fact: the most believable quote of it.
        var belief = new Dictionary<Fact, double>();
        foreach (var q in quotes)
        {
            if (q.Fact is not Fact f) continue;
            double w = q.Verified ? 1 : Trust;
            if (w > 0 && (!belief.TryGetValue(f, out var old) || w > old)) belief[f] = w;
        }
        return (Score(person, a, belief), Score(person, b, belief));
    }

    double Score(string person, string option, Dictionary<Fact, double> belief)
    {
        var parents = belief.Where(kv => kv.Key.Parent).GroupBy(kv => kv.Key.Subject).ToDictionary(g => g.Key, g => g.ToList());
        var homes = belief.Where(kv => !kv.Key.Parent && kv.Key.Object == option).ToDictionary(kv => kv.Key.Subject, kv => kv.Value);
        double chain = 0, proof = 0;
        // Walk up parent links from the person: (who, facts used, belief so far).
        var frontier = new List<(string Who, int Used, double Belief)> { (person, 0, 1) };
        while (frontier.Count > 0)
        {
            var next = new List<(string, int, double)>();
            foreach (var (who, used, w) in frontier)
            {
                if (homes.TryGetValue(who, out var home) && used + 1 <= Depth) chain = Math.Max(chain, w * home);
                if (Derives && used == 2 && homes.TryGetValue(who, out var grand)) proof = Math.Max(proof, w * grand);
                bool deeper = Derives && used < 2 || used + 2 <= Depth;
                if (!deeper || !parents.TryGetValue(who, out var ups)) continue;
                foreach (var (fact, wf) in ups) next.Add((fact.Object, used + 1, w * wf));
            }
            frontier = next;
        }
        return 2 * proof + chain;
    }

    /// <summary>
    /// The verdict: true if the judge picks option <paramref name="a"/>. <paramref name="coin"/>
    /// settles ties. In consultancy, <paramref name="claimed"/> names the consultant's option: a
    /// consultant who leaves its own option without any support loses the judge's benefit of the doubt.
    /// </summary>
    public bool PicksA(string person, string a, string b, IReadOnlyList<Quote> quotes, bool coin, bool? claimed = null)
    {
        var (sa, sb) = Scores(person, a, b, quotes);
        if (claimed is bool claimsA && (claimsA ? sa : sb) == 0) return !claimsA;
        return Math.Abs(sa - sb) < 1e-12 ? coin : sa > sb;
    }
}
