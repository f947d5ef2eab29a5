namespace OversightLab.Tests.Notebooks;

/// <summary>The notebook harness itself: state carries across cells, and a failing cell is named.</summary>
public sealed class NotebookRunnerTests
{
    static Notebook Write(params string[] cells)
    {
        string dir = TestPaths.Scratch("ipynb");
        string path = Path.Combine(dir, "probe.ipynb");
        string Cell(string source) =>
            $$$"""{"cell_type":"code","metadata":{"polyglot_notebook":{"kernelName":"csharp"}},"outputs":[],"source":{{{System.Text.Json.JsonSerializer.Serialize(source)}}}}""";
        File.WriteAllText(path, $$$"""
            {"nbformat":4,"nbformat_minor":5,
             "metadata":{"kernelspec":{"name":".net-csharp","language":"C#"},"language_info":{"name":"polyglot-notebook"}},
             "cells":[{"cell_type":"markdown","metadata":{},"source":"# probe"},{{{string.Join(",", cells.Select(Cell))}}}]}
            """);
        return Notebook.Read(path);
    }

    [Test]
    public void StateCarriesAcrossCellsAndTrailingExpressionsAreDisplayed()
    {
        var runner = new NotebookRunner();
        runner.RunAsync(Write("#r \"nuget: OversightLab\"\nusing OversightLab.Notebook;\nvar x = 41;", "x + 1", "display(HTML(\"<table></table>\"));")).GetAwaiter().GetResult();
        Assert.That(runner.Globals.Shown, Is.EqualTo(new[] { (2, "42"), (3, "<table></table>") }));
    }

    [Test]
    public void AThrowingCellFailsWithTheNotebookNameAndCellIndex()
    {
        var runner = new NotebookRunner();
        var e = Assert.ThrowsAsync<NotebookCellException>(() => runner.RunAsync(Write("var x = 1;", "throw new InvalidOperationException(\"boom\");", "x++;")));
        Assert.That(e!.Message, Does.StartWith("probe.ipynb, cell 2 (code cell 2)").And.Contain("InvalidOperationException: boom"));
    }

    [Test]
    public void ACellThatDoesNotCompileFailsNamingTheCellAndLine()
    {
        var runner = new NotebookRunner();
        var e = Assert.ThrowsAsync<NotebookCellException>(() => runner.RunAsync(Write("var x = 1;", "// fine\nvar y = undefinedName;")));
        Assert.That(e!.Message, Does.StartWith("probe.ipynb, cell 2 (code cell 2): does not compile").And.Contain("(2,").And.Contain("undefinedName"));
    }

    [Test]
    public void WithoutTheOversightLabReferenceTheLibraryIsNotVisible()
    {
        // The translation only references what a #r line asks for, so a notebook that forgot it fails here as in a kernel.
        var runner = new NotebookRunner();
        var e = Assert.ThrowsAsync<NotebookCellException>(() => runner.RunAsync(Write("using OversightLab.Notebook;")));
        Assert.That(e!.Message, Does.Contain("does not compile").And.Contain("OversightLab"));
    }

    [Test]
    public void UnknownPackagesAreDroppedWithANoteAndOtherKernelsRefused()
    {
        var runner = new NotebookRunner();
        runner.RunAsync(Write("#i \"nuget: ../artifacts\"\n#r \"nuget: NoSuchPackage, 1.0.0\"\nvar ok = true;")).GetAwaiter().GetResult();
        Assert.That(runner.Notes, Has.One.Contains("NoSuchPackage"));
        var e = Assert.ThrowsAsync<NotebookCellException>(() => new NotebookRunner().RunAsync(Write("#!fsharp\nlet x = 1")));
        Assert.That(e!.Message, Does.Contain("cell 1").And.Contain("#!fsharp"));
    }
}
