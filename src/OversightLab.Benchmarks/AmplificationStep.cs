using BenchmarkDotNet.Attributes;
using OversightLab.Protocols.Amplification;
using OversightLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Benchmarks;

/// <summary>
/// The two costs of one amplification step on each task (reproduction sizes, 16 episodes × 16
/// questions): the learner's training step, and amplifying the batch (H decomposes, the learner
/// answers the subquestions without gradients, H combines). Supervised learning pays only the first.
/// </summary>
[MemoryDiagnoser(false)]
public class AmplificationStep
{
    Learner learner = null!;
    optim.Optimizer optimizer = null!;
    AlgorithmicTask task = null!;
    Episode[] episodes = null!;
    int[][] questions = null!;
    long[] targets = null!;

    [Params("permutation-powering:6", "sequential-assignments:5", "wildcard-search:4", "shortest-path:6", "union-find:8")]
    public string Task { get; set; } = "union-find:8";

    [GlobalSetup]
    public void Setup()
    {
        manual_seed(0);
        var parts = Task.Split(':');
        task = TaskCatalog.Create(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        learner = new Learner(task, new LearnerSpec());
        optimizer = new FusedAdam(learner.parameters(), lr: 1e-3);
        var random = new Random(1);
        episodes = new Episode[256];
        questions = new int[256][];
        for (int e = 0; e < 16; e++)
        {
            var episode = task.NewEpisode(random);
            for (int j = 0; j < 16; j++)
            {
                episodes[e * 16 + j] = episode;
                questions[e * 16 + j] = task.SampleQuestion(episode, random);
            }
        }
        targets = questions.Select((q, i) => (long)task.AnswerClass(task.Solve(episodes[i], q))).ToArray();
    }

    [Benchmark]
    public void TrainingStep()
    {
        using var scope = NewDisposeScope();
        learner.train();
        using var batch = Learner.Encode(task, episodes, questions, CPU);
        var loss = nn.functional.cross_entropy(learner.Logits(batch), tensor(targets));
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
    }

    [Benchmark]
    public int[] Amplify() =>
        Amplifier.Amplify(task, new Overseer(task), episodes, questions, (e, q) => learner.Answer(e, q, CPU)).Answers;
}
