namespace OversightLab.Tests.Notebooks;

/// <summary>
/// What a .NET Interactive C# cell can call without qualification that the notebooks use:
/// <c>display(...)</c> and <c>HTML(...)</c> (the kernel imports them with
/// <c>using static Microsoft.DotNet.Interactive.Kernel</c>). Here they record what the notebook
/// shows, so a test can check that it showed a figure and a table. Public: Roslyn scripting
/// compiles the cells against this type.
/// </summary>
public sealed class NotebookGlobals
{
    /// <summary>An HTML fragment, as <c>Kernel.HTML</c> returns one.</summary>
    public sealed record HtmlContent(string Html)
    {
        public override string ToString() => Html;
    }

    /// <summary>What <c>display</c> returns in .NET Interactive: a handle whose output can be replaced.</summary>
    public sealed class DisplayedValue(NotebookGlobals owner, int index)
    {
        public void Update(object? value) => owner.Shown[index] = (owner.Shown[index].Cell, Format(value));
    }

    /// <summary>Everything displayed so far: (cell index, text or HTML).</summary>
    public List<(int Cell, string Content)> Shown { get; } = [];

    /// <summary>The index of the cell now running (set by the runner).</summary>
    public int CurrentCell { get; set; }

    public DisplayedValue display(object? value, params string[] mimeTypes)
    {
        Shown.Add((CurrentCell, Format(value)));
        return new DisplayedValue(this, Shown.Count - 1);
    }

    public HtmlContent HTML(string html) => new(html);

    static string Format(object? value) => value?.ToString() ?? "<null>";
}
