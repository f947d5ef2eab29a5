using System.Diagnostics;
using OversightLab.Experiments;

namespace OversightLab.Tests.Reliability;

public sealed class LockTests
{
    [Test]
    public void ASecondRunIntoAFolderInUseIsRefused()
    {
        string dir = TestPaths.Scratch("lock");
        using var held = RunLock.Acquire(dir);
        var error = Assert.Throws<UsageException>(() => RunLock.Acquire(dir));
        Assert.That(error!.Message, Does.Contain($"in use by process {Environment.ProcessId}"));
    }

    [Test]
    public void AStaleLockFromADeadProcessIsRecovered()
    {
        string dir = TestPaths.Scratch("stale");
        using (var finished = Process.Start(new ProcessStartInfo("true"))!)
        {
            finished.WaitForExit();
            File.WriteAllText(Path.Combine(dir, RunLock.FileName), $"{finished.Id} 638000000000000000 {Environment.MachineName}\n");
        }
        var messages = new List<string>();
        using (var taken = RunLock.Acquire(dir, messages.Add))
            Assert.That(messages.Single(), Does.Contain("stale lock"));
        Assert.That(File.Exists(Path.Combine(dir, RunLock.FileName)), Is.False, "released on dispose");
    }

    [Test]
    public void ALockWhosePidWasReusedIsStale()
    {
        // Our own pid, but a different start time: the process that wrote it is gone.
        string dir = TestPaths.Scratch("reused");
        File.WriteAllText(Path.Combine(dir, RunLock.FileName), $"{Environment.ProcessId} 1 {Environment.MachineName}\n");
        using var taken = RunLock.Acquire(dir);
        Assert.That(File.ReadAllText(Path.Combine(dir, RunLock.FileName)), Does.StartWith($"{Environment.ProcessId} "));
    }
}
