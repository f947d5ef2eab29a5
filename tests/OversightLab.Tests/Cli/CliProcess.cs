using System.Diagnostics;

namespace OversightLab.Tests.Cli;

/// <summary>Starts the real oversightlab executable (from this test's output folder) as a child process.</summary>
static class CliProcess
{
    public static Process Start(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "OversightLab.Cli.dll"), .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory,
        };
        return Process.Start(info)!;
    }

    /// <summary>Runs to completion; returns the exit code and both outputs.</summary>
    public static (int Code, string Stdout, string Stderr) Run(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
