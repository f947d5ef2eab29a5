using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace OversightLab.Reports;

/// <summary>
/// Markdown → HTML for the subset our reports write: ATX headings, paragraphs, flat bullet and
/// numbered lists, pipe tables (with <c>:---:</c> alignment), fenced code, block quotes, rules,
/// and inline <c>**bold**</c>, <c>*italic*</c>, <c>`code`</c>, links and images.
/// <para>
/// Why a converter of our own: the Markdown packages on the package mirror are not MIT-licensed
/// (Markdig is BSD-2) or are large, and the reports only use this subset. Why no <c>_italic_</c>:
/// report text is full of snake_case file and column names (<c>pgr_ci_low</c>), which CommonMark
/// would only leave alone through its intraword rules; leaving underscores literal is simpler
/// and never wrong for our files. Everything is HTML-escaped except what the callbacks return.
/// </para>
/// </summary>
public static partial class HtmlMarkdown
{
    /// <summary>Converts <paramref name="markdown"/> to an HTML fragment.</summary>
    /// <param name="image">Given (url, alt), returns the HTML for an image, or null for a plain <c>&lt;img&gt;</c>.</param>
    /// <param name="link">Rewrites a link target (for example <c>x/report.md</c> → <c>x/report.html</c>).</param>
    public static string ToHtml(string markdown, Func<string, string, string?>? image = null, Func<string, string>? link = null)
    {
        var inline = new Inline(image, link);
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var html = new StringBuilder();
        int i = 0;
        while (i < lines.Length)
        {
            string line = lines[i];
            string trimmed = line.Trim();
            if (trimmed.Length == 0) { i++; continue; }

            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                string language = trimmed[3..].Trim();
                var code = new List<string>();
                for (i++; i < lines.Length && !lines[i].Trim().StartsWith("```", StringComparison.Ordinal); i++) code.Add(lines[i]);
                i++; // the closing fence (or the end of the text)
                string cls = language.Length > 0 ? $" class=\"language-{Escape(language)}\"" : "";
                html.Append("<pre><code").Append(cls).Append('>').Append(Escape(string.Join("\n", code))).Append("</code></pre>\n");
                continue;
            }
            if (HeadingLine().Match(trimmed) is { Success: true } heading)
            {
                int level = heading.Groups[1].Length;
                string text = heading.Groups[2].Value.TrimEnd('#', ' ');
                html.Append($"<h{level} id=\"{Slug(text)}\">").Append(inline.Render(text)).Append($"</h{level}>\n");
                i++;
                continue;
            }
            if (RuleLine().IsMatch(trimmed))
            {
                html.Append("<hr>\n");
                i++;
                continue;
            }
            if (trimmed.StartsWith('|') && i + 1 < lines.Length && SeparatorLine().IsMatch(lines[i + 1].Trim()))
            {
                i = Table(lines, i, html, inline);
                continue;
            }
            if (trimmed.StartsWith('>'))
            {
                var quoted = new List<string>();
                for (; i < lines.Length && lines[i].TrimStart().StartsWith('>'); i++) quoted.Add(lines[i].TrimStart()[1..].TrimStart());
                html.Append("<blockquote>\n").Append(ToHtml(string.Join("\n", quoted), image, link)).Append("</blockquote>\n");
                continue;
            }
            if (ListItem().Match(line) is { Success: true } first)
            {
                bool ordered = char.IsDigit(first.Groups[2].Value[0]);
                html.Append(ordered ? "<ol>\n" : "<ul>\n");
                while (i < lines.Length && ListItem().Match(lines[i]) is { Success: true } item && char.IsDigit(item.Groups[2].Value[0]) == ordered)
                {
                    // An item runs on over indented continuation lines (no nested lists in our reports).
                    var text = new StringBuilder(item.Groups[3].Value);
                    for (i++; i < lines.Length && lines[i].Length > 0 && char.IsWhiteSpace(lines[i][0]) && !ListItem().IsMatch(lines[i]); i++)
                        text.Append(' ').Append(lines[i].Trim());
                    html.Append("<li>").Append(inline.Render(text.ToString())).Append("</li>\n");
                }
                html.Append(ordered ? "</ol>\n" : "</ul>\n");
                continue;
            }

            // A paragraph: consecutive lines that start no other block.
            var paragraph = new List<string>();
            for (; i < lines.Length && lines[i].Trim().Length > 0 && !StartsBlock(lines, i); i++) paragraph.Add(lines[i].Trim());
            if (paragraph.Count == 0) { paragraph.Add(trimmed); i++; }
            string joined = string.Join("\n", paragraph);
            // An image alone in its paragraph is a figure: block content, so not wrapped in <p>.
            if (LoneImage().Match(joined) is { Success: true } lone)
                html.Append(inline.Image(lone.Groups[2].Value, lone.Groups[1].Value, block: true)).Append('\n');
            else
                html.Append("<p>").Append(inline.Render(joined)).Append("</p>\n");
        }
        return html.ToString();
    }

    static bool StartsBlock(string[] lines, int i)
    {
        string t = lines[i].Trim();
        return t.StartsWith("```", StringComparison.Ordinal) || HeadingLine().IsMatch(t) || RuleLine().IsMatch(t) || t.StartsWith('>')
            || ListItem().IsMatch(lines[i]) || (t.StartsWith('|') && i + 1 < lines.Length && SeparatorLine().IsMatch(lines[i + 1].Trim()));
    }

    static int Table(string[] lines, int i, StringBuilder html, Inline inline)
    {
        var header = Cells(lines[i]);
        var align = Cells(lines[i + 1]).Select(c =>
        {
            string s = c.Trim();
            return s.StartsWith(':') && s.EndsWith(':') ? "center" : s.EndsWith(':') ? "right" : s.StartsWith(':') ? "left" : null;
        }).ToList();
        string Style(int column) => column < align.Count && align[column] is { } a ? $" style=\"text-align:{a}\"" : "";

        // Wrapped so that a wide table scrolls inside the page instead of widening it.
        html.Append("<div class=\"table-wrap\"><table>\n<thead><tr>");
        for (int c = 0; c < header.Count; c++) html.Append($"<th{Style(c)}>").Append(inline.Render(header[c])).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        for (i += 2; i < lines.Length && lines[i].Trim().StartsWith('|'); i++)
        {
            var cells = Cells(lines[i]);
            html.Append("<tr>");
            for (int c = 0; c < header.Count; c++)
                html.Append($"<td{Style(c)}>").Append(c < cells.Count ? inline.Render(cells[c]) : "").Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table></div>\n");
        return i;
    }

    /// <summary>A table row's cells: split on <c>|</c> except where escaped (<c>\|</c>) or inside a code span.</summary>
    static List<string> Cells(string row)
    {
        string s = row.Trim();
        if (s.StartsWith('|')) s = s[1..];
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool code = false;
        for (int k = 0; k < s.Length; k++)
        {
            char ch = s[k];
            if (ch == '\\' && k + 1 < s.Length && s[k + 1] == '|') { cell.Append("\\|"); k++; continue; }
            if (ch == '`') code = !code;
            if (ch == '|' && !code) { cells.Add(cell.ToString().Trim()); cell.Clear(); continue; }
            cell.Append(ch);
        }
        if (cell.ToString().Trim().Length > 0) cells.Add(cell.ToString().Trim());
        return cells;
    }

    /// <summary>Heading anchor: lowercase letters, digits and dashes.</summary>
    public static string Slug(string text)
    {
        string plain = SlugDrop().Replace(text.ToLowerInvariant(), "");
        return SlugDashes().Replace(plain.Trim(), "-").Trim('-');
    }

    /// <summary>HTML-escapes text for element content and quoted attribute values.</summary>
    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <summary>The inline grammar: escapes, code spans, images, links, strong, emphasis.</summary>
    sealed class Inline(Func<string, string, string?>? image, Func<string, string>? link)
    {
        public string Render(string text)
        {
            var html = new StringBuilder();
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (c == '\\' && i + 1 < text.Length && IsAsciiPunctuation(text[i + 1]))
                {
                    html.Append(Escape(text[i + 1].ToString()));
                    i += 2;
                    continue;
                }
                if (c == '`')
                {
                    int run = 0;
                    while (i + run < text.Length && text[i + run] == '`') run++;
                    string fence = new('`', run);
                    int close = text.IndexOf(fence, i + run, StringComparison.Ordinal);
                    if (close > 0)
                    {
                        html.Append("<code>").Append(Escape(text[(i + run)..close].Trim())).Append("</code>");
                        i = close + run;
                        continue;
                    }
                }
                if (c == '!' && i + 1 < text.Length && text[i + 1] == '[' && LinkAt(text, i + 1) is var (alt, url, end))
                {
                    html.Append(Image(url, alt, block: false));
                    i = end;
                    continue;
                }
                if (c == '[' && LinkAt(text, i) is var (label, target, after))
                {
                    string href = link?.Invoke(target) ?? target;
                    html.Append($"<a href=\"{Escape(href)}\">").Append(Render(label)).Append("</a>");
                    i = after;
                    continue;
                }
                if (c == '*' && i + 1 < text.Length && text[i + 1] == '*')
                {
                    int close = text.IndexOf("**", i + 2, StringComparison.Ordinal);
                    if (close > i + 2)
                    {
                        html.Append("<strong>").Append(Render(text[(i + 2)..close])).Append("</strong>");
                        i = close + 2;
                        continue;
                    }
                }
                if (c == '*' && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]))
                {
                    int close = ClosingStar(text, i + 1);
                    if (close > 0)
                    {
                        html.Append("<em>").Append(Render(text[(i + 1)..close])).Append("</em>");
                        i = close + 1;
                        continue;
                    }
                }
                html.Append(c == '\n' ? "\n" : Escape(c.ToString()));
                i++;
            }
            return html.ToString();
        }

        public string Image(string url, string alt, bool block)
        {
            string? custom = image?.Invoke(url, alt);
            if (custom is not null) return custom;
            string img = $"<img src=\"{Escape(url)}\" alt=\"{Escape(alt)}\">";
            return block ? $"<figure>{img}<figcaption>{Escape(alt)}</figcaption></figure>" : img;
        }

        /// <summary>CommonMark escapes only ASCII punctuation: <c>weak \ strong</c> keeps its backslash.</summary>
        static bool IsAsciiPunctuation(char ch) => ch < 128 && (char.IsPunctuation(ch) || char.IsSymbol(ch));

        /// <summary>A single <c>*</c> closing emphasis: not doubled, preceded by a non-space.</summary>
        static int ClosingStar(string text, int from)
        {
            for (int k = from + 1; k < text.Length; k++)
                if (text[k] == '*' && !char.IsWhiteSpace(text[k - 1]) && (k + 1 >= text.Length || text[k + 1] != '*')) return k;
            return -1;
        }

        /// <summary><c>[label](target)</c> starting at <paramref name="open"/>: label, target, index after it.</summary>
        static (string, string, int)? LinkAt(string text, int open)
        {
            int depth = 0;
            for (int k = open; k < text.Length; k++)
            {
                if (text[k] == '[') depth++;
                else if (text[k] == ']' && --depth == 0)
                {
                    if (k + 1 >= text.Length || text[k + 1] != '(') return null;
                    int close = text.IndexOf(')', k + 2);
                    if (close < 0) return null;
                    return (text[(open + 1)..k], text[(k + 2)..close].Trim(), close + 1);
                }
            }
            return null;
        }
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$")] private static partial Regex HeadingLine();
    [GeneratedRegex(@"^(-{3,}|\*{3,}|_{3,})$")] private static partial Regex RuleLine();
    [GeneratedRegex(@"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")] private static partial Regex SeparatorLine();
    [GeneratedRegex(@"^(\s{0,3})([-*+]|\d{1,9}[.)])\s+(.*)$")] private static partial Regex ListItem();
    [GeneratedRegex(@"^!\[([^\]]*)\]\(([^)\s]+)\)$")] private static partial Regex LoneImage();
    [GeneratedRegex(@"[^a-z0-9\s-]")] private static partial Regex SlugDrop();
    [GeneratedRegex(@"[\s-]+")] private static partial Regex SlugDashes();
}
