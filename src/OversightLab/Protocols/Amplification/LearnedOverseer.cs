using OversightLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OversightLab.Protocols.Amplification;

/// <summary>
/// H′, a learned imitation of the overseer's decompositions (the paper's "learned model of H"): from
/// the question and the answers so far it predicts H's next move — the next subquestions' tokens,
/// or the reply. It is trained once, on a budget of H transcripts (each an oracle call), and then
/// decomposes every question amplification needs; where it is unsure of a move (its least probable
/// chosen token below a confidence threshold, 0.9 by default) it hands that move to H, one more oracle call each.
/// So the oracle is consulted for the training budget plus the moves H′ has not learned.
/// <para>
/// The transcripts are H's own decompositions of sampled questions; their non-simple subquestions
/// are answered 80% of the time by the ground truth and otherwise by a random answer, so H′ also
/// sees what H does with wrong answers (it must copy and combine whatever X says, as H does) while
/// most of its data looks like the transcripts it will meet once X is good.
/// The model is an MLP on the one-hot transcript (question tokens, answers so far, move number).
/// H's moves are copies and small-table combinations of these tokens: the copies it learns from a
/// few thousand transcripts, but a combination over many values (a sum of two sums, a minimum, an
/// equality test) only for the value pairs it has seen often enough — the rest it must ask about.
/// </para>
/// </summary>
public sealed class LearnedOverseer : nn.Module<Tensor, Tensor>, IOverseer
{
    const int Hidden = 256, Epochs = 30, MinSteps = 1500, BatchSize = 256;
    const double Lr = 2e-3, HeldOut = 0.2;
    /// <summary>The default: below this confidence in a move (the least probable of its chosen tokens), H′ consults H for that move.</summary>
    public const double DefaultConfidence = 0.9;
    /// <summary>Share of the transcripts' non-simple subquestions answered truly (the rest: a random answer).</summary>
    const double TruthfulAnswers = 0.8;

    readonly AlgorithmicTask task;
    readonly int maxAnswers, maxAsks;
    readonly Embedding inputs;
    readonly Linear hidden, output;
    readonly Tensor offsets; // a buffer: moves with the module
    readonly Device device;
    Overseer? human;
    double confidence;

    /// <summary>Moves H′ handed to H because it was unsure (each one oracle call).</summary>
    public long Consultations { get; private set; }

    /// <summary>Fraction of H's moves on held-out transcripts that H′ reproduces exactly.</summary>
    public double MoveAccuracy { get; private set; }

    LearnedOverseer(AlgorithmicTask task, int maxAnswers, int maxAsks, Device device) : base(nameof(LearnedOverseer))
    {
        this.task = task;
        this.maxAnswers = maxAnswers;
        this.maxAsks = maxAsks;
        this.device = device;
        int v = task.Vocabulary, slots = Slots;
        // Slot s holds token t at embedding row s·V + t; the last slot is the move number.
        offsets = tensor(Enumerable.Range(0, slots).Select(s => (long)s * v).ToArray(), [1, slots]);
        inputs = nn.Embedding(slots * v, Hidden);
        hidden = nn.Linear(Hidden, Hidden);
        output = nn.Linear(Hidden, Heads * v);
        RegisterComponents();
    }

    int Slots => task.QuestionLength + maxAnswers + 1;

    /// <summary>Output heads: the tokens of up to <c>maxAsks</c> subquestions (all 0 = none), then the reply (0 = none).</summary>
    int Heads => maxAsks * task.QuestionLength + 1;

