namespace OversightLab.Experiments;

/// <summary>What <c>oversightlab merge</c> combined: ok and failed cells found in the shards, of the sweep's total.</summary>
public sealed record MergeSummary(string Folder, int Shards, int Ok, int Failed, int Total)
{
    public int Missing => Total - Ok - Failed;
}
