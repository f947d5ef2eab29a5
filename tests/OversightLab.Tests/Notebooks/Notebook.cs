using System.Text.Json;

namespace OversightLab.Tests.Notebooks;

/// <summary>
/// An .ipynb file as the test reads it: its kernel metadata and its cells in order. A cell's
/// source may be one string or a list of lines (nbformat allows both).
/// </summary>
sealed class Notebook
{
    public sealed record Cell(int Index, string Type, string Kernel, string Source);

    public required string Path { get; init; }
    public required string Name { get; init; }
    public required int Format { get; init; }
    public required string KernelName { get; init; }
    public required string KernelLanguage { get; init; }
    public required string LanguageInfo { get; init; }
    public required IReadOnlyList<Cell> Cells { get; init; }

    public IEnumerable<Cell> CodeCells => Cells.Where(c => c.Type == "code");

    public static Notebook Read(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        var meta = root.GetProperty("metadata");
        string defaultKernel = Text(meta, "polyglot_notebook", "kernelInfo", "defaultKernelName") ?? "csharp";
        var cells = root.GetProperty("cells").EnumerateArray().Select((cell, i) =>
        {
            var source = cell.GetProperty("source");
            string text = source.ValueKind == JsonValueKind.Array ? string.Concat(source.EnumerateArray().Select(s => s.GetString())) : source.GetString() ?? "";
            var cellMeta = cell.TryGetProperty("metadata", out var m) ? m : default;
            string kernel = Text(cellMeta, "polyglot_notebook", "kernelName") ?? Text(cellMeta, "dotnet_interactive", "language") ?? defaultKernel;
            return new Cell(i, cell.GetProperty("cell_type").GetString() ?? "", kernel, text);
        }).ToList();
        return new Notebook
        {
            Path = path,
            Name = System.IO.Path.GetFileName(path),
            Format = root.GetProperty("nbformat").GetInt32(),
            KernelName = Text(meta, "kernelspec", "name") ?? "",
            KernelLanguage = Text(meta, "kernelspec", "language") ?? "",
            LanguageInfo = Text(meta, "language_info", "name") ?? "",
            Cells = cells,
        };
    }

    static string? Text(JsonElement element, params string[] path)
    {
        foreach (string key in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(key, out element)) return null;
        }
        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }
}
