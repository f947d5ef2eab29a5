using OversightLab.Cli;

namespace OversightLab.Tests.Cli;

/// <summary>A bad definition stops before any training with one line naming file, line and field, and exit code 2.</summary>
public sealed class BadDefinitionTests
{
    const string Good = """
        name: tiny
        protocol: weak-to-strong
        task: { family: mnist, target: digit-at-least-5 }
        roles:
          weak_supervisor: mlp-xs
          strong_student: mlp-m
        seeds: [0]
        """;

    public static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, string yaml, int line, params string[] expected) =>
            new TestCaseData(yaml, line, expected).SetName($"Refuses {name}");

        yield return Case("an empty file", "", 1, "is empty");
        yield return Case("text that is not YAML", "name: [unclosed\nprotocol: x", 2, "not valid YAML");
        yield return Case("a list at the top", "- a\n- b", 1, "expected keys");
        yield return Case("an unknown key, with a suggestion", Good + "\nseed: 3", 8, "seed", "unknown key 'seed'", "did you mean 'seeds'");
        yield return Case("an unknown nested key", Good.Replace("target: digit-at-least-5", "target: digit-at-least-5, size: 3"), 3, "task.size", "unknown key");
        yield return Case("a missing required key", Good.Replace("protocol: weak-to-strong\n", ""), 1, "missing required key 'protocol'");
        yield return Case("an unknown protocol", Good.Replace("protocol: weak-to-strong", "protocol: debait"), 2, "protocol", "unknown value 'debait'");
        yield return Case("an unknown model", Good.Replace("strong_student: mlp-m", "strong_student: mlp-mm"), 6, "roles.strong_student", "unknown value 'mlp-mm'", "did you mean 'mlp-m'");
        yield return Case("a string where an integer belongs", Good + "\ntrain: { epochs: two }", 8, "train.epochs", "expected an integer, got 'two'");
        yield return Case("a negative size", Good + "\ntrain: { batch: -4 }", 8, "train.batch", "out of range");
        yield return Case("an absurd learning rate", Good + "\ntrain: { lr: 1e9 }", 8, "train.lr", "out of range");
        yield return Case("a list for a single value", Good.Replace("name: tiny", "name: [a, b]"), 1, "name", "not a list");
        yield return Case("an empty grid", Good.Replace("seeds: [0]", "seeds: []"), 7, "seeds", "empty list");
        yield return Case("a repeated grid value", Good.Replace("seeds: [0]", "seeds: [1, 1]"), 7, "seeds", "appears twice");
        yield return Case("a name that escapes the output folder", Good.Replace("name: tiny", "name: ../../etc"), 1, "name", "must match");
        yield return Case("a pairing with no weak-to-strong pair", Good.Replace("strong_student: mlp-m", "strong_student: mlp-xs"), 5, "roles", "no weak supervisor ranks below");
        yield return Case("a mapping where a value belongs", Good.Replace("strong_student: mlp-m", "strong_student: { a: 1 }"), 6, "roles.strong_student", "not a mapping");
        yield return Case("a huge grid", Good.Replace("seeds: [0]", "seeds: [" + string.Join(", ", Enumerable.Range(0, 101)) + "]"), 7, "seeds", "at most 100");
        yield return Case("an unknown task family", Good.Replace("family: mnist", "family: imagenet"), 3, "task.family", "unknown value 'imagenet'");
        yield return Case("a negative difficulty", Good.Replace("family: mnist, target: digit-at-least-5", "family: synthetic, difficulty: -1"), 3, "task.difficulty", "out of range");
        yield return Case("label noise above one half", Good.Replace("family: mnist, target: digit-at-least-5", "family: synthetic, label_noise: 0.7"), 3, "task.label_noise", "out of range");
        yield return Case("a misspelt method, with a suggestion", Good + "\nmethod: [xent, boostrap]", 8, "method", "unknown value 'boostrap'", "did you mean 'bootstrap'");
        yield return Case("an unknown adaptation", Good + "\nadapt: linear", 8, "adapt", "unknown value 'linear'");
        yield return Case("a confidence weight above one", Good + "\nconfidence: { alpha: 2 }", 8, "confidence.alpha", "out of range");
        yield return Case("an unknown early-stopping label source", Good + "\nearly_stopping: { on: maybe }", 8, "early_stopping.on", "unknown value 'maybe'");
        yield return Case("a validation split too large", Good + "\nearly_stopping: { on: weak, validation_fraction: 0.9 }", 8, "early_stopping.validation_fraction", "out of range");
        yield return Case("a number where a mapping belongs", Good + "\ntrain: 5", 8, "train", "expected a mapping");
        yield return Case("text where a mapping belongs", Good.Replace("task: { family: mnist, target: digit-at-least-5 }", "task: mnist"), 3, "task", "expected a mapping");
        yield return Case("a negative seed", Good.Replace("seeds: [0]", "seeds: [-1]"), 7, "seeds", "out of range");
        yield return Case("a fractional seed", Good.Replace("seeds: [0]", "seeds: [1.5]"), 7, "seeds", "expected an integer, got '1.5'");
        yield return Case("an absurd number of epochs", Good + "\ntrain: { epochs: 100000 }", 8, "train.epochs", "out of range");
        yield return Case("a duplicated key", Good + "\nname: again", 8, "not valid YAML", "Duplicate key");
        yield return Case("tab indentation", Good.Replace("  weak_supervisor", "\tweak_supervisor"), 5, "not valid YAML");
        yield return Case("two YAML documents", Good + "\n---\nname: second", 9, "several YAML documents");
        yield return Case("an empty value", Good.Replace("strong_student: mlp-m", "strong_student:"), 6, "roles.strong_student", "the value is empty");
    }

    [TestCaseSource(nameof(Cases))]
    public void BadDefinitionGetsOneClearLineAndExitCode2(string yaml, int line, string[] expected)
    {
        string dir = TestPaths.Scratch("bad");
        string file = Path.Combine(dir, "bad.yaml");
        File.WriteAllText(file, yaml);
        var (code, stdout, stderr) = Run("run", file, "--out", Path.Combine(dir, "out"));
        string message = stderr.Trim();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(CommandLine.UserError));
            Assert.That(message.Split('\n'), Has.Length.EqualTo(1), "one line");
            Assert.That(message, Does.StartWith($"error: {file}:{line}:"), "names the file and the line");
            foreach (string part in expected) Assert.That(message, Does.Contain(part));
            Assert.That(message, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(Directory.Exists(Path.Combine(dir, "out")), Is.False, "nothing is written for a refused definition");
        }
    }

    [Test]
    public void MissingFileIsRefused()
    {
        var (code, _, stderr) = Run("run", "/no/such/definition.yaml");
        Assert.That(code, Is.EqualTo(CommandLine.UserError));
        Assert.That(stderr.Trim(), Is.EqualTo("error: /no/such/definition.yaml: file not found"));
    }

    [Test]
    public void BadOptionsAreRefused()
    {
        string good = Path.Combine(TestPaths.Experiments, "quickstart.yaml");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Run("run", good, "--threads", "zero").Code, Is.EqualTo(CommandLine.UserError));
            Assert.That(Run("run", good, "--device", "tpu").Stderr, Does.Contain("expected auto, cpu or cuda"));
            Assert.That(Run("run", good, "--colour", "red").Stderr, Does.Contain("unknown option --colour"));
            Assert.That(Run("frobnicate").Code, Is.EqualTo(CommandLine.UserError));
        }
    }

    [TestCase("help")]
    [TestCase("--help")]
    [TestCase("run", "--help")]
    [TestCase("reproduce", "-h")]
    [TestCase("slurm", "experiments/quickstart.yaml", "--help")]
    public void HelpAnywherePrintsTheUsage(params string[] args)
    {
        var (code, stdout, stderr) = Run(args);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(CommandLine.Ok), stderr);
            Assert.That(stdout, Does.Contain("oversightlab run [FILE]").And.Contain("oversightlab reproduce NAME"));
            Assert.That(stderr, Is.Empty);
        }
    }

    [Test]
    public void EveryShippedDefinitionValidates()
    {
        var files = Directory.GetFiles(TestPaths.Experiments, "*.yaml");
        Assert.That(files, Is.Not.Empty);
        var (code, stdout, stderr) = Run(["validate", .. files]);
        Assert.That(code, Is.EqualTo(CommandLine.Ok), stderr);
        Assert.That(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(files.Length));
    }

    [Test]
    public void SchemaDescribesEveryTopLevelKey()
    {
        var (code, stdout, _) = Run("schema");
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        var w2s = json.RootElement.GetProperty("oneOf").EnumerateArray().Single(v => v.GetProperty("title").GetString() == "weak-to-strong");
        var properties = w2s.GetProperty("properties");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(CommandLine.Ok));
            foreach (string key in new[] { "name", "protocol", "task", "roles", "method", "train", "seeds" })
                Assert.That(properties.TryGetProperty(key, out _), Is.True, key);
            Assert.That(w2s.GetProperty("additionalProperties").GetBoolean(), Is.False);
            Assert.That(properties.GetProperty("protocol").GetProperty("const").GetString(), Is.EqualTo("weak-to-strong"));
            Assert.That(properties.GetProperty("roles").GetProperty("properties").GetProperty("strong_student").ToString(), Does.Contain("mlp-xl"));
        }
    }

    [Test]
    public void ListShowsTheLadderAndTheExperiments()
    {
        string cwd = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(TestPaths.Repo);
            var (code, stdout, _) = Run("list");
            Assert.That(code, Is.EqualTo(CommandLine.Ok));
            Assert.That(stdout, Does.Contain("experiments/quickstart.yaml: weak-to-strong"));
            Assert.That(stdout, Does.Contain("mlp-xl"));
        }
        finally { Directory.SetCurrentDirectory(cwd); }
    }

    internal static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
