namespace OversightLab.Tests.Cli;

/// <summary>The real executable, as a user starts it: exit codes and output, not in-process calls.</summary>
public sealed class ProcessTests
{
    [Test]
    public void BrokenDefinitionExitsWith2AndOneLineOfStderr()
    {
        string dir = TestPaths.Scratch("proc");
        string file = Path.Combine(dir, "broken.yaml");
        File.WriteAllText(file, "name: broken\nprotocol: weak-to-strong\ntask: { family: mnist }\nroles: { weak_supervisor: mlp-xs, strong_student: gpt-5 }\n");
        var (code, _, stderr) = CliProcess.Run(dir, "run", file);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(stderr, Does.Contain("broken.yaml:4:").And.Contain("roles.strong_student").And.Contain("unknown value 'gpt-5'"));
        }
    }
}
