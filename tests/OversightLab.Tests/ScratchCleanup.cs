namespace OversightLab.Tests;

/// <summary>
/// Deletes this run's scratch folders once every test in the assembly has run, if none failed
/// (each full run left about 20 MB in the temp folder); after a failure they stay, for a look.
/// </summary>
[SetUpFixture]
public sealed class ScratchCleanup
{
    [OneTimeTearDown]
    public void DeleteScratchUnlessATestFailed()
    {
        if (!Directory.Exists(TestPaths.ScratchRoot)) return;
        if (TestContext.CurrentContext.Result.FailCount > 0)
        {
            TestContext.Progress.WriteLine($"scratch folders kept after a failure: {TestPaths.ScratchRoot}");
            return;
        }
        try
        {
            Directory.Delete(TestPaths.ScratchRoot, recursive: true);
        }
        catch (IOException e)
        {
            TestContext.Progress.WriteLine($"scratch folders not deleted ({e.Message}): {TestPaths.ScratchRoot}");
        }
    }
}
