// Weak-to-strong generalization — Burns et al. 2023, "Weak-to-Strong Generalization: Eliciting
// Strong Capabilities With Weak Supervision", section 3 pipeline (openai/weak-to-strong):
//   1. split the training data 50/50; the weak supervisor trains on half 1 with ground truth;
//   2. its softmax on half 2 are soft weak labels; the strong student trains on half 2 with them;
//   3. the strong ceiling is the same strong model trained on half 2's ground truth;
//   4. PGR = (student − weak) / (ceiling − weak) on one shared test set.
// Zero-initialised heads, Adam without weight decay, cosine schedule. Methods (section 4): the
// naive loss, the auxiliary confidence loss, the product loss, confidence-weighted cross-entropy,
// squared loss (for Charikar et al.'s misfit bound) and bootstrapping through intermediate sizes.
// Where we differ: the models are small networks on MNIST and synthetic data, not language
// models. A strong model's latent knowledge comes from pretraining its encoder on a related
// labelled task over a disjoint pool (in the role of LM pretraining / the paper's DINO features);
// it is then read by a linear probe (as in the paper's vision experiment) or fine-tuned.
// Bootstrapping trains each link on the same student half (the paper's data split for it is
// not specified in its code); early stopping, off by default as in the paper, is available on
// a weak-labelled validation split.
using OversightLab.Data;
using OversightLab.Experiments;
using OversightLab.Metrics;
using OversightLab.Models;
using OversightLab.Reports;
using OversightLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Protocols.WeakToStrong;

public sealed class WeakToStrongProtocol : Protocol<W2sSettings, W2sCell, W2sRow>
{
    /// <summary>A model fitted on the task: the module that trains, and the example inputs it reads.</summary>
    sealed record Fitted(nn.Module<Tensor, Tensor> Trainable, Tensor Inputs);

    public const string ProtocolName = "weak-to-strong";
    public const string Table = "w2s.csv";
    public static IReadOnlyList<string> Methods { get; } = [.. Losses.Names, "bootstrap"];
    public static IReadOnlyList<string> Adaptations { get; } = ["probe", "finetune"];
    public static IReadOnlyList<string> EarlyStoppingModes { get; } = ["none", "weak", "truth"];

    public override string Name => ProtocolName;
    public override string TableFile => Table;

    public override IReadOnlyList<Field> Fields { get; } =
    [
        new("task", FieldKind.Mapping, "The data and the question asked of it.")
        {
            Required = true,
            Children =
            [
                new("family", FieldKind.String, "Task family: MNIST digits, a synthetic latent concept, or MNIST pairwise preferences (reward modelling).")
                    { Required = true, Choices = () => TaskSpec.Families },
                new("target", FieldKind.String, "mnist only: what is predicted from each image.")
                    { Default = DigitTarget.AtLeast5.Name, Choices = () => DigitTarget.All.Select(t => t.Name).ToArray() },
                new("difficulty", FieldKind.Number, "synthetic only: weight of the concept's nonlinear part (0 = linear in the hidden factors).")
                    { Min = 0, Max = 10, Default = 0.5 },
                new("label_noise", FieldKind.Number, "synthetic only: probability that a training label is flipped (test labels stay clean).")
                    { Min = 0, Max = 0.5, Default = 0.0 },
            ],
        },
        new("roles", FieldKind.Mapping, "Who plays each role: model names from the capability ladder (oversightlab list).")
        {
            Required = true,
            Children =
            [
                new("weak_supervisor", FieldKind.String, "Weak supervisor(s), trained on ground truth; a list is a grid axis.")
                    { Required = true, Grid = true, Choices = () => ModelLadder.Names.ToArray() },
                new("strong_student", FieldKind.String, "Strong student(s), trained on the weak supervisor's soft labels; a list is a grid axis.")
                    { Required = true, Grid = true, Choices = () => ModelLadder.Names.ToArray() },
            ],
        },
        new("method", FieldKind.String, "How the strong student learns from weak labels; a list is a grid axis.")
            { Grid = true, Default = "xent", Choices = () => Methods },
        new("adapt", FieldKind.String, "How pretrained models are fitted to the task: linear probe on frozen features, or full fine-tuning; a list is a grid axis.")
            { Grid = true, Default = "probe", Choices = () => Adaptations },
        new("confidence", FieldKind.Mapping, "The auxiliary confidence loss (method logconf).")
        {
            Children =
            [
                new("alpha", FieldKind.Number, "Final weight α of the student's own hardened predictions (paper: 0.5; 0.75 for the largest gaps).")
                    { Min = 0, Max = 1, Default = 0.5 },
                new("warmup", FieldKind.Number, "Fraction of training over which α ramps linearly from 0.") { Min = 0, Max = 1, Default = 0.2 },
            ],
        },
        new("early_stopping", FieldKind.Mapping, "Keep the student's best epoch on a validation split of its half (off by default, as in the paper).")
        {
            Children =
            [
                new("on", FieldKind.String, "none; weak (validation labelled by the supervisor); truth (ground truth: the report flags it).")
                    { Default = "none", Choices = () => EarlyStoppingModes },
                new("validation_fraction", FieldKind.Number, "Fraction of the student's half held out for validation.")
                    { Min = 0.05, Max = 0.5, Default = 0.2 },
            ],
        },
        new("train", FieldKind.Mapping, "How every model is fitted on the task: Adam, no weight decay, cosine schedule.")
        {
            Children =
            [
                new("epochs", FieldKind.Integer, "Passes over the training half.") { Min = 1, Max = 1000, Default = 10 },
                new("batch", FieldKind.Integer, "Minibatch size.") { Min = 1, Max = 65536, Default = 32 },
                new("lr", FieldKind.Number, "Peak learning rate.") { Min = 1e-7, Max = 10, Default = 5e-3 },
            ],
        },
    ];

