using OversightLab.Experiments;

namespace OversightLab.Tests.Experiments;

public sealed class ManifestTests
{
    [Test]
    public void ADefinitionInTheRepositoryIsRecordedRelativeToItsTopLevel()
    {
        if (Manifest.CurrentCommit(TestPaths.Repo) == "unknown") Assert.Ignore("the tests do not run in a git checkout");
        string file = Path.Combine(TestPaths.Experiments, "quickstart.yaml");
        Assert.That(Manifest.DefinitionPath(file), Is.EqualTo("experiments/quickstart.yaml"));
    }

    [Test]
    public void ADefinitionOutsideARepositoryKeepsItsAbsolutePath()
    {
        string file = Path.Combine(TestPaths.Scratch("manifest"), "mine.yaml");
        File.WriteAllText(file, "name: mine\n");
        Assert.That(Manifest.DefinitionPath(file), Is.EqualTo(Path.GetFullPath(file)));
    }
}
