using OversightLab.Notebook;

namespace OversightLab.Tests.Notebooks;

/// <summary>
/// Every notebook in <c>notebooks/</c> runs, cell by cell in order, as a new user would run it
/// against a fresh build (see <see cref="NotebookRunner"/> for how the kernel's directives are
/// translated). Runs go to <see cref="NotebookScratch"/>, so the notebooks compute rather than
/// find a previous session's cells, and share one smoke sweep instead of training it twice.
/// </summary>
public sealed class NotebookTests
{
    public static IEnumerable<TestCaseData> Notebooks() =>
        Directory.GetFiles(Path.Combine(TestPaths.Repo, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(Path.GetFileName(path)));

    [Test]
    public void TheNotebooksExist()
    {
        var names = Notebooks().Select(t => (string)t.Arguments[0]!).ToList();
        Assert.That(names, Is.SupersetOf(new[] { "quickstart.ipynb", "reproduce-pgr-table.ipynb" }));
    }

    [TestCaseSource(nameof(Notebooks))]
    public void HasTheCSharpKernelAndReferencesTheLibrary(string name)
    {
        var notebook = Notebook.Read(Path.Combine(TestPaths.Repo, "notebooks", name));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(notebook.Format, Is.EqualTo(4), "nbformat");
            Assert.That(notebook.KernelName, Is.EqualTo(".net-csharp"), "kernelspec.name");
            Assert.That(notebook.KernelLanguage, Is.EqualTo("C#"), "kernelspec.language");
            Assert.That(notebook.LanguageInfo, Is.EqualTo("polyglot-notebook"), "language_info.name");
            Assert.That(notebook.CodeCells.First().Source, Does.Contain("#r \"nuget: OversightLab\""), "the first code cell references the package");
            Assert.That(notebook.Cells.First().Type, Is.EqualTo("markdown"), "opens with a sentence saying what it does");
        }
    }

    [TestCaseSource(nameof(Notebooks))]
    public void EveryCellRuns(string name)
    {
        var notebook = Notebook.Read(Path.Combine(TestPaths.Repo, "notebooks", name));
        var runner = new NotebookRunner();
        string cwd = Directory.GetCurrentDirectory();
        try
        {
            // As the kernel starts: in the notebook's folder.
            Directory.SetCurrentDirectory(Path.GetDirectoryName(notebook.Path)!);
            NotebookScratch.With(() => runner.RunAsync(notebook).GetAwaiter().GetResult());
        }
        catch (NotebookCellException e)
        {
            Assert.Fail(e.Message + (e.InnerException is { } inner ? "\n" + inner : ""));
        }
        finally
        {
            Directory.SetCurrentDirectory(cwd);
        }
        foreach (string note in runner.Notes) TestContext.Out.WriteLine(note);

        // The notebooks exist to show results inline: each displays at least one figure and one table.
        var shown = runner.Globals.Shown.Select(s => s.Content).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(shown, Has.Some.Contains("<svg").Or.Some.Contains("<img"), $"{name} displays a figure");
            Assert.That(shown, Has.Some.Contains("<table"), $"{name} displays a table");
        }
    }

    [Test]
    public void QuickstartSmokeSizeIsTwoByTwoWithOneSeed()
    {
        var run = NotebookScratch.Quickstart();
        var rows = run.W2sRows();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows.Select(r => $"{r.WeakModel}>{r.StrongModel}"), Is.EquivalentTo(new[] { "mlp-xs>mlp-m", "mlp-xs>mlp-l", "mlp-s>mlp-m", "mlp-s>mlp-l" }));
            Assert.That(rows.Select(r => r.Seed).Distinct(), Is.EqualTo(new[] { 0 }));
            Assert.That(rows.All(r => r.Status == "ok"), Is.True);
            // The manifest records what ran, not the full definition it was cut from.
            Assert.That(run.Manifest!.Seeds, Is.EqualTo(new[] { 0 }));
            Assert.That(run.Manifest.Definition["train"].ToString(), Does.Contain("\"epochs\": 2").Or.Contain("\"epochs\":2"));
            Assert.That(run.Manifest.Definition["description"].ToString(), Does.Contain("Smoke size"));
            Assert.That(run.ReportHtml, Is.Not.Null, "every run folder gets report.html (Protocol.Run → HtmlReport.Write)");
            Assert.That(run.Figures.Select(f => f.Name), Is.SupersetOf(new[] { "accuracy_vs_strong", "pgr_heatmap_xent" }));
        }
    }
}
