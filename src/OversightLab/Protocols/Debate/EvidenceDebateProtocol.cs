// Naive judging vs consultancy vs debate with hidden evidence — after Khan et al. 2024
// ("Debating with More Persuasive LLMs Leads to More Truthful Answers": QuALITY stories hidden
// from the judge, verified quotes, best-of-N debaters) and Michael et al. 2023, simulated without
// language models. A question's evidence is a hidden document of family and city facts; the answer
// (where X's grandparent lives) takes three sentences to prove, and true sentences can also be
// strung into a misleading chain towards the distractor (where X's parent lives). Judges of three
// capacities see only quoted sentences, checked word for word (exact) or up to case, punctuation
// and wording (normalized). Advocates' strength is best-of-N over candidate quote sets, scored by
// the judge itself. Where we differ: judges and advocates are programs, not LLMs; the task is
// synthetic; everything is two-option, as in Khan et al.
using System.Globalization;
using OversightLab.Experiments;
using OversightLab.Metrics;
using OversightLab.Protocols.WeakToStrong;
using OversightLab.Reports;
using OversightLab.Training;

namespace OversightLab.Protocols.Debate;

/// <summary>An evidence-debate definition's keys, typed.</summary>
public sealed record EvidenceSettings(int People, int Questions, IReadOnlyList<EvidenceJudge> Judges, IReadOnlyList<string> Advocates,
    IReadOnlyList<string> Protocols, IReadOnlyList<string> Verification, double Paraphrase, int Rounds, int QuotesPerTurn);

/// <summary>One (judge, protocol, advocate, verification, seed) over the questions.</summary>
public sealed record EvidenceCell(int Index, int People, int Questions, EvidenceJudge Judge, string Protocol, string Advocate, string Verification,
    double Paraphrase, int Rounds, int QuotesPerTurn, int Seed) : ICell
{
    public const string ProtocolVersion = "evidence-1";

    public string Id => W2sCell.Hash(string.Join('|', ProtocolVersion, $"people={People}", $"questions={Questions}", Judge.Canonical, Protocol, Advocate, Verification,
        $"paraphrase={Paraphrase.ToString("R", CultureInfo.InvariantCulture)}", $"rounds={Rounds}", $"quotes={QuotesPerTurn}", $"seed={Seed}"));

    public string Label => Protocol == EvidenceGame.Naive
        ? $"{Judge.Name} judge · naive · seed {Seed}"
        : $"{Judge.Name} judge · {Protocol} · {Advocate} · {Verification} quotes · seed {Seed}";

    public string Task => $"kinship-{People}, {Verification} quotes";
}

public sealed class EvidenceDebateProtocol : Protocol<EvidenceSettings, EvidenceCell, DebateRow>
{
    public const string ProtocolName = "evidence-debate";
    public const string TaskFamily = "evidence";
    public static IReadOnlyList<string> VerificationModes { get; } = ["exact", "normalized"];

    public override string Name => ProtocolName;
    public override string TableFile => DebateProtocol.Table;

    public override IReadOnlyList<Field> Fields { get; } =
    [
        new("task", FieldKind.Mapping, "Questions with hidden evidence: family and city facts about a group of people; where does X's grandparent live?")
        {
            Required = true,
            Children =
            [
                new("family", FieldKind.String, "Task family.") { Required = true, Choices = () => [TaskFamily] },
                new("people", FieldKind.Integer, "People per story (the document has 2 facts per person, less 2 roots).") { Min = 4, Max = 26, Default = 12L },
                new("questions", FieldKind.Integer, "Questions per cell (the same questions for every cell of a seed).") { Min = 1, Max = 100_000, Default = 400L },
            ],
        },
        new("roles", FieldKind.Mapping, "Who plays each role.")
        {
            Required = true,
            Children =
            [
                new("judge", FieldKind.String, "Judge capacity(ies); a list is a grid axis.") { Grid = true, Default = EvidenceJudge.Strict.Name, Choices = () => EvidenceJudge.Names },
                new("advocates", FieldKind.String, "Advocates (debaters, consultants): bo-N, best of N candidate quote sets per turn; a list is a grid axis.") { Grid = true, Default = "bo-16" },
            ],
        },
        new("protocols", FieldKind.String, "naive (the judge alone), consultancy, debate; a list is a grid axis.") { Grid = true, Default = EvidenceGame.Debate, Choices = () => EvidenceGame.Protocols },
        new("quoting", FieldKind.Mapping, "How quotes are checked against the hidden document.")
        {
            Children =
            [
                new("verification", FieldKind.String, "exact (word for word) or normalized (ignoring case, punctuation and wording); a list is a grid axis.")
                    { Grid = true, Default = "normalized", Choices = () => VerificationModes },
                new("paraphrase", FieldKind.Number, "Probability that an advocate words a true fact differently from the document.") { Min = 0, Max = 1, Default = 0.3 },
            ],
        },
        new("rounds", FieldKind.Integer, "Turns per advocate.") { Min = 1, Max = 20, Default = 2L },
        new("quotes_per_turn", FieldKind.Integer, "Sentences quoted per turn.") { Min = 1, Max = 10, Default = 2L },
    ];

