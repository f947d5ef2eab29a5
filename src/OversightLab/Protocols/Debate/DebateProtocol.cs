// Debate on MNIST — Irving, Christiano & Amodei 2018, "AI safety via debate", section 3.1.
//   Judge: a classifier that sees only k revealed nonzero pixels (mask plane + value plane),
//   trained on random nonzero pixels; its accuracy alone on k random pixels is the baseline.
//   Game: only the debaters see the image. The honest debater claims the true digit, the liar
//   another; they alternate revealing one nonzero pixel each, k in all; the judge, on the final
//   mask, picks whichever claimed digit it scores higher. Precommit is modelled by playing all 9
//   lies — the liar wins the image if any lie wins; without precommit the liar wins whenever the
//   judge's top digit is not the truth. Debaters: MCTS with PUCT (c_puct = 1), leaves scored by the
//   judge, and for comparison random and greedy play.
// Where we differ: (1) the judge trains on the 8,000 non-test digits we ship, not 60k MNIST
// images, and for fewer batches (10k rather than 30k/50k), Adam 2e-3 with a cosine schedule;
// (2) the reproduction's judge (pixel-mlp-s) is an MLP on the paper's two planes rather than its
// CNN, because search needs millions of judge calls and the CNN costs ~1,600× more multiply-adds
// per position; the paper's CNN is available as `paper-cnn` (the schema's default judge) and a
// wider MLP as `pixel-mlp`; (3) search budgets are far below the paper's 10k
// rollouts per move, one game per lie rather than three seeds, and the search's priors are
// uniform. Everything is evaluated on the fixed 2,000-digit test set, never used in training.
using OversightLab.Data;
using OversightLab.Experiments;
using OversightLab.Metrics;
using OversightLab.Reports;
using TorchSharp;

namespace OversightLab.Protocols.Debate;

public sealed class DebateProtocol : Protocol<DebateSettings, DebateCell, DebateRow>
{
    public const string ProtocolName = "debate";
    public const string Table = "debate.csv";
    public const string TaskFamily = "mnist-pixels";

    public override string Name => ProtocolName;
    public override string TableFile => Table;

    public override IReadOnlyList<Field> Fields { get; } =
    [
        new("task", FieldKind.Mapping, "The data: MNIST digits of which the judge sees only a few revealed pixels.")
        {
            Required = true,
            Children =
            [
                new("family", FieldKind.String, "Task family.") { Required = true, Choices = () => [TaskFamily] },
                new("pixels", FieldKind.Integer, "k, the number of pixels revealed (the paper: 4 and 6); a list is a grid axis.")
                    { Grid = true, Min = 1, Max = 30, Default = 6L },
                new("images", FieldKind.Integer, "Test digits judged per cell: the first N of the fixed 2,000-digit test set.")
                    { Min = 1, Max = DigitSplit.TestSize, Default = 1000L },
            ],
        },
        new("roles", FieldKind.Mapping, "Who plays each role.")
        {
            Required = true,
            Children =
            [
                new("judge", FieldKind.String, "Judge architecture(s); a list is a grid axis.")
                    { Grid = true, Default = JudgeSpec.PaperCnn.Name, Choices = () => JudgeSpec.Names },
                new("debaters", FieldKind.String, $"Debaters: {DebaterSpec.Expected}; a list is a grid axis.")
                    { Grid = true, Default = DebaterSpec.Greedy.Name },
                new("pairing", FieldKind.String, "self-play: each debater argues both sides against itself; tournament: every ordered (honest, liar) pair.")
                    { Default = DebateSettings.SelfPlay, Choices = () => DebateSettings.Pairings },
            ],
        },
        new("game", FieldKind.Mapping, "The debate game.")
        {
            Children =
            [
                new("precommit", FieldKind.Boolean, "Whether the liar commits to one lie up front (modelled by playing all 9 lies); a list is a grid axis.")
                    { Grid = true, Default = true },
                new("first_mover", FieldKind.String, "Who reveals the first pixel; a list is a grid axis.")
                    { Grid = true, Default = "honest", Choices = () => ["honest", "liar"] },
                new("judge_alone", FieldKind.Boolean, "Also measure the judge alone on k random pixels of the same digits.") { Default = true },
            ],
        },
        new("search", FieldKind.Mapping, "MCTS settings for mcts-N debaters.")
        {
            Children =
            [
                new("c_puct", FieldKind.Number, "PUCT exploration constant.") { Min = 0, Max = 100, Default = 1.0 },
                new("images", FieldKind.Integer, "Test digits for cells where a debater searches (mcts-N): search costs N+1 judge batches per move, so sweeps over budgets usually judge fewer digits. Default: task.images.")
                    { Min = 1, Max = DigitSplit.TestSize },
            ],
        },
        new("train", FieldKind.Mapping, "How each judge is trained on random nonzero pixels of the 8,000 non-test digits: Adam, no weight decay, cosine schedule.")
        {
            Children =
            [
                new("batches", FieldKind.Integer, "Training batches (the paper: 30k for k = 6, 50k for k = 4).") { Min = 1, Max = 1_000_000, Default = 10_000L },
                new("batch", FieldKind.Integer, "Positions per batch.") { Min = 1, Max = 65536, Default = 128L },
                new("lr", FieldKind.Number, "Peak learning rate.") { Min = 1e-7, Max = 10, Default = 1e-3 },
            ],
        },
    ];

