using OversightLab.Experiments;
using OversightLab.Notebook;
using OversightLab.Protocols.WeakToStrong;

namespace OversightLab.Tests.Notebooks;

/// <summary>The notebook API without training: sizes, paths, and clear errors.</summary>
public sealed class LabTests
{
    static readonly string Quickstart = Path.Combine(TestPaths.Experiments, "quickstart.yaml");

    [Test]
    public void SmokeSizeCutsTheQuickstartToTwoByTwoOneSeedTwoEpochs()
    {
        var full = Lab.Load(Quickstart);
        var smoke = Lab.Load(Quickstart, RunSize.Smoke);
        var settings = WeakToStrongProtocol.SettingsOf(smoke);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(full.Protocol.CountCells(full), Is.EqualTo(27));
            Assert.That(smoke.Protocol.CountCells(smoke), Is.EqualTo(4));
            Assert.That(smoke.Seeds, Is.EqualTo(new[] { 0 }));
            Assert.That(settings.WeakSupervisors.Select(m => m.Name), Is.EqualTo(new[] { "mlp-xs", "mlp-s" }));
            Assert.That(settings.StrongStudents.Select(m => m.Name), Is.EqualTo(new[] { "mlp-m", "mlp-l" }));
            Assert.That(settings.Train.Epochs, Is.EqualTo(2));
            Assert.That(smoke.SourceFile, Is.EqualTo(full.SourceFile), "the manifest still names the file it came from");
            Assert.That(smoke.Name, Is.EqualTo("quickstart"));
            Assert.That(smoke.Description, Does.Contain("Smoke size"));
            Assert.That(Lab.Resize(full, RunSize.Full), Is.SameAs(full));
        }
    }

    [Test]
    public void SmokeSizeTakesTheFirstValueOfOtherGridAxes()
    {
        var smoke = Lab.Parse("""
            name: grid
            protocol: weak-to-strong
            task: { family: mnist }
            roles: { weak_supervisor: [lin-pool7, mlp-xs], strong_student: [mlp-xl, mlp-m, mlp-s] }
            method: [logconf, xent]
            adapt: [finetune, probe]
            train: { epochs: 7 }
            seeds: [3, 4]
            """, RunSize.Smoke);
        var s = WeakToStrongProtocol.SettingsOf(smoke);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(s.Methods, Is.EqualTo(new[] { "logconf" }));
            Assert.That(s.Adapts, Is.EqualTo(new[] { "finetune" }));
            Assert.That(smoke.Seeds, Is.EqualTo(new[] { 3 }));
            Assert.That(s.WeakSupervisors.Select(m => m.Name), Is.EqualTo(new[] { "mlp-xs", "lin-pool7" }), "lowest-ranked first");
            Assert.That(s.StrongStudents.Select(m => m.Name), Is.EqualTo(new[] { "mlp-s", "mlp-m" }), "the cheapest students above mlp-xs");
        }
    }

    [Test]
    public void AMistakeInAnInlineDefinitionNamesTheLineAndField()
    {
        var e = Assert.Throws<DefinitionException>(() => Lab.Parse("name: x\nprotocol: weak-to-strong\ntask: { family: mnist }\nroles: { weak_supervisor: mlp-xs, strong_student: mlp-mm }\n"));
        Assert.That(e!.Message, Does.Contain("notebook.yaml:4").And.Contain("roles.strong_student").And.Contain("did you mean 'mlp-m'"));
    }

    [Test]
    public void PathsResolveAgainstTheRepositoryFromAnyFolderInside()
    {
        string cwd = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(Path.Combine(TestPaths.Repo, "notebooks"));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(Lab.Repository, Is.EqualTo(TestPaths.Repo));
                Assert.That(Lab.Find("experiments/quickstart.yaml"), Is.EqualTo(Quickstart));
                Assert.That(Lab.Find("README.md"), Is.EqualTo(Path.Combine(TestPaths.Repo, "notebooks", "README.md")), "the working directory wins");
                Assert.That(Lab.Find("no/such/file"), Is.EqualTo(Path.Combine(TestPaths.Repo, "notebooks", "no", "such", "file")));
            }
        }
        finally { Directory.SetCurrentDirectory(cwd); }
    }

    [Test]
    public void OpeningSomethingThatIsNotARunFolderSaysWhat()
    {
        var missing = Assert.Throws<DirectoryNotFoundException>(() => Lab.Open(Path.Combine(TestPaths.Scratch("open"), "nope")));
        Assert.That(missing!.Message, Does.Contain("not found").And.Contain("manifest.json"));
        var empty = Assert.Throws<InvalidDataException>(() => Lab.Open(TestPaths.Scratch("open")));
        Assert.That(empty!.Message, Does.Contain("not a run folder"));
    }

    [Test]
    public void ARunFolderOpensWithItsRowsFiguresAndReports()
    {
        var run = Lab.Open(NotebookScratch.Quickstart().Folder);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Protocol, Is.EqualTo("weak-to-strong"));
            Assert.That(run.Tables.Select(Path.GetFileName), Is.EqualTo(new[] { "w2s.csv" }));
            Assert.That(run.Rows<W2sRow>(), Has.Count.EqualTo(run.W2sRows().Count));
            Assert.That(run.Figure("accuracy_vs_strong").Svg, Does.EndWith("accuracy_vs_strong.svg"));
            Assert.That(run.Figure("accuracy_vs_strong").ToHtml(), Does.StartWith("<svg"));
            Assert.That(run.ReportMarkdown, Does.EndWith("report.md"));
            Assert.Throws<KeyNotFoundException>(() => run.Figure("nope"));
            Assert.Throws<KeyNotFoundException>(() => run.PgrTable("nope"));
        }
    }

    [Test]
    public void ThePgrTableHasTheReportsNumbers()
    {
        var run = NotebookScratch.Quickstart();
        var table = run.PgrTable();
        string report = File.ReadAllText(run.ReportMarkdown!);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(table.Method, Is.EqualTo("xent"));
            Assert.That(table.Weak, Is.EqualTo(new[] { "mlp-xs", "mlp-s" }));
            Assert.That(table.Strong, Is.EqualTo(new[] { "mlp-m", "mlp-l" }));
            foreach (var w in table.Weak)
                foreach (var s in table.Strong)
                    Assert.That(report, Does.Contain(PgrTable.Cell(table[w, s])), $"{w} → {s} as in report.md");
            Assert.That(table.ToHtml(), Does.Contain("<table").And.Contain("ceiling"));
            Assert.That(table.ToMarkdown(), Does.Contain("| weak \\ strong (xent) | mlp-m | mlp-l |"));
        }
    }

    [Test]
    public void RebuildWritesFiguresAndReportsElsewhereFromTheCsvAlone()
    {
        var run = NotebookScratch.Quickstart();
        string into = TestPaths.Scratch("rebuilt");
        var before = File.GetLastWriteTimeUtc(Path.Combine(run.Folder, "accuracy_vs_strong.svg"));
        var rebuilt = run.Rebuild(into);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rebuilt.Folder, Is.EqualTo(into));
            Assert.That(rebuilt.Figures.Select(f => f.Name), Is.EquivalentTo(run.Figures.Select(f => f.Name)));
            Assert.That(File.ReadAllText(rebuilt.ReportMarkdown!), Is.EqualTo(File.ReadAllText(run.ReportMarkdown!)));
            Assert.That(rebuilt.ReportHtml, Is.Not.Null);
            Assert.That(Directory.Exists(Path.Combine(into, "cache")), Is.False, "no model cache: nothing trains");
            Assert.That(File.GetLastWriteTimeUtc(Path.Combine(run.Folder, "accuracy_vs_strong.svg")), Is.EqualTo(before), "the source folder is only read");
        }
    }
}