    public override EvidenceSettings Parse(DefinitionValues values)
    {
        var advocates = values.Strings("roles.advocates");
        foreach (string a in advocates)
            if (EvidenceGame.ParseAdvocate(a) is null) throw values.Error("roles.advocates", $"unknown advocate '{a}' (expected bo-N, best of N candidate quote sets per turn, e.g. bo-16)");
        return new EvidenceSettings(values.Integer("task.people"), values.Integer("task.questions"),
            values.Strings("roles.judge").Select(j => EvidenceJudge.Find(j)!).ToList(), advocates, values.Strings("protocols"),
            values.Strings("quoting.verification"), values.Number("quoting.paraphrase"), values.Integer("rounds"), values.Integer("quotes_per_turn"));
    }

    /// <summary>Stable order: seed, judge; naive once per judge, then verification × protocol × advocate.</summary>
    public override IReadOnlyList<EvidenceCell> Cells(EvidenceSettings s, IReadOnlyList<int> seeds)
    {
        var cells = new List<EvidenceCell>();
        foreach (int seed in seeds)
            foreach (var judge in s.Judges)
            {
                if (s.Protocols.Contains(EvidenceGame.Naive))
                    cells.Add(new EvidenceCell(cells.Count, s.People, s.Questions, judge, EvidenceGame.Naive, "", "-", s.Paraphrase, s.Rounds, s.QuotesPerTurn, seed));
                foreach (string verification in s.Verification)
                    foreach (string protocol in s.Protocols.Where(p => p != EvidenceGame.Naive))
                        foreach (string advocate in s.Advocates)
                            cells.Add(new EvidenceCell(cells.Count, s.People, s.Questions, judge, protocol, advocate, verification, s.Paraphrase, s.Rounds, s.QuotesPerTurn, seed));
            }
        return cells;
    }

    public override DebateRow Run(EvidenceCell cell, RunContext context)
    {
        var game = new EvidenceGame(cell.Rounds, cell.QuotesPerTurn, cell.Paraphrase, cell.Verification == "normalized");
        int bestOf = EvidenceGame.ParseAdvocate(cell.Advocate) ?? 1;
        var correct = new bool[cell.Questions];
        var alone = new bool[cell.Questions];
        long evaluations = 0;
        for (int q = 0; q < cell.Questions; q++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var story = EvidenceStory.Generate(cell.People, Rng(cell.Seed, "story", q));
            // The same stories and the same random draws for every judge: comparisons across judges are paired.
            (correct[q], long used) = game.Play(story, cell.Judge, cell.Protocol, bestOf, q, Rng(cell.Seed, "play", q, cell.Protocol, cell.Advocate, cell.Verification));
            alone[q] = game.Play(story, cell.Judge, EvidenceGame.Naive, 1, q, Rng(cell.Seed, "play", q, EvidenceGame.Naive, "", "-")).Correct;
            evaluations += used;
        }
        var row = Describe(cell);
        var interval = Wilson.Interval(correct);
        row.Correct = correct.Count(c => c);
        row.JudgeAccuracy = Accuracy.Of(correct);
        row.CiLow = interval.Low;
        row.CiHigh = interval.High;
        row.JudgeAloneAccuracy = Accuracy.Of(alone);
        row.Games = cell.Questions;
        row.JudgeEvaluations = evaluations;
        return row;
    }

    static Random Rng(params object[] parts) => new((int)(Seeds.Derive(parts) & int.MaxValue));

    public override DebateRow Failed(EvidenceCell cell, string message)
    {
        var row = Describe(cell);
        row.Status = "failed";
        row.Note = message;
        return row;
    }

    static DebateRow Describe(EvidenceCell cell) => new()
    {
        Task = TaskFamily,
        Protocol = cell.Protocol,
        Judge = cell.Judge.Name,
        PixelsOrTask = cell.Protocol == EvidenceGame.Naive ? $"kinship-{cell.People}" : cell.Task,
        Debater = cell.Advocate,
        HonestDebater = cell.Protocol == EvidenceGame.Naive ? "" : cell.Advocate,
        LiarDebater = cell.Protocol == EvidenceGame.Debate ? cell.Advocate : "",
        Budget = EvidenceGame.ParseAdvocate(cell.Advocate),
        Seed = cell.Seed,
        N = cell.Questions,
        CellId = cell.Id,
    };

    public override string Outcome(DebateRow row) => row.JudgeAccuracy is double a
        ? string.Create(CultureInfo.InvariantCulture, $"judge accuracy {a:0.000} [{row.CiLow:0.000}, {row.CiHigh:0.000}]") : "no result";

    public override void Report(string folder) => EvidenceReport.Write(folder);

    public override void Summarize(string reproductionFolder, IReadOnlyList<(ExperimentDefinition Definition, string Folder)> runs) =>
        DebateSummary.Write(reproductionFolder);
}