    public override DebateSettings Parse(DefinitionValues values)
    {
        var debaters = new List<DebaterSpec>();
        foreach (string name in values.Strings("roles.debaters"))
            debaters.Add(DebaterSpec.Parse(name) ?? throw values.Error("roles.debaters", $"unknown debater '{name}' (expected {DebaterSpec.Expected})"));
        int images = values.Integer("task.images");
        int searchImages = values.Has("search.images") ? values.Integer("search.images") : images;
        try { DataFiles.Find("mnist.bin.gz"); }
        catch (FileNotFoundException e) { throw values.Error("task.family", e.Message); }
        return new DebateSettings(values.Integers("task.pixels"), images, searchImages,
            values.Strings("roles.judge").Select(n => JudgeSpec.Find(n)!).ToList(), debaters, values.String("roles.pairing"),
            values.Booleans("game.precommit"), values.Strings("game.first_mover").Select(f => f == "honest").ToList(),
            values.Boolean("game.judge_alone"), values.Number("search.c_puct"),
            new JudgeTraining(values.Integer("train.batches"), values.Integer("train.batch"), values.Number("train.lr")));
    }

    /// <summary>Stable order: seed, judge, k; the judge alone first, then each pairing × precommit × first mover.</summary>
    public override IReadOnlyList<DebateCell> Cells(DebateSettings s, IReadOnlyList<int> seeds)
    {
        var cells = new List<DebateCell>();
        foreach (int seed in seeds)
            foreach (var judge in s.Judges)
                foreach (int k in s.Pixels)
                {
                    if (s.JudgeAlone)
                        cells.Add(new DebateCell(cells.Count, DebateCell.JudgeAloneProtocol, k, judge, s.Train, null, null, false, false, s.Images, s.CPuct, seed));
                    foreach (var (honest, liar) in s.Pairs())
                        foreach (bool precommit in s.Precommit)
                            foreach (bool honestFirst in s.HonestFirst)
                            {
                                int images = honest.Rollouts > 0 || liar.Rollouts > 0 ? s.SearchImages : s.Images;
                                cells.Add(new DebateCell(cells.Count, DebateCell.DebateProtocol, k, judge, s.Train, honest, liar, precommit, honestFirst, images, s.CPuct, seed));
                            }
                }
        return cells;
    }

    public override string Outcome(DebateRow row) => row.JudgeAccuracy is double a
        ? $"judge accuracy {a:0.000} [{row.CiLow:0.000}, {row.CiHigh:0.000}]" : "no result";

    public override void Report(string folder) => DebateReport.Write(folder);

    public override void Summarize(string reproductionFolder, IReadOnlyList<(ExperimentDefinition Definition, string Folder)> runs) =>
        DebateSummary.Write(reproductionFolder);

