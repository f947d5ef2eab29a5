using OversightLab.Reports;

namespace OversightLab.Tests.Reports;

/// <summary>The Markdown subset the reports write, converted as a browser user expects.</summary>
public sealed class HtmlMarkdownTests
{
    [Test]
    public void PipeTablesWithEscapesAndAlignment()
    {
        string html = HtmlMarkdown.ToHtml("""
            | weak \ strong | mlp-m | a \| b |
            |---|:---:|---:|
            | mlp-xs | 0.19 ± 0.03 [0.10, 0.28] | `x|y` |
            | *ceiling* | 0.841 |
            """);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(html, Does.Contain("<th>weak \\ strong</th>"), "a backslash before a space is literal");
            Assert.That(html, Does.Contain("<th style=\"text-align:right\">a | b</th>"), "\\| is a pipe inside a cell");
            Assert.That(html, Does.Contain("<td style=\"text-align:center\">0.19 &#177; 0.03 [0.10, 0.28]</td>"));
            Assert.That(html, Does.Contain("<code>x|y</code>"), "a pipe inside a code span does not split the cell");
            Assert.That(html, Does.Contain("<td><em>ceiling</em></td><td style=\"text-align:center\">0.841</td><td style=\"text-align:right\"></td>"), "short rows are padded");
            Assert.That(html.Split("<tr>").Length - 1, Is.EqualTo(3));
        }
    }

    [Test]
    public void InlineMarksAndEscaping()
    {
        string html = HtmlMarkdown.ToHtml("Median **-0.02**, *undef.*: see `w2s.csv` and pgr_ci_low; <script>alert(1)</script> & 2 * 3 * 4");
        Assert.That(html, Is.EqualTo("<p>Median <strong>-0.02</strong>, <em>undef.</em>: see <code>w2s.csv</code> and pgr_ci_low; &lt;script&gt;alert(1)&lt;/script&gt; &amp; 2 * 3 * 4</p>\n"));
    }

    [Test]
    public void HeadingsListsParagraphsAndCode()
    {
        string html = HtmlMarkdown.ToHtml("# quickstart — weak-to-strong report\n\n- task: `mnist`\n- cells: 4 ok\n  of 4\n\nOne\nparagraph.\n\n## PGR — method `xent`\n\n```yaml\na: <b>\n```\n\n1. first\n2. second\n");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(html, Does.Contain("<h1 id=\"quickstart-weak-to-strong-report\">quickstart — weak-to-strong report</h1>"));
            Assert.That(html, Does.Contain("<ul>\n<li>task: <code>mnist</code></li>\n<li>cells: 4 ok of 4</li>\n</ul>"));
            Assert.That(html, Does.Contain("<p>One\nparagraph.</p>"));
            Assert.That(html, Does.Contain("<h2 id=\"pgr-method-xent\">PGR — method <code>xent</code></h2>"));
            Assert.That(html, Does.Contain("<pre><code class=\"language-yaml\">a: &lt;b&gt;</code></pre>"));
            Assert.That(html, Does.Contain("<ol>\n<li>first</li>\n<li>second</li>\n</ol>"));
        }
    }

    [Test]
    public void ImagesGoThroughTheCallbackAndLinksCanBeRewritten()
    {
        var asked = new List<(string, string)>();
        string html = HtmlMarkdown.ToHtml("![accuracy vs strong size](accuracy_vs_strong.png)\n\nsee [the run](run/report.md) and ![tiny](t.png) inline",
            image: (url, alt) => { asked.Add((url, alt)); return url == "t.png" ? null : "<figure>FIG</figure>"; },
            link: target => target.Replace(".md", ".html"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(asked, Is.EqualTo(new[] { ("accuracy_vs_strong.png", "accuracy vs strong size"), ("t.png", "tiny") }));
            Assert.That(html, Does.StartWith("<figure>FIG</figure>\n"), "a lone image is a block, not wrapped in <p>");
            Assert.That(html, Does.Contain("<a href=\"run/report.html\">the run</a>"));
            Assert.That(html, Does.Contain("<img src=\"t.png\" alt=\"tiny\">"));
        }
    }
}
