using System.Text.RegularExpressions;
using OversightLab.Reports;
using OversightLab.Tests.Notebooks;

namespace OversightLab.Tests.Reports;

/// <summary><c>report.html</c>: self-contained, the figures inline as SVG, the tables, the provenance, the CSV links.</summary>
public sealed class HtmlReportTests
{
    [Test]
    public void TheQuickstartReportHasItsFiguresTablesProvenanceAndCsvLinks()
    {
        var run = NotebookScratch.Quickstart();
        string html = File.ReadAllText(run.ReportHtml!);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(html, Does.StartWith("<!DOCTYPE html>"));
            Assert.That(html, Does.Contain("<title>quickstart — weak-to-strong report</title>"));
            Assert.That(Regex.Matches(html, "<svg").Count, Is.EqualTo(2), "accuracy figure and PGR heatmap, inline");
            Assert.That(html, Does.Not.Contain("<img"), "every figure had an SVG");
            Assert.That(html, Does.Not.Contain("!["), "no Markdown left");
            Assert.That(html, Does.Contain("<th>weak \\ strong</th><th>mlp-m</th><th>mlp-l</th>"), "the PGR table");
            Assert.That(html, Does.Contain("<th>student–weak agreement</th>"), "the accuracies table");
            Assert.That(html, Does.Contain("<h2 id=\"provenance\">Provenance</h2>").And.Contain(run.Manifest!.GitCommit).And.Contain("TorchSharp 0.107.0"));
            Assert.That(html, Does.Contain("<a href=\"w2s.csv\">w2s.csv</a> — 4 rows"));
            Assert.That(html, Does.Not.Contain("src=\"http").And.Not.Contain("href=\"http"), "nothing loads from the network");
        }
    }

    [Test]
    public void RenderingIsDeterministic()
    {
        string folder = NotebookScratch.Quickstart().Folder;
        Assert.That(HtmlReport.Render(folder), Is.EqualTo(HtmlReport.Render(folder)));
    }

    [Test]
    public void InlineSvgsGetTheirOwnIdsAndScale()
    {
        string svg = File.ReadAllText(NotebookScratch.Quickstart().Figure("accuracy_vs_strong").Svg!);
        string a = HtmlReport.InlineSvg(svg, "f1-", "first"), b = HtmlReport.InlineSvg(svg, "f2-", "second");
        var ids = (Ids(a), Ids(b));
        var references = Regex.Matches(a, @"url\(#([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Ids(svg), Is.Not.Empty, "ScottPlot's SVG has clip-path ids (otherwise this test proves nothing)");
            Assert.That(ids.Item1.Intersect(ids.Item2), Is.Empty, "two figures on one page share no id");
            Assert.That(references, Is.Not.Empty.And.All.StartWith("f1-"));
            Assert.That(ids.Item1, Is.SupersetOf(references), "every reference resolves inside its own figure");
            Assert.That(a, Does.StartWith("<svg").And.Contain("viewBox=\"0 0 1180 620\"").And.Contain("max-width:1180px").And.Contain("aria-label=\"first\""));
            Assert.That(Regex.IsMatch(a[..a.IndexOf('>')], @"\swidth="""), Is.False, "fixed width removed so the figure scales");
        }

        static List<string> Ids(string s) => Regex.Matches(s, "\\bid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
    }

    [Test]
    public void AReproductionSummaryRendersItsReadmeAndLinksRunReports()
    {
        string summary = TestPaths.Scratch("summary");
        Directory.CreateDirectory(Path.Combine(summary, "w2s-mnist"));
        File.WriteAllText(Path.Combine(summary, "w2s-mnist", "report.html"), "<!DOCTYPE html>");
        File.WriteAllText(Path.Combine(summary, "README.md"), "# Weak-to-strong reproduction\n\n- runs: [w2s-mnist](w2s-mnist/report.md), [gone](gone/report.md)\n");
        File.WriteAllText(Path.Combine(summary, "median_pgr.csv"), "task,method\nmnist,xent\n");
        string html = File.ReadAllText(HtmlReport.Write(summary));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(html, Does.Contain("<title>Weak-to-strong reproduction</title>"));
            Assert.That(html, Does.Contain("<a href=\"w2s-mnist/report.html\">w2s-mnist</a>"), "a run with report.html links to it");
            Assert.That(html, Does.Contain("<a href=\"gone/report.md\">gone</a>"), "otherwise the link is left alone");
            Assert.That(html, Does.Contain("<a href=\"median_pgr.csv\">median_pgr.csv</a> — 1 row</li>"));
            Assert.That(html, Does.Not.Contain("Provenance"), "no manifest, no provenance section");
        }
    }
}
