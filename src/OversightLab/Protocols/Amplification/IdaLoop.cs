using OversightLab.Experiments;
using OversightLab.Metrics;
using OversightLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Protocols.Amplification;

/// <summary>
/// One cell's training run, the same loop for every method; only the targets differ:
/// <list type="bullet">
/// <item>supervised: the ground truth of each training question (one label each);</item>
/// <item>amplification: Amplify^H(X′) — H decomposes the question, X′ answers the subquestions,
///   H combines — where X′ is a copy of X refreshed every <see cref="IdaTraining.Refresh"/> steps
///   (one iteration of amplify-and-distill); the learned-overseer variant puts H′ in H's place.</item>
/// </list>
/// Each step draws fresh episodes (the same ones for every method of a seed, and the same initial
/// X), so methods are compared on equal data and steps. Rows are written at every evaluation.
/// </summary>
static class IdaLoop
{
    const int WarmupSteps = 100;

    /// <summary>A fixed test set: one question per fresh episode, levels drawn uniformly.</summary>
    sealed record TestSet(Episode[] Episodes, int[][] Questions, int[] Truth, int[] Levels);

    public static IReadOnlyList<IdaRow> Run(IdaCell cell, RunContext context)
    {
        var task = TaskCatalog.Create(cell.Task, cell.Size);
        var training = cell.Training;
        var device = context.Device;
        var test = context.Shared($"ida-test|{task.Name}|{task.Size}|{training.EvalQuestions}", () => MakeTestSet(task, training.EvalQuestions));
        var data = new Random((int)(Seeds.Derive("ida-data", task.Name, task.Size, cell.Seed) & int.MaxValue));
        long overseerSeed = Seeds.Derive("ida-overseer", cell.Id);
        var human = new Overseer(task, cell.Error, cell.ErrorKind, cell.Depth > 0 ? cell.Depth : null, overseerSeed);

        IOverseer? overseer = null;
        double? moveAccuracy = null;
        double[]? fixedPoint = null;
        if (cell.Method == IdaMethods.Amplification)
        {
            overseer = human;
        }
        else if (cell.Method == IdaMethods.LearnedOverseer)
        {
            context.Reseed("ida-learned-overseer", cell.Id);
            var learned = LearnedOverseer.Train(task, human, training.Transcripts, Seeds.Derive("ida-transcripts", cell.Id), device, training.Confidence, context.Cancellation);
            overseer = learned;
            moveAccuracy = learned.MoveAccuracy;
        }
        if (overseer is not null && (cell.Error > 0 || cell.Depth > 0))
            // A separate H with the same blind spots (same seed), so the training H's random draws are untouched.
            fixedPoint = FixedPointAccuracy(task, new Overseer(task, cell.Error, cell.ErrorKind, cell.Depth > 0 ? cell.Depth : null, overseerSeed), test);

        // The same initial X for every method of a (task, size, learner, seed).
        context.Reseed("ida-learner", task.Name, task.Size, cell.Learner.Canonical, cell.Seed);
        var x = new Learner(task, cell.Learner);
        x.to(device);
        Learner? copy = null;
        if (overseer is not null && training.Refresh > 1)
        {
            copy = new Learner(task, cell.Learner);
            copy.to(device);
        }
        try
        {
            return Train(cell, task, x, copy, overseer, human, test, data, fixedPoint, moveAccuracy, context);
        }
        finally
        {
            x.Dispose();
            copy?.Dispose();
            (overseer as IDisposable)?.Dispose();
        }
    }

