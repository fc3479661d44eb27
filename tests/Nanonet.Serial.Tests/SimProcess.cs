using System.Diagnostics;

namespace Nanonet.Serial.Tests;

/// <summary>
/// <c>nanonet sim</c> as a child process (the real command, on a real pseudo-terminal), with a symlink to its device
/// in a temporary folder; killed when disposed.
/// </summary>
public sealed class SimProcess : IDisposable
{
    private readonly Process _process;
    private readonly TempDir _dir = new();
    private readonly StringWriter _out = new();

    public SimProcess(params string[] args)
    {
        Link = _dir.File("board");
        var cli = Path.Combine(AppContext.BaseDirectory, "nanonet.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(cli);
        start.ArgumentList.Add("sim");
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.ArgumentList.Add("--link");
        start.ArgumentList.Add(Link);
        start.ArgumentList.Add("--seconds");
        start.ArgumentList.Add("300");
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start nanonet sim");
        _process.OutputDataReceived += (_, e) => { lock (_out) { _out.WriteLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (_out) { _out.WriteLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!File.Exists(Link))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("nanonet sim did not come up: " + Output);
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>The symlink to the simulated board's device.</summary>
    public string Link { get; }

    public bool Running => !_process.HasExited;

    public string Output
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10000);
        }
        _process.Dispose();
        _dir.Dispose();
    }
}
