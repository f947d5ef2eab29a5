namespace OversightLab.Notebook;

/// <summary>How much of a definition <see cref="Lab"/> runs.</summary>
public enum RunSize
{
    /// <summary>
    /// A quick look (seconds to a minute on a laptop): the first seed and the first value of each
    /// grid axis; for weak-to-strong, the two lowest-ranked weak supervisors and the two
    /// lowest-ranked strong students above them (the cheapest to pretrain) and at most 2 epochs.
    /// Numbers at this size show that the pipeline works, not what the experiment finds.
    /// </summary>
    Smoke,

    /// <summary>The definition as written.</summary>
    Full,
}