    static List<IdaRow> Train(IdaCell cell, AlgorithmicTask task, Learner x, Learner? copy, IOverseer? overseer, Overseer human,
        TestSet test, Random data, double[]? fixedPoint, double? moveAccuracy, RunContext context)
    {
        var training = cell.Training;
        var device = context.Device;
        int total = training.StepsFor(cell.Method), batch = training.Batch;
        using var optimizer = new FusedAdam(x.parameters(), lr: training.Lr);
        using var lossSum = zeros(1, device: device);
        var rows = new List<IdaRow>();
        long labels = 0, lookups = 0, examples = 0;
        int iteration = 0, lossSteps = 0;
        var targetRight = new long[task.MaxLevel + 1];
        var targetCount = new long[task.MaxLevel + 1];
        // X′, the X that answers subquestions: a copy refreshed once per iteration, or X itself.
        var answering = copy ?? x;
        Amplifier.Answerer answerer = (episodes, questions) => answering.Answer(episodes, questions, device);

        void Record(int step)
        {
            if (lossSteps > 0)
            {
                double loss = lossSum.item<float>() / lossSteps;
                if (!double.IsFinite(loss)) throw new TrainingDivergedException($"training loss became {loss} by step {step} (lr {training.Lr})");
                lossSum.zero_();
                lossSteps = 0;
            }
            // Every question or move handed to H: amplification's decompositions, or H′'s training transcripts and consultations.
            long oracle = overseer is null ? 0 : human.Calls;
            rows.AddRange(Evaluate(cell, task, x, test, device, step, iteration, oracle, labels, lookups, examples, targetRight, targetCount,
                fixedPoint, moveAccuracy));
            Array.Clear(targetRight);
            Array.Clear(targetCount);
        }

        Record(0);
        for (int step = 1; step <= total; step++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            if (overseer is not null && (step - 1) % training.Refresh == 0)
            {
                iteration++;
                if (copy is not null) CopyWeights(x, copy);
            }
            var (episodes, questions) = Sample(task, data, training);
            var truth = questions.Select((q, i) => task.Solve(episodes[i], q)).ToArray();
            int[] targets;
            if (overseer is null)
            {
                targets = truth;
                labels += batch;
            }
            else
            {
                var amplified = Amplifier.Amplify(task, overseer, episodes, questions, answerer);
                targets = amplified.Answers;
                lookups += amplified.Lookups;
            }
            for (int i = 0; i < batch; i++)
            {
                int level = task.Level(episodes[i], questions[i]);
                targetCount[level]++;
                if (targets[i] == truth[i]) targetRight[level]++;
            }
            examples += batch;

            using (var scope = NewDisposeScope())
            {
                x.train();
                double warm = Math.Min(1.0, (double)step / WarmupSteps);
                foreach (var group in optimizer.ParamGroups)
                    group.LearningRate = training.Lr * warm * 0.5 * (1 + Math.Cos(Math.PI * (step - 1) / total));
                using var encoded = Learner.Encode(task, episodes, questions, device);
                var labelsTensor = tensor(targets.Select(t => (long)task.AnswerClass(t)).ToArray(), device: device);
                var loss = nn.functional.cross_entropy(x.Logits(encoded), labelsTensor);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                lossSum.add_(loss.detach());
                lossSteps++;
            }
            if (step % training.EvalEvery == 0 || step == total) Record(step);
        }
        return rows;
    }

    /// <summary><see cref="IdaTraining.Episodes"/> fresh episodes, <see cref="IdaTraining.Questions"/> questions about each.</summary>
    static (Episode[] Episodes, int[][] Questions) Sample(AlgorithmicTask task, Random random, IdaTraining training)
    {
        var episodes = new Episode[training.Batch];
        var questions = new int[training.Batch][];
        for (int e = 0; e < training.Episodes; e++)
        {
            var episode = task.NewEpisode(random);
            for (int j = 0; j < training.Questions; j++)
            {
                int i = e * training.Questions + j;
                episodes[i] = episode;
                questions[i] = task.SampleQuestion(episode, random);
            }
        }
        return (episodes, questions);
    }

    static void CopyWeights(Learner from, Learner to)
    {
        using var _ = no_grad();
        foreach (var (source, target) in from.parameters().Zip(to.parameters())) target.copy_(source);
    }