    public override DebateRow Failed(DebateCell cell, string message)
    {
        var row = Describe(cell);
        row.Status = "failed";
        row.Note = message;
        return row;
    }

    public override DebateRow Run(DebateCell cell, RunContext context)
    {
        var digits = SparseDigits.Mnist();
        var split = new DigitSplit(digits.Count);
        var judge = TrainedJudge(context, cell, digits, split);
        int[] images = split.Test[..cell.Images];
        var alone = JudgeTraining.JudgeAlone(judge, digits, images, cell.Pixels, cell.Seed, context.Device);
        var row = Describe(cell);
        row.JudgeAloneAccuracy = Accuracy.Of(alone);
        if (!cell.IsDebate)
        {
            Score(row, alone);
            return row;
        }
        var games = images.SelectMany(i => PixelGame.ForImage(i, digits.Labels[i], cell.Precommit, cell.HonestFirst)).ToList();
        long seed = Training.Seeds.Derive("debate-games", cell.Seed);
        var (wins, evaluations) = PixelDebate.Play(judge, digits, cell.Pixels, games, cell.Honest!, cell.Liar!, seed, context.Device, cell.CPuct, context.Cancellation);
        int perImage = games.Count / images.Length;
        var honestWon = new bool[images.Length];
        int liesWon = 0;
        for (int i = 0; i < images.Length; i++)
        {
            int lost = Enumerable.Range(i * perImage, perImage).Count(g => !wins[g]);
            honestWon[i] = lost == 0;
            liesWon += lost;
        }
        Score(row, honestWon);
        row.Games = games.Count;
        row.LiesWonMean = cell.Precommit ? (double)liesWon / images.Length : null;
        row.JudgeEvaluations = evaluations;
        return row;
    }

    /// <summary>The judge for this cell's (architecture, k, training, seed): trained once per run, cached on disk.</summary>
    static SparseJudge TrainedJudge(RunContext context, DebateCell cell, SparseDigits digits, DigitSplit split)
    {
        string key = $"{DebateCell.ProtocolVersion}|judge|{cell.Judge.Canonical}|k={cell.Pixels}|{cell.Train.Canonical}|pool=non-test@{DigitSplit.DataSeed}|seed={cell.Seed}";
        return context.Shared(key, () =>
        {
            long seed = context.Reseed("debate-judge", cell.Judge.Canonical, cell.Pixels, cell.Seed);
            var judge = cell.Judge.Create();
            judge.to(context.Device);
            if (!context.Cache.TryLoad(key, judge))
            {
                int[] pool = [.. split.Pretrain, .. split.Train];
                cell.Train.Fit(judge, digits, pool, cell.Pixels, seed, context.Device, context.Cancellation);
                context.Cache.Save(key, judge);
            }
            judge.eval();
            return judge;
        });
    }

    static void Score(DebateRow row, bool[] correct)
    {
        var interval = Wilson.Interval(correct);
        row.N = correct.Length;
        row.Correct = correct.Count(c => c);
        row.JudgeAccuracy = Accuracy.Of(correct);
        row.CiLow = interval.Low;
        row.CiHigh = interval.High;
    }

    static DebateRow Describe(DebateCell cell) => new()
    {
        Task = TaskFamily,
        Protocol = cell.Protocol,
        Judge = cell.Judge.Name,
        PixelsOrTask = cell.Pixels.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Debater = cell.Debater,
        HonestDebater = cell.Honest?.Name ?? "",
        LiarDebater = cell.Liar?.Name ?? "",
        Precommit = cell.IsDebate ? cell.Precommit : null,
        FirstMover = cell.FirstMover,
        Budget = !cell.IsDebate || cell.Honest!.Random && cell.Liar!.Random ? null : Math.Max(cell.Honest.Rollouts, cell.Liar!.Rollouts),
        Seed = cell.Seed,
        N = cell.Images,
        JudgeTrainBatches = cell.Train.Batches,
        CellId = cell.Id,
    };
}
