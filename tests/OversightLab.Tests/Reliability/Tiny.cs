using OversightLab.Experiments;

namespace OversightLab.Tests.Reliability;

/// <summary>A small real weak-to-strong sweep (6 cells, seconds to run) used by the reliability tests.</summary>
static class Tiny
{
    public const string Yaml = """
        name: tiny
        protocol: weak-to-strong
        task: { family: mnist }
        roles: { weak_supervisor: [mlp-xs, lin-pool7], strong_student: [mlp-s, mlp-m] }
        train: { epochs: 2 }
        seeds: [0, 1]
        """;

    /// <summary>Writes the definition into <paramref name="folder"/> and returns its path.</summary>
    public static string File(string folder)
    {
        string path = Path.Combine(folder, "tiny.yaml");
        System.IO.File.WriteAllText(path, Yaml);
        return path;
    }

    public static ExperimentDefinition Definition(string folder) => DefinitionParser.Load(File(folder));
}
