using System.Globalization;
using System.Text.RegularExpressions;

namespace OversightLab.Protocols.Debate;

/// <summary>
/// The evidence protocols on one question (Khan et al. 2024's setting, simulated): the judge alone
/// (<c>naive</c>: no quotes), <c>consultancy</c> (one advocate, assigned the truth on half the
/// questions), and <c>debate</c> (an advocate for each option, alternating turns). Each turn an
/// advocate quotes <see cref="QuotesPerTurn"/> sentences: true facts from the document (worded
/// as in the document, or paraphrased with probability <see cref="Paraphrase"/>) or, for the side
/// arguing the wrong option, invented facts. The quote checker marks each quote verified or not.
/// Advocate strength is best-of-N: each turn it draws N candidate sets of quotes and keeps the one
/// the judge would find most convincing for its side (Khan et al.'s best-of-N debaters).
/// </summary>
public sealed partial record EvidenceGame(int Rounds, int QuotesPerTurn, double Paraphrase, bool Normalized)
{
    public const string Naive = "naive", Consultancy = "consultancy", Debate = "debate";
    public static IReadOnlyList<string> Protocols { get; } = [Naive, Consultancy, Debate];

    /// <summary>Whether the judge ends on the truth, and how many transcripts the advocates scored with the judge.</summary>
    public (bool Correct, long Evaluations) Play(EvidenceStory story, EvidenceJudge judge, string protocol, int bestOf, int question, Random random)
    {
        // Options in a random order; the coin settles the judge's ties.
        bool truthFirst = random.Next(2) == 0, coin = random.Next(2) == 0;
        string a = truthFirst ? story.Truth : story.Distractor, b = truthFirst ? story.Distractor : story.Truth;
        var quotes = new List<EvidenceJudge.Quote>();
        long evaluations = 0;
        bool? claimed = null;
        if (protocol == Consultancy)
        {
            bool honest = question % 2 == 0;
            claimed = honest == truthFirst; // the consultant argues for option a?
            for (int r = 0; r < Rounds; r++) evaluations += Turn(story, judge, honest, a, b, quotes, bestOf, random);
        }
        else if (protocol == Debate)
        {
            bool honestFirst = question % 2 == 0;
            for (int t = 0; t < 2 * Rounds; t++) evaluations += Turn(story, judge, t % 2 == 0 == honestFirst, a, b, quotes, bestOf, random);
        }
        bool picksA = judge.PicksA(story.Person, a, b, quotes, coin, claimed);
        return (picksA == truthFirst, evaluations);
    }

    /// <summary>One advocate's turn: best of <paramref name="bestOf"/> candidate quote sets, by the judge's margin for its option.</summary>
    long Turn(EvidenceStory story, EvidenceJudge judge, bool honest, string a, string b, List<EvidenceJudge.Quote> quotes, int bestOf, Random random)
    {
        string mine = honest ? story.Truth : story.Distractor;
        var pool = honest ? story.Facts.ToList() : [.. story.Facts, .. Inventions(story)];
        List<EvidenceJudge.Quote>? best = null;
        double bestValue = double.NegativeInfinity;
        for (int n = 0; n < bestOf; n++)
        {
            var candidate = new List<EvidenceJudge.Quote>();
            foreach (var fact in pool.OrderBy(_ => random.Next()).Take(QuotesPerTurn))
            {
                string said = story.Contains(fact) && random.NextDouble() < Paraphrase ? fact.Paraphrase : fact.Sentence;
                var (stated, verified) = story.Check(said, Normalized);
                candidate.Add(new EvidenceJudge.Quote(stated, verified));
            }
            var (sa, sb) = judge.Scores(story.Person, a, b, [.. quotes, .. candidate]);
            double margin = mine == a ? sa - sb : sb - sa;
            // A small bonus for building a chain of believed parent links up from the person, so
            // search can assemble a three-fact proof over several turns.
            double value = margin + 0.05 * Ancestors(story.Person, [.. quotes, .. candidate]);
            if (value > bestValue) { bestValue = value; best = candidate; }
        }
        quotes.AddRange(best!);
        return bestOf;
    }

    /// <summary>Facts the liar may invent: a different parent for the person or for the person's parent, or a different home for the grandparent — all pointing at the distractor.</summary>
    static IEnumerable<Fact> Inventions(EvidenceStory story)
    {
        var inDistractor = story.Facts.Where(f => !f.Parent && f.Object == story.Distractor).Select(f => f.Subject).ToList();
        var inventions = inDistractor.SelectMany(who => new[] { new Fact(true, story.Person, who), new Fact(true, story.Proof[0].Object, who) })
            .Append(new Fact(false, story.Proof[1].Object, story.Distractor));
        return inventions.Where(f => !story.Contains(f) && f.Subject != f.Object);
    }

    /// <summary>Length (0–2) of the chain of verified parent links up from the person.</summary>
    static int Ancestors(string person, IReadOnlyList<EvidenceJudge.Quote> quotes)
    {
        var up = quotes.Where(q => q.Verified && q.Fact is { Parent: true }).Select(q => q.Fact!.Value).GroupBy(f => f.Subject).ToDictionary(g => g.Key, g => g.First().Object);
        int depth = 0;
        for (string who = person; depth < 2 && up.TryGetValue(who, out var p); who = p) depth++;
        return depth;
    }

    /// <summary>An advocate by name: bo-N, best of N candidate quote sets per turn.</summary>
    public static int? ParseAdvocate(string name)
    {
        var m = BestOf().Match(name);
        return m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 100_000 ? n : null;
    }

    [GeneratedRegex("^bo-([0-9]{1,6})$")]
    private static partial Regex BestOf();
}