    public override W2sSettings Parse(DefinitionValues values)
    {
        var weak = values.Strings("roles.weak_supervisor").Select(n => ModelLadder.Find(n)!).ToList();
        var strong = values.Strings("roles.strong_student").Select(n => ModelLadder.Find(n)!).ToList();
        if (!weak.Any(w => strong.Any(s => w.Rank < s.Rank)))
            throw values.Error("roles.weak_supervisor",
                "no weak supervisor ranks below any strong student, so there is no weak-to-strong pair (ladder order: " + string.Join(" < ", ModelLadder.Names) + ")");
        var task = new TaskSpec(values.String("task.family"), values.String("task.target"), values.Number("task.difficulty"), values.Number("task.label_noise"));
        if (task.Family.StartsWith("mnist", StringComparison.Ordinal))
        {
            try { DataFiles.Find("mnist.bin.gz"); }
            catch (FileNotFoundException e) { throw values.Error("task.family", e.Message); }
        }
        return new W2sSettings(task, weak, strong, values.Strings("method"), values.Strings("adapt"),
            new TrainConfig(values.Integer("train.epochs"), values.Integer("train.batch"), values.Number("train.lr")),
            values.Number("confidence.alpha"), values.Number("confidence.warmup"),
            values.String("early_stopping.on"), values.Number("early_stopping.validation_fraction"));
    }

    /// <summary>Grid × seeds in a stable order: seed, weak, strong, method, adaptation; only pairs where weak ranks below strong.</summary>
    public override IReadOnlyList<W2sCell> Cells(W2sSettings settings, IReadOnlyList<int> seeds)
    {
        var cells = new List<W2sCell>();
        foreach (int seed in seeds)
            foreach (var weak in settings.WeakSupervisors)
                foreach (var strong in settings.StrongStudents.Where(s => weak.Rank < s.Rank))
                    foreach (string method in settings.Methods)
                        foreach (string adapt in settings.Adapts)
                            cells.Add(new W2sCell(cells.Count, settings.Task, weak, strong, method, adapt, seed, settings));
        return cells;
    }

    public override string Outcome(W2sRow row) => row.Pgr is double p ? $"PGR {p:0.00}" : "PGR undefined";

    public override void Report(string folder) => W2sReport.Write(folder);

    public override void Summarize(string reproductionFolder, IReadOnlyList<(ExperimentDefinition Definition, string Folder)> runs) =>
        W2sSummary.Write(reproductionFolder, runs.Select(r => r.Folder).ToList());

    public override W2sRow Failed(W2sCell cell, string message) => new()
    {
        Task = cell.Task.Name,
        WeakModel = cell.Weak.Name,
        StrongModel = cell.Strong.Name,
        Method = cell.Method,
        Adapt = cell.Adapt,
        Seed = cell.Seed,
        WeakRank = cell.Weak.Rank,
        StrongRank = cell.Strong.Rank,
        Status = "failed",
        Note = message,
        CellId = cell.Id,
    };

