using OversightLab.Notebook;

namespace OversightLab.Tests.Notebooks;

/// <summary>
/// One scratch runs folder per test session for everything notebook-shaped: the notebooks run
/// into it (so they compute instead of finding a previous session's cells), and the quickstart's
/// smoke run in it is shared — whichever test needs it first trains it, the others resume it.
/// </summary>
static class NotebookScratch
{
    static readonly Lazy<string> Folder = new(() => TestPaths.Scratch("notebooks"));

    public static string RunsFolder => Folder.Value;

    /// <summary>What <c>quickstart.ipynb</c> runs: <c>experiments/quickstart.yaml</c> at smoke size.</summary>
    public static RunFolder Quickstart() =>
        With(() => Lab.Run(Path.Combine(TestPaths.Experiments, "quickstart.yaml"), RunSize.Smoke));

    /// <summary>Runs <paramref name="action"/> (synchronously: the defaults are restored when it returns) with Lab's defaults pointed at scratch, 1 thread, CPU (CI's 2 cores are shared); restores them after.</summary>
    public static void With(Action action) => With(() => { action(); return 0; });

    /// <inheritdoc cref="With(Action)"/>
    public static T With<T>(Func<T> action)
    {
        var (runs, threads, device) = (Lab.RunsFolder, Lab.Threads, Lab.Device);
        (Lab.RunsFolder, Lab.Threads, Lab.Device) = (RunsFolder, 1, "cpu");
        try { return action(); }
        finally { (Lab.RunsFolder, Lab.Threads, Lab.Device) = (runs, threads, device); }
    }
}
