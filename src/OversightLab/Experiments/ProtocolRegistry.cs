using OversightLab.Protocols.WeakToStrong;

namespace OversightLab.Experiments;

/// <summary>Every protocol a definition can name. Add a new protocol here, and nowhere else.</summary>
public static class ProtocolRegistry
{
    public static IReadOnlyList<IProtocol> All { get; } =
    [
        new WeakToStrongProtocol(),
        new OversightLab.Protocols.Debate.DebateProtocol(), new OversightLab.Protocols.Debate.EvidenceDebateProtocol(), new OversightLab.Protocols.Debate.OversightScalingProtocol(),
        new Protocols.Amplification.AmplificationProtocol(),
    ];

    public static IProtocol? Find(string name) => All.FirstOrDefault(p => p.Name == name);

    public static IReadOnlyList<string> Names => All.Select(p => p.Name).ToArray();
}
