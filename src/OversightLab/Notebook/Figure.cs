using OversightLab.Reports;

namespace OversightLab.Notebook;

/// <summary>A figure of a run folder: the same plot as PNG (slides) and SVG (papers).</summary>
/// <param name="Name">the file name without extension, e.g. <c>accuracy_vs_strong</c></param>
public sealed record Figure(string Name, string? Png, string? Svg)
{
    /// <summary>
    /// HTML that shows the figure inline — in a notebook, <c>display(HTML(figure.ToHtml()))</c>.
    /// SVG when there is one (sharp at any zoom), else the PNG as a data URI. Each call gets fresh
    /// SVG ids, because a notebook's outputs share one page and ScottPlot reuses id names.
    /// </summary>
    public string ToHtml()
    {
        string prefix = "nb" + Guid.NewGuid().ToString("N")[..8] + "-";
        if (Svg is not null && File.Exists(Svg)) return HtmlReport.InlineSvg(File.ReadAllText(Svg), prefix, Name);
        if (Png is not null && File.Exists(Png)) return $"<img src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(Png))}\" alt=\"{HtmlMarkdown.Escape(Name)}\" style=\"max-width:100%\">";
        throw new FileNotFoundException($"figure '{Name}': neither its PNG nor its SVG file exists any more");
    }
}
