using OversightLab.Experiments;

namespace OversightLab.Tests.Experiments;

/// <summary>
/// A reproduction's definitions share one model cache: a supervisor or ceiling an earlier
/// definition trained is loaded by a later one, and the later one's numbers are what it computes alone.
/// </summary>
public sealed class ReproductionCacheTests
{
    const string Definition = """
        name: NAME
        protocol: weak-to-strong
        task: { family: mnist }
        roles: { weak_supervisor: mlp-xs, strong_student: lin-pool7 }
        method: METHOD
        train: { epochs: 2 }
        seeds: [0]
        """;

    [Test]
    public void ALaterDefinitionLoadsWhatAnEarlierOneTrainedAndGetsItsOwnNumbers()
    {
        string experiments = TestPaths.Scratch("shared-cache-definitions"), results = TestPaths.Scratch("shared-cache-results");
        File.WriteAllText(Path.Combine(experiments, "cachetest-1.yaml"), Definition.Replace("NAME", "first").Replace("METHOD", "xent"));
        File.WriteAllText(Path.Combine(experiments, "cachetest-2.yaml"), Definition.Replace("NAME", "second").Replace("METHOD", "logconf"));
        Reproduction.Run("cachetest", experiments, results, new RunOptions(results, "cpu"));
        string cache = Path.Combine(results, "cachetest", "cache");
        var shared = Directory.GetFiles(cache, "*.pt").Select(Path.GetFileName).Order().ToList();
        var firstFinished = Manifest.TryRead(Path.Combine(results, "cachetest", "first"))!.FinishedUtc!.Value;
        var lastWrite = Directory.GetFiles(cache, "*.pt").Max(File.GetLastWriteTimeUtc);

        // The second definition alone, into its own folder and its own cache.
        string alone = TestPaths.Scratch("shared-cache-alone");
        Runner.Run(DefinitionParser.Parse(Definition.Replace("NAME", "second").Replace("METHOD", "logconf"), "second.yaml"), new RunOptions(alone, "cpu"));

        using (Assert.EnterMultipleScope())
        {
            // Both definitions need the same models (supervisor and ceilings do not depend on the method): each was trained once.
            Assert.That(shared, Is.EqualTo(Directory.GetFiles(Path.Combine(alone, "cache"), "*.pt").Select(Path.GetFileName).Order().ToList()));
            Assert.That(shared, Is.Not.Empty);
            Assert.That(lastWrite, Is.LessThanOrEqualTo(firstFinished), "the second definition wrote no model: it loaded them");
            Assert.That(Directory.Exists(Path.Combine(results, "cachetest", "first", "cache")), Is.False, "no cache of its own");
            Assert.That(Directory.Exists(Path.Combine(results, "cachetest", "second", "cache")), Is.False, "no cache of its own");
            Assert.That(File.ReadAllBytes(Path.Combine(results, "cachetest", "second", "w2s.csv")), Is.EqualTo(File.ReadAllBytes(Path.Combine(alone, "w2s.csv"))),
                "loading the first definition's models changes no number");
        }
    }
}
