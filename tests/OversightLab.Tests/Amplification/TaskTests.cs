using OversightLab.Protocols.Amplification;

namespace OversightLab.Tests.Amplification;

/// <summary>
/// Every task's generator and ground truth against an independent brute force that reads only the
/// facts (what the learner sees), and H's decomposition against the ground truth, on small sizes.
/// </summary>
public sealed class TaskTests
{
    const int Episodes = 40;

    public static IEnumerable<TestCaseData> Tasks()
    {
        foreach (int n in new[] { 4, 6, 8 }) yield return new TestCaseData(new PermutationPowering(n)).SetName($"permutation-powering size {n}");
        foreach (int n in new[] { 4, 6, 8 }) yield return new TestCaseData(new SequentialAssignments(n)).SetName($"sequential-assignments size {n}");
        foreach (int n in new[] { 2, 3, 4 }) yield return new TestCaseData(new WildcardSearch(n)).SetName($"wildcard-search size {n}");
        foreach (int n in new[] { 4, 6, 8 }) yield return new TestCaseData(new ShortestPath(n)).SetName($"shortest-path size {n}");
        foreach (int n in new[] { 4, 6, 8 }) yield return new TestCaseData(new UnionFind(n)).SetName($"union-find size {n}");
    }

    /// <summary>The tasks whose recursion is well founded: shortest path's Bellman step is not on cycles
    /// (see the tabular test, which covers it).</summary>
    public static IEnumerable<TestCaseData> RecursiveTasks() => Tasks().Where(t => t.Arguments[0] is not ShortestPath);

    static IEnumerable<Episode> EpisodesOf(AlgorithmicTask task, int seed = 1)
    {
        var random = new Random(seed);
        for (int i = 0; i < Episodes; i++) yield return task.NewEpisode(random);
    }

    [TestCaseSource(nameof(Tasks))]
    public void GroundTruthMatchesBruteForceOnTheFacts(AlgorithmicTask task)
    {
        int checkedQuestions = 0;
        foreach (var episode in EpisodesOf(task))
        {
            Assert.That(episode.Facts, Has.Length.EqualTo(task.FactCount * task.FactLength));
            Assert.That(episode.Facts.All(t => t >= 0 && t < task.Vocabulary), "fact tokens in the vocabulary");
            foreach (var q in task.Questions(episode))
            {
                Assert.That(q, Has.Length.EqualTo(task.QuestionLength));
                Assert.That(task.IsSimple(q), Is.False);
                Assert.That(task.Solve(episode, q), Is.EqualTo(BruteForce.Answer(task, episode.Facts, q)), task.Describe(q));
                checkedQuestions++;
            }
        }
        Assert.That(checkedQuestions, Is.GreaterThan(Episodes));
    }

    [TestCaseSource(nameof(Tasks))]
    public void OneStepDecompositionWithTrueSubanswersGivesTheTruth(AlgorithmicTask task)
    {
        foreach (var episode in EpisodesOf(task, seed: 2))
        {
            var questions = task.Questions(episode).ToArray();
            var overseer = new Overseer(task);
            var result = Amplifier.Amplify(task, overseer, Enumerable.Repeat(episode, questions.Length).ToArray(), questions, Amplifier.Truth(task));
            using (Assert.EnterMultipleScope())
            {
                for (int i = 0; i < questions.Length; i++)
                    Assert.That(result.Answers[i], Is.EqualTo(task.Solve(episode, questions[i])), task.Describe(questions[i]));
                Assert.That(result.Invalid, Is.Zero);
                Assert.That(overseer.Calls, Is.EqualTo(questions.Length), "one oracle call per question");
                Assert.That(result.Lookups, Is.Positive, "H reads the context only through simple questions");
            }
        }
    }

    [TestCaseSource(nameof(RecursiveTasks))]
    public void DecompositionAppliedAllTheWayDownGivesTheTruth(AlgorithmicTask task)
    {
        foreach (var episode in EpisodesOf(task, seed: 3))
            foreach (var q in task.Questions(episode))
                Assert.That(task.Recursive(episode, q), Is.EqualTo(task.Solve(episode, q)), task.Describe(q));
    }

    /// <summary>
    /// The loop with a perfect memory for X: each round replaces X's table by the amplified answers.
    /// After r rounds every question of level ≤ r is right — what levels mean — and after
    /// <see cref="AlgorithmicTask.MaxLevel"/> rounds the whole table is the ground truth.
    /// </summary>
    [TestCaseSource(nameof(Tasks))]
    public void TabularAmplificationReachesTheTruthOneLevelPerRound(AlgorithmicTask task)
    {
        int deeperWrong = 0;
        foreach (var episode in EpisodesOf(task, seed: 4))
        {
            for (int rounds = 1; rounds <= task.MaxLevel; rounds++)
            {
                var table = Amplifier.Iterate(task, new Overseer(task), episode, rounds);
                foreach (var (q, answer) in table)
                {
                    int level = task.Level(episode, q);
                    Assert.That(level, Is.InRange(1, task.MaxLevel));
                    if (level <= rounds) Assert.That(answer, Is.EqualTo(task.Solve(episode, q)), $"{task.Describe(q)} (level {level}) after {rounds} rounds");
                    else if (answer != task.Solve(episode, q)) deeperWrong++;
                }
            }
        }
        if (task.MaxLevel > 1) Assert.That(deeperWrong, Is.Positive, "deeper questions are not all right early: levels are not vacuous");
    }

    [TestCaseSource(nameof(Tasks))]
    public void SamplingCoversEveryLevelAndOnlyQuestionsOfTheEpisode(AlgorithmicTask task)
    {
        var random = new Random(5);
        var levels = new HashSet<int>();
        foreach (var episode in EpisodesOf(task, seed: 5))
        {
            var all = task.Questions(episode).ToHashSet(TokenComparer.Instance);
            for (int i = 0; i < 20; i++)
            {
                var q = task.SampleQuestion(episode, random);
                Assert.That(all, Does.Contain(q), task.Describe(q));
                levels.Add(task.Level(episode, q));
            }
        }
        Assert.That(levels.Order(), Is.EqualTo(Enumerable.Range(1, task.MaxLevel)));
    }

    [TestCaseSource(nameof(Tasks))]
    public void AnswerTokensRoundTrip(AlgorithmicTask task)
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (int token in task.AnswerTokens)
            {
                Assert.That(task.AnswerToken(task.AnswerValue(token)), Is.EqualTo(token));
                Assert.That(token, Is.InRange(1, task.Vocabulary - 1));
            }
            Assert.That(task.AnswerTokens.Distinct().Count(), Is.EqualTo(task.AnswerTokens.Count));
        }
    }

    [Test]
    public void GeneratorsAreRandomButRepeatable()
    {
        foreach (var task in new AlgorithmicTask[] { new PermutationPowering(8), new SequentialAssignments(8), new WildcardSearch(4), new ShortestPath(8), new UnionFind(8) })
        {
            var a = EpisodesOf(task, 7).Select(e => e.Facts).ToList();
            var b = EpisodesOf(task, 7).Select(e => e.Facts).ToList();
            var c = EpisodesOf(task, 8).Select(e => e.Facts).ToList();
            Assert.That(a, Is.EqualTo(b), task.Name + ": same seed, same episodes");
            Assert.That(a.Distinct(TokenComparer.Instance).Count(), Is.GreaterThan(Episodes / 2), task.Name + ": episodes differ");
            Assert.That(a.Zip(c).Count(p => !p.First.SequenceEqual(p.Second)), Is.GreaterThan(Episodes / 2), task.Name + ": another seed, other episodes");
        }
    }
}
