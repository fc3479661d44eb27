using System.Collections.Concurrent;
using System.IO.Ports;
using Nanonet.Core.Protocol;

namespace Nanonet.Serial;

/// <summary>
/// The host side of the serial protocol (docs/serial-protocol.md) over a serial port (System.IO.Ports): a real
/// board's, or the device of <c>nanonet sim</c>. Requests are numbered; a reply is the frame of the request's reply
/// type or an ERROR frame with the same sequence number. Frames the decoder reports broken are counted, STREAM_RESULT
/// frames are queued for <see cref="NextStreamResult"/>. Every failure is a <see cref="BoardException"/> with one
/// line that names the port.
/// </summary>
public sealed class BoardClient : IDisposable, IFrameListener
{
    private readonly SerialPort _port;
    private readonly FrameDecoder _decoder;
    private readonly BlockingCollection<Frame> _replies = new();
    private readonly BlockingCollection<ClassificationReply> _stream = new();
    private readonly Thread _reader;
    private volatile bool _closed;
    private int _sequence;

    private BoardClient(SerialPort port)
    {
        _port = port;
        _decoder = new FrameDecoder(this);
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "nanonet-serial" };
        _reader.Start();
    }

    /// <summary>The port's name.</summary>
    public string Port => _port.PortName;

    /// <summary>How long a request waits for its reply.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Frames the board sent that did not decode (bad CRC and the like).</summary>
    public int BrokenFrames { get; private set; }

    /// <summary>Opens the port.</summary>
    /// <param name="port">e.g. /dev/ttyUSB0, COM5, or the device <c>nanonet sim</c> printed.</param>
    /// <param name="baud">Baud rate.</param>
    /// <exception cref="BoardException">The port does not exist or cannot be opened.</exception>
    public static BoardClient Open(string port, int baud = 115200)
    {
        ArgumentException.ThrowIfNullOrEmpty(port);
        if (baud <= 0)
        {
            throw new BoardException($"baud rate must be positive, not {baud}");
        }
        var serial = new SerialPort(port, baud, Parity.None, 8, StopBits.One)
        {
            Handshake = Handshake.None,
            ReadTimeout = 100,
            WriteTimeout = 2000,
            ReadBufferSize = 2 * Wire.MaxFrame,
            WriteBufferSize = 2 * Wire.MaxFrame,
        };
        try
        {
            serial.Open();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            serial.Dispose();
            string why = File.Exists(port) || OperatingSystem.IsWindows() ? ex.Message : "no such device";
            throw new BoardException($"cannot open serial port '{port}': {why}");
        }
        serial.DiscardInBuffer();
        return new BoardClient(serial);
    }

    /// <summary>INFO.</summary>
    public InfoReply Info() => InfoReply.Parse(Request(Wire.Info, []).Payload);

    /// <summary>CLASSIFY an int8 input tensor.</summary>
    /// <param name="tensor">The model's input tensor.</param>
    /// <param name="topK">Classes to rank (0: the board's default).</param>
    public ClassificationReply Classify(sbyte[] tensor, int topK = 0) =>
        ClassificationReply.Parse(Request(Wire.Classify, new ClassifyRequest(topK, tensor).ToPayload()).Payload);

    /// <summary>CLASSIFY_FRAME: a raw camera-format frame, preprocessed on the board.</summary>
    public ClassificationReply ClassifyFrame(int format, int width, int height, byte[] pixels, int topK = 0) =>
        ClassificationReply.Parse(Request(Wire.ClassifyFrame, new ClassifyFrameRequest(topK, format, width, height, pixels).ToPayload()).Payload);

    /// <summary>STREAM_START: camera classifications are pushed from now on (see <see cref="NextStreamResult"/>).</summary>
    public void StartStream(int topK = 0) => Request(Wire.StreamStart, new StreamStartRequest(topK).ToPayload());

    /// <summary>STREAM_STOP.</summary>
    public void StopStream() => Request(Wire.StreamStop, []);

    /// <summary>BENCH: iterations inferences on the board.</summary>
    public BenchReply Bench(int iterations) => BenchReply.Parse(Request(Wire.Bench, new BenchRequest(iterations).ToPayload(), TimeSpan.FromSeconds(5 + iterations)).Payload);

    /// <summary>The next pushed camera classification, or null when none arrives within the timeout.</summary>
    public ClassificationReply? NextStreamResult(TimeSpan timeout, CancellationToken cancel = default)
    {
        try
        {
            return _stream.TryTake(out var r, (int)Math.Min(int.MaxValue, timeout.TotalMilliseconds), cancel) ? r : null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The next reply or ERROR frame the board sends (after <see cref="SendRaw"/>), or null within the timeout.</summary>
    public Frame? NextReply(TimeSpan timeout) => _replies.TryTake(out var frame, timeout) ? frame : null;

    /// <summary>Sends a raw byte sequence (for robustness tests: garbage, broken frames).</summary>
    public void SendRaw(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Write(bytes);
    }

    /// <summary>Sends a request and waits for its reply.</summary>
    /// <exception cref="BoardException">No reply in time, or the board answered with an ERROR frame.</exception>
    public Frame Request(byte type, byte[] payload, TimeSpan? timeout = null)
    {
        int sequence = Interlocked.Increment(ref _sequence) & 0xFFFF;
        Write(FrameEncoder.Encode(type, sequence, payload));
        var limit = timeout ?? Timeout;
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_replies.TryTake(out var frame, left))
            {
                throw new BoardException($"no answer from '{Port}' within {limit.TotalSeconds:0.#} s (is the board running the Nanonet firmware, at this baud rate?)");
            }
            if (frame.Sequence != sequence)
            {
                continue; // a late reply to an earlier request
            }
            if (frame.Type == Wire.Error)
            {
                var e = ErrorReply.Parse(frame.Payload);
                throw new BoardException($"the board answered error {ErrorCode.Name(e.Code)}: {e.Message}");
            }
            if (frame.Type != Wire.ReplyTo(type))
            {
                throw new BoardException($"the board answered message type 0x{frame.Type:X2} to a 0x{type:X2} request");
            }
            return frame;
        }
    }

    /// <inheritdoc />
    public void OnFrame(Frame frame)
    {
        if (frame.Type == Wire.StreamResult)
        {
            try
            {
                _stream.Add(ClassificationReply.Parse(frame.Payload));
            }
            catch (ProtocolException)
            {
                BrokenFrames++;
            }
            return;
        }
        _replies.Add(frame);
    }

    /// <inheritdoc />
    public void OnFrameError(int code, int type, int sequence, string message) => BrokenFrames++;

    /// <summary>Closes the port.</summary>
    public void Dispose()
    {
        _closed = true;
        _reader.Join(1000);
        _port.Dispose();
        _replies.Dispose();
        _stream.Dispose();
    }

    private void Write(byte[] bytes)
    {
        try
        {
            _port.Write(bytes, 0, bytes.Length);
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or InvalidOperationException)
        {
            throw new BoardException($"cannot write to '{Port}': {ex.Message}");
        }
    }

    private void ReadLoop()
    {
        var buffer = new byte[4096];
        while (!_closed)
        {
            int n;
            try
            {
                n = _port.Read(buffer, 0, buffer.Length);
            }
            catch (TimeoutException)
            {
                continue;
            }
            catch (Exception) when (_closed)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
            {
                Thread.Sleep(50); // the line went away (a board reset, the simulator quit): keep trying until closed
                continue;
            }
            lock (_decoder)
            {
                _decoder.Push(buffer, 0, n);
            }
        }
    }
}
