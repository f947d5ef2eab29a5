namespace OversightLab.Tests;

/// <summary>Where the repository and scratch folders are, for tests.</summary>
static class TestPaths
{
    public static string Repo { get; } = FindRepo();

    public static string Experiments => Path.Combine(Repo, "experiments");

    /// <summary>This test run's scratch folders' parent, under the system temp folder (<see cref="ScratchCleanup"/> deletes it).</summary>
    public static string ScratchRoot { get; } = Path.Combine(Path.GetTempPath(), "oversightlab-tests", $"run-{Guid.NewGuid():N}");

    /// <summary>A fresh, empty folder under <see cref="ScratchRoot"/>.</summary>
    public static string Scratch(string name)
    {
        string dir = Path.Combine(ScratchRoot, $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OversightLab.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("repository root (OversightLab.sln) not found above " + AppContext.BaseDirectory);
    }
}
