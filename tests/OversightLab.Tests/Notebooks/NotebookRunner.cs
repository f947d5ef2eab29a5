using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using OversightLab.Notebook;

namespace OversightLab.Tests.Notebooks;

/// <summary>
/// Executes a notebook's C# cells in order with Roslyn scripting, state carrying from cell to cell
/// (<see cref="ScriptState{T}.ContinueWithAsync(string, ScriptOptions, CancellationToken)"/>) as
/// in a kernel. The .NET Interactive packages cannot be installed here (and are deprecated
/// upstream), so the kernel's directives are translated:
/// <list type="bullet">
/// <item><c>#r "nuget: OversightLab"</c> references the built OversightLab assembly and its
/// dependency closure from the test's output folder — what the package would bring;</item>
/// <item>another <c>#r "nuget: X"</c> references <c>X.dll</c> from that folder when it is there,
/// and is dropped otherwise (a cell that then uses X fails to compile, naming it);</item>
/// <item><c>#i</c> (package sources) and <c>#!</c> magic commands for C# are dropped; a cell in
/// another kernel's language fails, since only C# runs here.</item>
/// </list>
/// Dropped lines become blank lines, so compiler messages keep the cell's line numbers.
/// </summary>
sealed partial class NotebookRunner
{
    /// <summary>The imports the .NET Interactive C# kernel starts with.</summary>
    static readonly string[] KernelImports = ["System", "System.Collections", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks"];

    public NotebookGlobals Globals { get; } = new();
    public List<string> Notes { get; } = [];

    ScriptOptions options = ScriptOptions.Default
        .WithReferences(SharedFramework())
        .WithImports(KernelImports)
        .WithLanguageVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest)
        .WithEmitDebugInformation(false);

    ScriptState<object>? state;

    /// <summary>Runs every code cell; throws <see cref="NotebookCellException"/> naming the notebook and cell on the first failure.</summary>
    public async Task RunAsync(Notebook notebook)
    {
        int codeCell = 0;
        foreach (var cell in notebook.CodeCells)
        {
            codeCell++;
            string where = $"{notebook.Name}, cell {cell.Index} (code cell {codeCell})";
            if (cell.Kernel is not ("csharp" or "C#" or "c#"))
                throw new NotebookCellException(where, $"kernel '{cell.Kernel}': only C# cells can be executed by the notebook test");
            string code = Translate(cell.Source, where);
            Globals.CurrentCell = cell.Index;
            try
            {
                state = state is null
                    ? await CSharpScript.RunAsync(code, options, Globals, typeof(NotebookGlobals))
                    : await state.ContinueWithAsync(code, options);
            }
            catch (CompilationErrorException e)
            {
                throw new NotebookCellException(where, "does not compile:\n  " + string.Join("\n  ", e.Diagnostics.Select(d => d.ToString())));
            }
            catch (Exception e)
            {
                throw new NotebookCellException(where, $"throws {e.GetType().Name}: {e.Message}", e);
            }
            if (state.Exception is not null)
                throw new NotebookCellException(where, $"throws {state.Exception.GetType().Name}: {state.Exception.Message}", state.Exception);
            // A trailing expression without ';' is what the kernel displays.
            if (state.ReturnValue is not null) Globals.display(state.ReturnValue);
        }
    }

    string Translate(string source, string where)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (NugetReference().Match(line) is { Success: true } nuget)
            {
                Reference(nuget.Groups[1].Value.Trim());
                lines[i] = "";
            }
            else if (line.StartsWith("#i ", StringComparison.Ordinal))
            {
                lines[i] = "";
            }
            else if (line.StartsWith("#!", StringComparison.Ordinal))
            {
                string magic = line.Split(' ')[0];
                if (magic is "#!csharp" or "#!c#" or "#!C#" or "#!time" or "#!about") { lines[i] = ""; continue; }
                throw new NotebookCellException(where, $"magic command '{magic}' switches kernel or is not known to the notebook test");
            }
        }
        return string.Join("\n", lines);
    }

    void Reference(string package)
    {
        string name = package.Split(',')[0].Trim();
        if (name == "OversightLab")
        {
            options = options.AddReferences(Closure(typeof(Lab).Assembly).Select(a => MetadataReference.CreateFromFile(a.Location)));
            return;
        }
        string dll = Path.Combine(AppContext.BaseDirectory, name + ".dll");
        if (File.Exists(dll)) options = options.AddReferences(MetadataReference.CreateFromFile(dll));
        else Notes.Add($"#r \"nuget: {package}\" dropped: {name}.dll is not in the test's output folder");
    }

    /// <summary>
    /// The whole shared framework, as a kernel has it (ScriptOptions.Default alone lacks, for
    /// example, System.Linq on .NET). Only the framework's folder: the test's own dependencies,
    /// OversightLab among them, must come from a <c>#r</c> line, as in a kernel.
    /// </summary>
    static IEnumerable<MetadataReference> SharedFramework()
    {
        string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "").Split(Path.PathSeparator)
            .Where(path => Path.GetDirectoryName(path) == framework)
            .Select(path => MetadataReference.CreateFromFile(path));
    }

    /// <summary>An assembly and everything it references that is loadable from a file, as a package and its dependencies would be.</summary>
    static IReadOnlyList<Assembly> Closure(Assembly root)
    {
        var seen = new Dictionary<string, Assembly>();
        var queue = new Queue<Assembly>([root]);
        while (queue.Count > 0)
        {
            var assembly = queue.Dequeue();
            if (string.IsNullOrEmpty(assembly.Location) || !seen.TryAdd(assembly.FullName!, assembly)) continue;
            foreach (var name in assembly.GetReferencedAssemblies())
            {
                try { queue.Enqueue(Assembly.Load(name)); }
                catch (FileNotFoundException) { } // a reference no code path loads here (e.g. Windows-only)
            }
        }
        return seen.Values.ToList();
    }

    [GeneratedRegex(@"^#r\s+""nuget:\s*([^""]+)""")] private static partial Regex NugetReference();
}