    public override Tensor forward(Tensor transcripts)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.relu(inputs.call(transcripts + offsets).sum(1));
        h = nn.functional.relu(hidden.call(h));
        return output.call(h).reshape(-1, Heads, task.Vocabulary).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Collects <paramref name="transcripts"/> decompositions from <paramref name="human"/> (its
    /// <see cref="Overseer.Calls"/> count them), trains H′ on 80% and measures it on the rest.
    /// </summary>
    /// <param name="confidence">H′ consults H on moves it is less sure of than this (0: never)</param>
    public static LearnedOverseer Train(AlgorithmicTask task, Overseer human, int transcripts, long seed, Device device,
        double confidence = DefaultConfidence, CancellationToken cancellation = default)
    {
        var random = new Random((int)(seed & int.MaxValue));
        var states = new List<(int[] Question, int[] Answers, Move Move)>();
        var owner = new List<int>();
        for (int n = 0; n < transcripts; n++)
        {
            var episode = task.NewEpisode(random);
            var question = task.SampleQuestion(episode, random);
            var t = new Transcript(episode, question);
            while (true)
            {
                var move = human.NextMoves([t])[0];
                states.Add((question, t.Answers.ToArray(), move));
                owner.Add(n);
                if (move.IsReply) break;
                foreach (var sub in move.Subquestions!)
                {
                    t.Subquestions.Add(sub);
                    t.Answers.Add(task.IsSimple(sub) ? task.Lookup(episode, sub)
                        : random.NextDouble() < TruthfulAnswers ? task.Solve(episode, sub) : task.AnswerTokens[random.Next(task.AnswerTokens.Count)]);
                }
            }
        }
        int maxAnswers = states.Max(s => s.Answers.Length);
        int maxAsks = states.Max(s => s.Move.Subquestions?.Length ?? 0);
        var model = new LearnedOverseer(task, maxAnswers, maxAsks, device);
        model.to(device);
        int cut = (int)Math.Round(transcripts * (1 - HeldOut));
        var train = states.Where((_, i) => owner[i] < cut).ToList();
        var heldOut = states.Where((_, i) => owner[i] >= cut).ToList();
        model.Fit(train, random, cancellation);
        model.MoveAccuracy = heldOut.Count == 0 ? double.NaN
            : (double)model.Predict(heldOut.Select(s => (s.Question, s.Answers)).ToList()).Moves.Where((m, i) => Same(m, heldOut[i].Move)).Count() / heldOut.Count;
        model.human = human;
        model.confidence = confidence;
        return model;
    }

    static bool Same(Move a, Move b) =>
        a.IsReply ? b.IsReply && a.Answer == b.Answer
            : !b.IsReply && a.Subquestions!.Length == b.Subquestions!.Length && a.Subquestions.Zip(b.Subquestions).All(p => p.First.AsSpan().SequenceEqual(p.Second));

    void Fit(List<(int[] Question, int[] Answers, Move Move)> states, Random random, CancellationToken cancellation)
    {
        using var x = Encode(states.Select(s => (s.Question, s.Answers)).ToList());
        int lq = task.QuestionLength, heads = Heads;
        var y = new long[states.Count * heads];
        for (int i = 0; i < states.Count; i++)
        {
            var move = states[i].Move;
            if (move.IsReply) y[i * heads + heads - 1] = move.Answer;
            else
                for (int k = 0; k < move.Subquestions!.Length; k++)
                    for (int j = 0; j < lq; j++) y[i * heads + k * lq + j] = move.Subquestions[k][j];
        }
        using var targets = tensor(y, [states.Count, heads], device: device);
        using var optimizer = new FusedAdam(parameters(), lr: Lr);
        int perEpoch = (states.Count + BatchSize - 1) / BatchSize;
        int epochs = Math.Max(Epochs, (MinSteps + perEpoch - 1) / perEpoch), steps = epochs * perEpoch, step = 0;
        train();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var order = Enumerable.Range(0, states.Count).ToArray();
            random.Shuffle(order);
            for (int start = 0; start < order.Length; start += BatchSize, step++)
            {
                cancellation.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                foreach (var group in optimizer.ParamGroups) group.LearningRate = Lr * 0.5 * (1 + Math.Cos(Math.PI * step / steps));
                var rows = tensor(order[start..Math.Min(order.Length, start + BatchSize)].Select(i => (long)i).ToArray(), device: device);
                var logits = call(x.index_select(0, rows));
                var loss = nn.functional.cross_entropy(logits.reshape(-1, task.Vocabulary), targets.index_select(0, rows).reshape(-1));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
        }
        eval();
    }

    Tensor Encode(IReadOnlyList<(int[] Question, int[] Answers)> transcripts)
    {
        int slots = Slots, lq = task.QuestionLength;
        var data = new long[transcripts.Count * slots];
        for (int i = 0; i < transcripts.Count; i++)
        {
            var (q, answers) = transcripts[i];
            for (int j = 0; j < lq; j++) data[i * slots + j] = q[j];
            for (int j = 0; j < Math.Min(answers.Length, maxAnswers); j++) data[i * slots + lq + j] = answers[j];
            data[i * slots + slots - 1] = Math.Min(answers.Length, task.Vocabulary - 1);
        }
        return tensor(data, [transcripts.Count, slots], device: device);
    }

    /// <summary>H′'s moves, and its confidence in each: the smallest probability among the tokens it chose.</summary>
    (Move[] Moves, double[] Confidence) Predict(IReadOnlyList<(int[] Question, int[] Answers)> transcripts)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (top, index) = call(Encode(transcripts)).softmax(2).max(2);
        var best = index.to(CPU).data<long>().ToArray();
        var confidence = top.min(1).values.to(ScalarType.Float64).to(CPU).data<double>().ToArray();
        int lq = task.QuestionLength, heads = Heads;
        var moves = new Move[transcripts.Count];
        for (int i = 0; i < moves.Length; i++)
        {
            int reply = (int)best[i * heads + heads - 1];
            var asks = new List<int[]>();
            for (int k = 0; k < maxAsks; k++)
            {
                var sub = Enumerable.Range(0, lq).Select(j => (int)best[i * heads + k * lq + j]).ToArray();
                if (sub.All(t => t == 0)) break;
                asks.Add(sub);
            }
            // No subquestion, or past the longest transcript it was trained on: H′ has no idea, and gives up with a reply.
            moves[i] = reply != 0 || asks.Count == 0 || transcripts[i].Answers.Length > maxAnswers ? Move.Reply(reply) : Move.AskAll([.. asks]);
        }
        return (moves, confidence);
    }

    /// <summary>H′'s moves; where it is unsure (confidence below the threshold), H's, at one oracle call each.</summary>
    public Move[] NextMoves(IReadOnlyList<Transcript> transcripts)
    {
        var (moves, sure) = Predict(transcripts.Select(t => (t.Question, t.Answers.ToArray())).ToList());
        if (human is null) return moves;
        for (int i = 0; i < moves.Length; i++)
        {
            if (sure[i] >= confidence) continue;
            moves[i] = human.Consult(transcripts[i]);
            Consultations++;
        }
        return moves;
    }
}
