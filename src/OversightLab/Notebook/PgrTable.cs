using System.Globalization;
using System.Text;
using OversightLab.Protocols.WeakToStrong;
using OversightLab.Reports;

namespace OversightLab.Notebook;

/// <summary>
/// The weak-to-strong PGR table of one method: weak supervisors as rows (weakest first), strong
/// students as columns, each cell the pair's PGR as mean ± sd over seeds with the 95% paired
/// bootstrap interval — the table of <c>report.md</c>, plus each supervisor's own accuracy and a
/// ceiling row, as in the README. Built from <see cref="W2sReport.Pairs"/>, so the numbers are the
/// report's.
/// </summary>
public sealed class PgrTable
{
    public string Method { get; }
    /// <summary>Row labels: weak supervisors by ladder rank.</summary>
    public IReadOnlyList<string> Weak { get; }
    /// <summary>Column labels: strong students by ladder rank.</summary>
    public IReadOnlyList<string> Strong { get; }
    public IReadOnlyList<W2sReport.Pair> Pairs { get; }
    /// <summary>Median over pairs of the pair's PGR, excluding pairs whose ceiling does not beat the weak supervisor.</summary>
    public double? MedianPgr { get; }

    PgrTable(string method, IReadOnlyList<W2sReport.Pair> pairs)
    {
        Method = method;
        Pairs = pairs;
        Weak = pairs.OrderBy(p => p.WeakRank).Select(p => p.Weak).Distinct().ToList();
        Strong = pairs.OrderBy(p => p.StrongRank).Select(p => p.Strong).Distinct().ToList();
        MedianPgr = W2sReport.MedianPgr(pairs);
    }

    /// <summary>One table per method (the naive loss first), from a run's rows.</summary>
    public static IReadOnlyList<PgrTable> From(IEnumerable<W2sRow> rows)
    {
        var pairs = W2sReport.Pairs(rows);
        return pairs.Select(p => p.Method).Distinct().Select(m => new PgrTable(m, pairs.Where(p => p.Method == m).ToList())).ToList();
    }

    /// <summary>The pair (weak, strong), or null when the sweep did not have it.</summary>
    public W2sReport.Pair? this[string weak, string strong] => Pairs.FirstOrDefault(p => p.Weak == weak && p.Strong == strong);

    /// <summary>A cell's text: <c>0.19 ± 0.03 [0.10, 0.28]</c>; <c>undef.</c> when ceiling − weak was too small to divide by.</summary>
    public static string Cell(W2sReport.Pair? p) => p is null ? "" : p.Pgr is null ? "undef."
        : $"{F(p.Pgr)}{(p.PgrSd is double sd ? " ± " + F(sd) : "")} [{F(p.PgrCiLow)}, {F(p.PgrCiHigh)}]";

    IEnumerable<(string Label, IReadOnlyList<string> Cells)> Rows()
    {
        foreach (string w in Weak)
        {
            double acc = Pairs.Where(p => p.Weak == w).Average(p => p.Weak_);
            yield return ($"{w} (weak acc {acc.ToString("0.000", CultureInfo.InvariantCulture)})", Strong.Select(s => Cell(this[w, s])).ToList());
        }
        yield return ("ceiling", Strong.Select(s => Pairs.Where(p => p.Strong == s).Average(p => p.Ceiling).ToString("0.000", CultureInfo.InvariantCulture)).ToList());
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine($"| weak \\ strong ({Method}) | {string.Join(" | ", Strong)} |");
        md.AppendLine($"|---|{string.Concat(Strong.Select(_ => "---|"))}");
        foreach (var (label, cells) in Rows()) md.AppendLine($"| {label} | {string.Join(" | ", cells)} |");
        md.AppendLine().AppendLine($"Median PGR over pairs: {F(MedianPgr)}");
        return md.ToString();
    }

    /// <summary>An HTML table with its own borders (a notebook's output has no report stylesheet).</summary>
    public string ToHtml()
    {
        const string cell = "border:1px solid #b8c0c8;padding:4px 10px;text-align:left;white-space:nowrap";
        var html = new StringBuilder();
        html.Append("<table style=\"border-collapse:collapse;font-variant-numeric:tabular-nums\">");
        html.Append($"<caption style=\"text-align:left;padding:4px 0\">PGR, method <code>{HtmlMarkdown.Escape(Method)}</code>: mean ± sd over seeds [95% bootstrap interval]</caption>");
        html.Append($"<thead><tr><th style=\"{cell}\">weak \\ strong</th>");
        foreach (string s in Strong) html.Append($"<th style=\"{cell}\">{HtmlMarkdown.Escape(s)}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var (label, cells) in Rows())
        {
            html.Append($"<tr><th style=\"{cell}\">{HtmlMarkdown.Escape(label)}</th>");
            foreach (string c in cells) html.Append($"<td style=\"{cell}\">{HtmlMarkdown.Escape(c)}</td>");
            html.Append("</tr>");
        }
        html.Append($"</tbody></table><p>Median PGR over pairs: <b>{F(MedianPgr)}</b></p>");
        return html.ToString();
    }

    public override string ToString() => ToMarkdown();

    static string F(double? v) => v is double x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "–";
}