    public override W2sRow Run(W2sCell cell, RunContext context)
    {
        var task = context.Task(cell.Task);
        var (weakHalf, studentHalf) = task.Halves(cell.Seed);
        // Models live outside dispose scopes: the weak supervisor and the ceiling are reused by later cells.
        var weak = OnTruth(context, "weak", cell.Weak, task, weakHalf, cell);
        var ceiling = OnTruth(context, "ceiling", cell.Strong, task, studentHalf, cell);
        var chain = cell.Method == "bootstrap" ? Intermediates(cell.Weak, cell.Strong) : [];
        var links = chain.Select(m => Build(context, m, task, cell.Adapt, "link", m.Canonical, cell.Weak.Canonical, cell.Strong.Canonical, cell.Seed)).ToList();
        var student = Build(context, cell.Strong, task, cell.Adapt, "student", cell.Weak.Canonical, cell.Strong.Canonical, cell.Method, cell.Seed);
        var loss = cell.Method == "bootstrap" ? new CrossEntropyLoss() : Losses.Create(cell.Method, cell.Settings.ConfidenceAlpha, cell.Settings.ConfidenceWarmup);
        // Students that share a shape train together with the other pending cells' (batched seeds).
        var stacked = StackKey(cell) is string key ? context.Shared(key, () => TrainStudents(context, key, cell)) : null;
        try
        {
            using var scope = NewDisposeScope();
            var half = context.Index(studentHalf);
            int validation = cell.Settings.EarlyStopping == "none" ? 0 : (int)Math.Round(studentHalf.Length * cell.Settings.ValidationFraction);
            var fit = context.Index(studentHalf[..^validation]);
            var held = context.Index(studentHalf[^validation..]);

            // Soft weak labels on the student's half; bootstrapping passes them up the chain of intermediate sizes.
            var labels = Trainer.Probabilities(weak.Trainable, weak.Inputs.index_select(0, half));
            foreach (var (link, i) in links.Select((l, i) => (l, i)))
            {
                long linkSeed = context.Reseed("link-order", chain[i].Canonical, cell.Weak.Canonical, cell.Strong.Canonical, cell.Seed);
                Trainer.Fit(link.Trainable, link.Trainable.parameters(), link.Inputs.index_select(0, half), labels, cell.Train, new CrossEntropyLoss(), linkSeed, context.Cancellation);
                labels = Trainer.Probabilities(link.Trainable, link.Inputs.index_select(0, half));
            }

            var fitLabels = labels.narrow(0, 0, studentHalf.Length - validation);
            EarlyStopping? early = validation == 0 ? null : new EarlyStopping(student.Inputs.index_select(0, held),
                cell.Settings.EarlyStopping == "truth" ? OneHot(task.TrainLabels, studentHalf[^validation..], task.Classes, context) : labels.narrow(0, studentHalf.Length - validation, validation));
            var test = context.Index(task.Test);
            // Misfit and gain are measured against the strong model's own fit to the truth (the ceiling),
            // the target the strong class can represent, as Charikar et al.'s bound assumes.
            float[,] reference;
            if (cell.Method == "sqloss" && student.Trainable is ProbeHead { Pairs: false } probe)
            {
                // The squared-loss student is the exact least-squares projection of the weak labels,
                // and its reference the exact least-squares fit to the student half's ground truth.
                LeastSquares.Fit(probe, student.Inputs.index_select(0, fit), fitLabels);
                using var truthFit = new ProbeHead((int)student.Inputs.shape[1], task.Classes, pairs: false);
                truthFit.to(context.Device);
                LeastSquares.Fit(truthFit, student.Inputs.index_select(0, fit), OneHot(task.TrainLabels, studentHalf[..^validation], task.Classes, context));
                reference = Predictions(new Fitted(truthFit, student.Inputs), test, loss);
            }
            else if (stacked is not null)
            {
                int slice = stacked.Slice[cell.Id];
                if (!double.IsFinite(stacked.Losses[slice]))
                    throw new TrainingDivergedException($"training loss became {stacked.Losses[slice]} (lr {cell.Train.Lr})");
                stacked.Stack.Store(slice, Layers(student));
                reference = Predictions(ceiling, test, new CrossEntropyLoss());
            }
            else
            {
                long seed = context.Reseed(StudentOrder(cell));
                Trainer.Fit(student.Trainable, student.Trainable.parameters(), student.Inputs.index_select(0, fit), fitLabels,
                    cell.Train, loss, seed, context.Cancellation, early);
                reference = Predictions(ceiling, test, new CrossEntropyLoss());
            }

            var weakTest = Predictions(weak, test, new CrossEntropyLoss());
            var studentTest = Predictions(student, test, loss);
            var ceilingTest = Predictions(ceiling, test, new CrossEntropyLoss());
            string note = string.Join("; ", new[]
            {
                chain.Count > 0 ? "bootstrapped via " + string.Join(" → ", chain.Select(m => m.Name)) : cell.Method == "bootstrap" ? "no intermediate size: same as xent" : "",
                early is not null ? $"early stopping on {cell.Settings.EarlyStopping} labels kept epoch {early.BestEpoch}" : "",
                cell.Settings.EarlyStopping == "truth" ? "uses ground truth for early stopping (not a fair weak-to-strong result)" : "",
            }.Where(n => n.Length > 0));
            return Row(cell, task, studentHalf.Length, weakTest, studentTest, ceilingTest, reference, note);
        }
        finally
        {
            student.Trainable.Dispose();
            foreach (var link in links) link.Trainable.Dispose();
        }
    }

