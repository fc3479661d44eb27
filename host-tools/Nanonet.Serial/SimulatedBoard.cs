using System.Diagnostics;
using System.Runtime.Versioning;
using Nanonet.Core;
using Nanonet.Core.Host;

namespace Nanonet.Serial;

/// <summary>
/// The simulated board: the firmware's portable core (dispatcher and classification loop, the code the board runs)
/// on .NET with the host's C engine (<see cref="NativeInferenceEngine"/>), serving the serial protocol on a
/// <see cref="PseudoTerminal"/>, optionally with a <see cref="FolderCamera"/>. Classification lines go to the given
/// writer, as the board's go to its debug console.
/// </summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
public sealed class SimulatedBoard : IDisposable
{
    /// <summary>The firmware version the simulator reports.</summary>
    public const string FirmwareVersion = "nanonet-sim 0.1.0";

    private readonly PseudoTerminal _pty;
    private readonly ClassificationLoop _loop;
    private readonly int _framePeriodMs;
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;

    /// <summary>Creates the board (the pseudo-terminal is open from here on).</summary>
    /// <param name="blob">The packed model.</param>
    /// <param name="modelName">The name INFO reports.</param>
    /// <param name="camera">A camera, or null.</param>
    /// <param name="lines">Where classification lines go.</param>
    /// <param name="framesPerSecond">Camera frames per second at most (0: as fast as the engine goes).</param>
    /// <exception cref="ModelFormatException">The model header is broken.</exception>
    /// <exception cref="InferenceException">The engine rejects the model.</exception>
    public SimulatedBoard(byte[] blob, string modelName, ICamera? camera, TextWriter lines, double framesPerSecond = 5)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(lines);
        var model = ModelInfo.Parse(blob, true);
        var classifier = new Classifier(blob, model, new NativeInferenceEngine());
        _pty = PseudoTerminal.Open();
        try
        {
            Dispatcher = new Dispatcher(blob, classifier, new PtyLink(_pty), new StopwatchClock(), new ProcessMemory(), FirmwareVersion, modelName);
            _loop = new ClassificationLoop(Dispatcher, classifier, camera, new WriterSink(lines), Dispatcher.DefaultTopK);
        }
        catch
        {
            _pty.Dispose();
            throw;
        }
        _framePeriodMs = framesPerSecond > 0 ? (int)Math.Round(1000 / framesPerSecond) : 0;
        HasCamera = camera is not null;
    }

    /// <summary>The device a client opens.</summary>
    public string DevicePath => _pty.DevicePath;

    /// <summary>The request dispatcher (for its decoder's counters).</summary>
    public Dispatcher Dispatcher { get; }

    /// <summary>Whether a camera is attached.</summary>
    public bool HasCamera { get; }

    /// <summary>Camera frames classified so far.</summary>
    public long Frames => _loop.Frames;

    /// <summary>Starts the board's main loop on its own thread.</summary>
    public void Start()
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("the board is already running");
        }
        _thread = new Thread(RunLoop) { IsBackground = true, Name = "nanonet-sim" };
        _thread.Start();
    }

    /// <summary>Runs the main loop on the calling thread until <paramref name="cancel"/> fires.</summary>
    public void Run(CancellationToken cancel)
    {
        using var link = CancellationTokenSource.CreateLinkedTokenSource(cancel, _stop.Token);
        var lastFrame = Stopwatch.StartNew();
        while (!link.IsCancellationRequested)
        {
            _loop.Step();
            if (HasCamera && _framePeriodMs > 0)
            {
                // the frame rate of the camera: keep serving requests while waiting for the next frame
                while (!link.IsCancellationRequested && lastFrame.ElapsedMilliseconds < _framePeriodMs)
                {
                    Dispatcher.Poll();
                    Dispatcher.ServeOne();
                }
                lastFrame.Restart();
            }
        }
    }

    /// <summary>Stops the loop and closes the pseudo-terminal.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join();
        _pty.Dispose();
        _stop.Dispose();
    }

    private void RunLoop() => Run(CancellationToken.None);

    private sealed class StopwatchClock : IClock
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();

        public long NowMicroseconds() => _watch.Elapsed.Ticks / 10;
    }

    private sealed class ProcessMemory : IMemoryInfo
    {
        public long FreeBytes() => Math.Max(0, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - GC.GetTotalMemory(false));
    }

    private sealed class WriterSink(TextWriter writer) : ILineSink
    {
        public void WriteLine(string line)
        {
            lock (writer)
            {
                writer.WriteLine(line);
                writer.Flush();
            }
        }
    }
}
