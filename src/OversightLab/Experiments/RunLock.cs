using System.Diagnostics;
using System.Globalization;

namespace OversightLab.Experiments;

/// <summary>
/// One process at a time per output folder: <c>.lock</c> holds the owner's pid and start time.
/// A second run into a folder in use is refused with a clear message; a lock left by a process
/// that no longer exists (killed, crashed) is taken over.
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = ".lock";
    readonly string path;

    RunLock(string path) => this.path = path;

    /// <summary>Takes the folder's lock, recovering a stale one; throws <see cref="UsageException"/> if a live process holds it.</summary>
    public static RunLock Acquire(string folder, Action<string>? log = null)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, FileName);
        using var me = Process.GetCurrentProcess();
        string content = string.Create(CultureInfo.InvariantCulture, $"{me.Id} {me.StartTime.ToUniversalTime().Ticks} {Environment.MachineName}\n");
        for (int attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                using var writer = new StreamWriter(stream);
                writer.Write(content);
                return new RunLock(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                string holder = SafeRead(path);
                if (IsAlive(holder, out int pid))
                    throw new UsageException($"{folder} is in use by process {pid} (lock file {path}); wait for it to finish or choose another --out");
                log?.Invoke($"taking over a stale lock left by process {pid} (no longer running)");
                File.Delete(path);
            }
        }
        throw new UsageException($"could not take the lock {path}; another run keeps starting there");
    }

    /// <summary>Whether the lock's owner still runs on this machine (same pid and same start time, so a reused pid does not count).</summary>
    static bool IsAlive(string holder, out int pid)
    {
        var parts = holder.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries); // any whitespace: the file ends with a newline
        pid = parts.Length > 0 && int.TryParse(parts[0], out int p) ? p : -1;
        if (pid <= 0 || parts.Length < 2 || !long.TryParse(parts[1], out long ticks)) return false;
        if (parts.Length > 2 && parts[2] != Environment.MachineName) return true; // another host: cannot check, assume alive
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && process.StartTime.ToUniversalTime().Ticks == ticks;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    static string SafeRead(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return ""; }
    }

    public void Dispose()
    {
        try { File.Delete(path); }
        catch (IOException) { } // nothing to do: the next run recovers a stale lock
    }
}