    /// <summary>The students of several cells, trained as one stack: cell id → slice, and each slice's last-epoch loss.</summary>
    sealed record StackedStudents(MlpStack Stack, IReadOnlyDictionary<string, int> Slice, double[] Losses) : IDisposable
    {
        public void Dispose() => Stack.Dispose();
    }

    static object[] StudentOrder(W2sCell cell) => ["student-order", cell.Weak.Canonical, cell.Strong.Canonical, cell.Method, cell.Seed];

    /// <summary>
    /// Cells whose students can train in one stack share this key: the same task, student model,
    /// adaptation, loss and training settings; the weak supervisor and the seed may differ. A plain
    /// loss only: bootstrapping trains a chain, sqloss probes are solved exactly, early stopping keeps
    /// each student's own best epoch, and a fine-tuned reward model reads two items per example.
    /// </summary>
    static string? StackKey(W2sCell cell) =>
        cell.Method is "bootstrap" or "sqloss" || cell.Settings.EarlyStopping != "none" || (cell.Task.IsPairs && (cell.Adapt == "finetune" || !cell.Strong.Pretrained))
            ? null
            : string.Join('|', "student-stack", cell.Task, cell.Strong.Canonical, cell.Adapt, cell.Method, cell.Train.Canonical,
                cell.Settings.ConfidenceAlpha.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                cell.Settings.ConfidenceWarmup.ToString("R", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Trains the students of every pending cell with <paramref name="key"/> (at least
    /// <paramref name="first"/>'s) as one <see cref="MlpStack"/>: each from the initialisation and
    /// on the data order it would get alone, so a cell's numbers do not depend on its neighbours.
    /// </summary>
    static StackedStudents TrainStudents(RunContext context, string key, W2sCell first)
    {
        var task = context.Task(first.Task);
        // A stack holds equally long training sets (the halves of one task are, for every seed).
        int rows = task.Halves(first.Seed).StudentHalf.Length;
        var members = context.Pending.OfType<W2sCell>().Where(c => StackKey(c) == key && task.Halves(c.Seed).StudentHalf.Length == rows).ToList();
        if (!members.Contains(first)) members = [first];
        // Shared models (weak supervisors, frozen encoders and their features) are made outside any
        // dispose scope: later cells use them.
        var prepared = members.Select(cell =>
        {
            var (weakHalf, studentHalf) = task.Halves(cell.Seed);
            var weak = OnTruth(context, "weak", cell.Weak, task, weakHalf, cell);
            var student = Build(context, cell.Strong, task, cell.Adapt, "student", cell.Weak.Canonical, cell.Strong.Canonical, cell.Method, cell.Seed);
            return (Weak: weak, Student: student, Half: studentHalf);
        }).ToList();
        var stack = MlpStack.Like(members.Count, Layers(prepared[0].Student), task.IsPairs);
        stack.to(context.Device);
        double[] losses;
        using (var scope = NewDisposeScope())
        {
            var inputs = new List<Tensor>();
            var targets = new List<Tensor>();
            foreach (var ((weak, student, studentHalf), s) in prepared.Select((p, i) => (p, i)))
            {
                var half = context.Index(studentHalf);
                targets.Add(Trainer.Probabilities(weak.Trainable, weak.Inputs.index_select(0, half)));
                using (no_grad())
                    inputs.Add(student.Trainable is Classifier model ? model.Encoder.Flat(student.Inputs.index_select(0, half)) : student.Inputs.index_select(0, half));
                stack.Load(s, Layers(student));
                student.Trainable.Dispose();
            }
            var loss = Losses.Create(first.Method, first.Settings.ConfidenceAlpha, first.Settings.ConfidenceWarmup);
            losses = Trainer.FitStack(stack, torch.stack(inputs), torch.stack(targets), first.Train, loss,
                [.. members.Select(c => Seeds.Derive(StudentOrder(c)))], context.Cancellation);
        }
        return new StackedStudents(stack, members.Select((c, i) => (c.Id, i)).ToDictionary(), losses);
    }

    /// <summary>A student's linear layers, input side first: a probe's head, or a whole network's layers.</summary>
    static IReadOnlyList<TorchSharp.Modules.Linear> Layers(Fitted student) => student.Trainable switch
    {
        ProbeHead probe => [probe.Linear],
        Classifier model => model.Layers,
        _ => throw new InvalidOperationException("a student is a probe head or a ladder network"),
    };

    /// <summary>Ladder models of the strong student's family strictly between the two, weakest first: the bootstrapping chain.</summary>
    public static IReadOnlyList<ModelSpec> Intermediates(ModelSpec weak, ModelSpec strong) =>
        ModelLadder.All.Where(m => m.Family == strong.Family && m.Rank > weak.Rank && m.Rank < strong.Rank).OrderBy(m => m.Rank).ToList();

    static W2sRow Row(W2sCell cell, TaskData task, int trainHalf, float[,] weak, float[,] student, float[,] ceiling, float[,] reference, string note)
    {
        int[] truth = task.Test.Select(i => task.Labels[i]).ToArray();
        int[] weakPred = Argmax(weak), studentPred = Argmax(student), ceilingPred = Argmax(ceiling);
        bool[] weakOk = Correct(weakPred, truth), studentOk = Correct(studentPred, truth), ceilingOk = Correct(ceilingPred, truth);
        double w = Accuracy.Of(weakOk), s = Accuracy.Of(studentOk), c = Accuracy.Of(ceilingOk);
        var pgrCi = Bootstrap.PgrInterval(weakOk, studentOk, ceilingOk, seed: cell.Seed);
        Interval wi = Wilson.Interval(weakOk), si = Wilson.Interval(studentOk), ci = Wilson.Interval(ceilingOk);
        var (misfit, gain) = MisfitAndGain(weak, student, reference);
        long[] item = task.Items.shape[1..];
        int outputs = task.IsPairs ? 1 : task.Classes;
        string undefined = Pgr.UndefinedReason(w, c) ?? "";
        return new W2sRow
        {
            Task = task.Name,
            WeakModel = cell.Weak.Name,
            StrongModel = cell.Strong.Name,
            Method = cell.Method,
            Adapt = cell.Adapt,
            Seed = cell.Seed,
            WeakAcc = w,
            StudentAcc = s,
            CeilingAcc = c,
            Pgr = Pgr.Compute(w, s, c),
            PgrCiLow = pgrCi.IsDefined ? pgrCi.Low : null,
            PgrCiHigh = pgrCi.IsDefined ? pgrCi.High : null,
            WeakAccCiLow = wi.Low, WeakAccCiHigh = wi.High,
            StudentAccCiLow = si.Low, StudentAccCiHigh = si.High,
            CeilingAccCiLow = ci.Low, CeilingAccCiHigh = ci.High,
            StudentWeakAgreement = Accuracy.Agreement(studentPred, weakPred),
            Misfit = misfit,
            Gain = gain,
            WeakParams = cell.Weak.Parameters(item, outputs),
            StrongParams = cell.Strong.Parameters(item, outputs),
            WeakRank = cell.Weak.Rank,
            StrongRank = cell.Strong.Rank,
            NTrainHalf = trainHalf,
            NTest = truth.Length,
            Note = string.Join("; ", new[] { undefined, note }.Where(n => n.Length > 0)),
            CellId = cell.Id,
        };
    }

    /// <summary>
    /// Charikar et al. 2024: misfit = E‖f_s − f_w‖² and gain = E‖f_w − f*‖² − E‖f_s − f*‖² over the
    /// test examples, where f* is the strong model's own fit to the truth. With squared loss and a
    /// linear probe (a projection onto a convex class that contains f*), gain ≥ misfit; for a linear
    /// class the two are equal in the population (Pythagoras).
    /// </summary>
    public static (double Misfit, double Gain) MisfitAndGain(float[,] weak, float[,] student, float[,] reference)
    {
        double misfit = 0, weakError = 0, studentError = 0;
        int n = weak.GetLength(0), classes = weak.GetLength(1);
        for (int i = 0; i < n; i++)
            for (int c = 0; c < classes; c++)
            {
                misfit += Math.Pow(student[i, c] - weak[i, c], 2);
                weakError += Math.Pow(weak[i, c] - reference[i, c], 2);
                studentError += Math.Pow(student[i, c] - reference[i, c], 2);
            }
        return (misfit / n, (weakError - studentError) / n);
    }

    /// <summary>A model trained on ground truth of <paramref name="rows"/> (weak supervisor or ceiling), cached on disk and shared in memory.</summary>
    static Fitted OnTruth(RunContext context, string role, ModelSpec spec, TaskData task, int[] rows, W2sCell cell)
    {
        string adapt = spec.Pretrained ? cell.Adapt : "scratch";
        string key = $"{W2sCell.ProtocolVersion}|{role}|{task.Canonical}|{spec.Canonical}|{adapt}|{cell.Train.Canonical}|seed={cell.Seed}";
        return context.Shared(key, () =>
        {
            var fitted = Build(context, spec, task, cell.Adapt, role, spec.Canonical, cell.Seed);
            if (!context.Cache.TryLoad(key, fitted.Trainable))
            {
                using var scope = NewDisposeScope();
                var index = context.Index(rows);
                var targets = OneHot(task.TrainLabels, rows, task.Classes, context);
                long seed = context.Reseed(role + "-order", spec.Canonical, cell.Seed);
                Trainer.Fit(fitted.Trainable, fitted.Trainable.parameters(), fitted.Inputs.index_select(0, index), targets,
                    cell.Train, new CrossEntropyLoss(), seed, context.Cancellation);
                context.Cache.Save(key, fitted.Trainable);
            }
            fitted.Trainable.eval();
            return fitted;
        });
    }

    /// <summary>
    /// A fresh model for <paramref name="spec"/>: for a pretrained spec, a zero-initialised linear
    /// probe on the frozen encoder's features (probe) or a copy of the pretrained encoder with a new
    /// head (finetune); otherwise the whole network from scratch.
    /// </summary>
    static Fitted Build(RunContext context, ModelSpec spec, TaskData task, string adapt, params object[] seedParts)
    {
        long[] item = RunContext.ItemShape(task);
        if (spec.Pretrained && adapt == "probe")
        {
            var features = context.ExampleFeatures(spec, task);
            context.Reseed(seedParts);
            var head = new ProbeHead(spec.FeatureDim(item), task.Classes, task.IsPairs);
            head.to(context.Device);
            return new Fitted(head, features);
        }
        var pretrained = spec.Pretrained ? context.PretrainedEncoder(spec, task) : null;
        context.Reseed(seedParts);
        var encoder = new Encoder(spec, item);
        if (pretrained is not null)
            using (no_grad())
                foreach (var (copy, source) in encoder.parameters().Zip(pretrained.parameters()))
                    copy.copy_(source);
        var model = new Classifier(spec, encoder, item, task.Classes, task.IsPairs);
        model.to(context.Device);
        return new Fitted(model, context.ExampleInputs(task));
    }

    static Tensor OneHot(int[] labels, int[] rows, int classes, RunContext context) =>
        nn.functional.one_hot(tensor(rows.Select(r => (long)labels[r]).ToArray()).to(context.Device), classes).to_type(ScalarType.Float32);

    /// <summary>Predicted distributions (or sqloss scores) on <paramref name="rows"/>, copied to the host once.</summary>
    static float[,] Predictions(Fitted model, Tensor rows, ITrainingLoss loss)
    {
        using var scope = NewDisposeScope();
        model.Trainable.eval();
        Tensor outputs;
        using (no_grad()) outputs = loss.Predict(model.Trainable.call(model.Inputs.index_select(0, rows))).to(CPU);
        var values = outputs.data<float>().ToArray();
        int n = (int)outputs.shape[0], classes = (int)outputs.shape[1];
        var result = new float[n, classes];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(float));
        return result;
    }

    static int[] Argmax(float[,] values) =>
        Enumerable.Range(0, values.GetLength(0)).Select(i =>
        {
            int best = 0;
            for (int c = 1; c < values.GetLength(1); c++) if (values[i, c] > values[i, best]) best = c;
            return best;
        }).ToArray();

    static bool[] Correct(int[] predicted, int[] truth) => predicted.Select((p, i) => p == truth[i]).ToArray();
}
