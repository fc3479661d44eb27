using Xunit;
using System.Diagnostics;

namespace Nanonet.TestSupport;

/// <summary>
/// Runs the real nanonet CLI (nanonet.dll, copied next to the test assembly) as a child process in a chosen working
/// directory: for what an in-process run cannot show, such as defaults that depend on the current directory.
/// </summary>
internal static class CliProcess
{
    public static (int Code, string Out, string Err) Run(string workingDirectory, params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "nanonet.dll");
        Assert.True(File.Exists(cli), $"{cli} is missing: the test project must reference Nanonet.Cli");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(cli);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the CLI");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"nanonet {string.Join(' ', args)} did not finish in 5 minutes");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