    static TestSet MakeTestSet(AlgorithmicTask task, int count)
    {
        var random = new Random((int)(Seeds.Derive("ida-test", task.Name, task.Size) & int.MaxValue));
        var episodes = new Episode[count];
        var questions = new int[count][];
        for (int i = 0; i < count; i++)
        {
            episodes[i] = task.NewEpisode(random);
            questions[i] = task.SampleQuestion(episodes[i], random);
        }
        return new TestSet(episodes, questions, questions.Select((q, i) => task.Solve(episodes[i], q)).ToArray(),
            questions.Select((q, i) => task.Level(episodes[i], q)).ToArray());
    }

    /// <summary>
    /// Where amplification with a perfect memory in place of X converges under this overseer: the
    /// share of test questions the converged table answers right (rounds = deepest level + 1), over
    /// all levels (index 0) and per level.
    /// </summary>
    static double[] FixedPointAccuracy(AlgorithmicTask task, Overseer overseer, TestSet test)
    {
        var right = new int[task.MaxLevel + 1];
        var count = new int[task.MaxLevel + 1];
        for (int i = 0; i < test.Questions.Length; i++)
        {
            var table = Amplifier.Iterate(task, overseer, test.Episodes[i], task.MaxLevel + 1);
            bool ok = table[test.Questions[i]] == test.Truth[i];
            foreach (int slot in new[] { 0, test.Levels[i] })
            {
                count[slot]++;
                if (ok) right[slot]++;
            }
        }
        return right.Select((r, l) => count[l] > 0 ? (double)r / count[l] : double.NaN).ToArray();
    }

    static IEnumerable<IdaRow> Evaluate(IdaCell cell, AlgorithmicTask task, Learner x, TestSet test, Device device, int step, int iteration,
        long oracleCalls, long labels, long lookups, long examples, long[] targetRight, long[] targetCount, double[]? fixedPoint, double? moveAccuracy)
    {
        var answers = x.Answer(test.Episodes, test.Questions, device);
        var correct = answers.Select((a, i) => a == test.Truth[i]).ToArray();
        IdaRow Row(int? level)
        {
            var mine = Enumerable.Range(0, correct.Length).Where(i => level is null || test.Levels[i] == level).Select(i => correct[i]).ToArray();
            var interval = Wilson.Interval(mine);
            long right = level is int l ? targetRight[l] : targetRight.Sum(), count = level is int m ? targetCount[m] : targetCount.Sum();
            return new IdaRow
            {
                Task = task.Name,
                Size = task.Size,
                Method = cell.Method,
                Iteration = iteration,
                Step = step,
                Level = level,
                Accuracy = mine.Length == 0 ? double.NaN : Metrics.Accuracy.Of(mine),
                AccuracyCiLow = interval.Low,
                AccuracyCiHigh = interval.High,
                TestQuestions = mine.Length,
                TargetAccuracy = count > 0 ? (double)right / count : null,
                OracleCalls = oracleCalls,
                LabelsUsed = labels,
                Lookups = lookups,
                Examples = examples,
                OverseerError = cell.Error,
                OverseerErrors = IdaMethods.UsesOverseer(cell.Method) ? cell.ErrorKind.ToString().ToLowerInvariant() : "",
                OverseerDepth = cell.Depth,
                FixedPointAccuracy = fixedPoint?[level ?? 0],
                OverseerMoveAccuracy = moveAccuracy,
                OverseerConfidence = cell.Method == IdaMethods.LearnedOverseer ? cell.Training.Confidence : null,
                Seed = cell.Seed,
                CellId = cell.Id,
            };
        }
        // Per level first, then all levels: the last row of a cell is its headline.
        for (int level = 1; level <= task.MaxLevel; level++)
            if (test.Levels.Contains(level)) yield return Row(level);
        yield return Row(null);
    }
}
