using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Nanonet.Core;
using Nanonet.Core.Protocol;
using Nanonet.Imaging;
using Nanonet.Serial;

namespace Nanonet.Cli;

/// <summary>
/// The commands that talk to a board over serial (docs/serial-protocol.md), or play one:
/// <c>nanonet sim</c> (a simulated board on a pseudo-terminal), <c>nanonet info</c>, <c>nanonet classify</c>,
/// <c>nanonet monitor</c>. The same commands work against a real board's serial port.
/// </summary>
public static class BoardCommands
{
    /// <summary>The bundled model <c>nanonet sim</c> plays when none is given.</summary>
    public const string DefaultModel = "person_detect.nnb";

    private static Option<string> PortOption() => new("--port", "-p")
    {
        Description = "The board's serial port (/dev/ttyUSB0, COM5, ...) or the device `nanonet sim` printed.",
        Required = true,
    };

    private static Option<int> BaudOption() => new("--baud")
    {
        Description = "Baud rate.",
        DefaultValueFactory = _ => 115200,
    };

    private static Option<double> TimeoutOption() => new("--timeout")
    {
        Description = "Seconds to wait for each answer.",
        DefaultValueFactory = _ => 5,
    };

    /// <summary><c>nanonet sim [MODEL] [--link PATH] [--camera DIR] ...</c>.</summary>
    public static Command CreateSim(TextWriter stdout)
    {
        var model = new Argument<string?>("MODEL")
        {
            Description = $"A packed model (.nnb) or a .tflite; default: the bundled models/{DefaultModel}.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var link = new Option<string?>("--link") { Description = "Also make this symlink to the device (replaced if it is a symlink already)." };
        var camera = new Option<string?>("--camera") { Description = "Play the pictures of this folder as camera frames." };
        var cameraFormat = new Option<string?>("--camera-format")
        {
            Description = "gray8, rgb565 or rgb888 (default: gray8 for gray models, rgb565 for RGB models, as the OV2640 delivers).",
        };
        cameraFormat.AcceptOnlyFromAmong("gray8", "rgb565", "rgb888");
        var frameSize = new Option<string?>("--frame-size") { Description = "Camera frame WIDTHxHEIGHT (default: the model's input size)." };
        var fps = new Option<double>("--fps") { Description = "Camera frames per second at most.", DefaultValueFactory = _ => 5 };
        var seconds = new Option<double?>("--seconds") { Description = "Stop after this many seconds (default: run until Ctrl+C)." };
        var command = new Command("sim", "Start a simulated board (the firmware's core with the host engine) on a pseudo-terminal.")
        {
            model, link, camera, cameraFormat, frameSize, fps, seconds,
        };
        command.SetAction(parse => Sim(parse.GetValue(model), parse.GetValue(link), parse.GetValue(camera), parse.GetValue(cameraFormat),
            parse.GetValue(frameSize), parse.GetValue(fps), parse.GetValue(seconds), stdout));
        return command;
    }

    /// <summary>
    /// <c>nanonet demo [PICTURE...] [--model MODEL]</c>: starts a simulated board on a pseudo-terminal, classifies the
    /// pictures over serial through it (as <c>nanonet classify</c> does with a real board), and stops it again.
    /// </summary>
    public static Command CreateDemo(TextWriter stdout)
    {
        var pictures = new Argument<string[]>("PICTURE")
        {
            Description = "Pictures (.jpg .jpeg .png .bmp .pgm .ppm) or raw .i8 tensors to classify on the simulated board.",
            Arity = ArgumentArity.OneOrMore,
        };
        var model = new Option<string?>("--model", "-m") { Description = $"The model the board runs (default: the bundled {DefaultModel})." };
        var command = new Command("demo", "Start a simulated board and classify pictures on it over serial, in one command.") { pictures, model };
        command.SetAction(parse => Demo(parse.GetValue(model), parse.GetValue(pictures)!, stdout));
        return command;
    }

    private static int Demo(string? modelPath, string[] pictures, TextWriter stdout)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            return DemoOnPty(modelPath, pictures, stdout);
        }
        throw new CliException("nanonet demo needs a pseudo-terminal: it runs on Linux and macOS (on Windows, use `nanonet run` or a real board)");
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    [System.Runtime.Versioning.SupportedOSPlatform("macos")]
    private static int DemoOnPty(string? modelPath, string[] pictures, TextWriter stdout)
    {
        string path = modelPath ?? BundledModel(DefaultModel);
        var model = ModelLoader.Load(path);
        using var board = new SimulatedBoard(model.Blob, Path.GetFileNameWithoutExtension(path), null, TextWriter.Null);
        board.Start();
        stdout.WriteLine($"simulated board on {board.DevicePath} running {Path.GetFileName(path)}; classifying over serial:");
        return Classify(board.DevicePath, 115200, 10, pictures, "text", stdout);
    }

    /// <summary><c>nanonet info --port DEV</c>.</summary>
    public static Command CreateInfo(TextWriter stdout)
    {
        var port = PortOption();
        var baud = BaudOption();
        var timeout = TimeoutOption();
        var format = new Option<string>("--format", "-f") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("info", "Ask a board what it runs: model, input, labels, memory, firmware.") { port, baud, timeout, format };
        command.SetAction(parse =>
        {
            using var board = Connect(parse.GetValue(port)!, parse.GetValue(baud), parse.GetValue(timeout));
            var info = board.Info();
            if (parse.GetValue(format) == "json")
            {
                stdout.WriteLine(JsonSerializer.Serialize(new
                {
                    firmware = info.FirmwareVersion, model = info.ModelName, modelBytes = info.ModelBytes, modelCrc = info.ModelCrc,
                    colourLayout = info.ColourLayout, input = info.InputDims, outputs = info.OutputElements, labels = info.Labels,
                    freeMemory = info.FreeMemory, arenaBytes = info.ArenaBytes, peakBytes = info.PeakBytes,
                }));
                return 0;
            }
            stdout.WriteLine($"firmware     {info.FirmwareVersion}");
            stdout.WriteLine($"model        {info.ModelName} ({info.ModelBytes.ToString(CultureInfo.InvariantCulture)} bytes, CRC 0x{info.ModelCrc:X8})");
            stdout.WriteLine($"input        [{string.Join(",", info.InputDims)}] {LayoutName(info.ColourLayout)}");
            stdout.WriteLine($"outputs      {info.OutputElements}");
            stdout.WriteLine($"labels       {string.Join(", ", info.Labels)}");
            stdout.WriteLine($"arena        {info.ArenaBytes} bytes (peak_bytes {info.PeakBytes})");
            stdout.WriteLine($"free memory  {info.FreeMemory} bytes");
            return 0;
        });
        return command;
    }

    /// <summary><c>nanonet classify --port DEV INPUT... [--format text|json|raw]</c>.</summary>
    public static Command CreateClassify(TextWriter stdout)
    {
        var port = PortOption();
        var baud = BaudOption();
        var timeout = TimeoutOption();
        var inputs = new Argument<string[]>("INPUT")
        {
            Description = "Raw int8 input tensors (.i8, sent as they are) or pictures (resized by the host pipeline, then preprocessed on the board).",
            Arity = ArgumentArity.OneOrMore,
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "text: label, score and device microseconds; json: an array of results; raw: the int8 outputs.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json", "raw");
        var command = new Command("classify", "Classify inputs on a board over serial.") { inputs, port, baud, timeout, format };
        command.SetAction(parse => Classify(parse.GetValue(port)!, parse.GetValue(baud), parse.GetValue(timeout), parse.GetValue(inputs)!,
            parse.GetValue(format)!, stdout));
        return command;
    }

    /// <summary><c>nanonet monitor --port DEV</c>.</summary>
    public static Command CreateMonitor(TextWriter stdout)
    {
        var port = PortOption();
        var baud = BaudOption();
        var timeout = TimeoutOption();
        var count = new Option<int?>("--count", "-n") { Description = "Stop after this many classifications (default: until Ctrl+C)." };
        var format = new Option<string>("--format", "-f")
        {
            Description = "text: one line per camera classification; raw: frame number and the int8 outputs.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "raw");
        var command = new Command("monitor", "Show a board's camera classifications as they stream.") { port, baud, timeout, count, format };
        command.SetAction(parse => Monitor(parse.GetValue(port)!, parse.GetValue(baud), parse.GetValue(timeout), parse.GetValue(count),
            parse.GetValue(format)!, stdout));
        return command;
    }

    private static BoardClient Connect(string port, int baud, double timeoutSeconds)
    {
        if (!(timeoutSeconds > 0 && timeoutSeconds <= 3600))
        {
            throw new CliException($"--timeout must be between 0 and 3600 seconds, not {timeoutSeconds.ToString(CultureInfo.InvariantCulture)}");
        }
        BoardClient board;
        try
        {
            board = BoardClient.Open(port, baud);
        }
        catch (BoardException ex)
        {
            throw new CliException(ex.Message);
        }
        board.Timeout = TimeSpan.FromSeconds(timeoutSeconds);
        return board;
    }

    private static string LayoutName(int layout) => layout switch
    {
        ModelInfo.LayoutGray8 => "gray8",
        ModelInfo.LayoutRgb888 => "rgb888",
        _ => "raw int8",
    };

    private static int Classify(string port, int baud, double timeout, string[] inputs, string format, TextWriter stdout)
    {
        using var board = Connect(port, baud, timeout);
        var info = Ask(board.Info);
        int h = info.InputDims.Length >= 3 ? info.InputDims[^3] : 1, w = info.InputDims.Length >= 2 ? info.InputDims[^2] : 1;
        var results = new List<(string Input, ClassificationReply Reply)>();
        foreach (var input in inputs)
        {
            ClassificationReply reply;
            RunCommand.RequireFile(input);
            if (RunCommand.IsRawTensor(input))
            {
                var tensor = RunCommand.ReadRawTensor(input, checked((int)info.InputElements), "the board's model takes");
                reply = Ask(() => board.Classify(tensor));
            }
            else
            {
                if (!ImagePreprocessor.IsSupportedImage(input))
                {
                    throw new CliException($"input '{input}': unsupported input type (give a raw .i8 tensor or a .jpg .jpeg .png .bmp .pgm .ppm picture)");
                }
                int pixelFormat = info.ColourLayout switch
                {
                    ModelInfo.LayoutGray8 => PixelFormat.Gray8,
                    ModelInfo.LayoutRgb888 => PixelFormat.Rgb888,
                    _ => throw new CliException($"input '{input}': the board's model takes raw int8 input: give a .i8 file"),
                };
                var frame = FolderCamera.ToFrame(input, pixelFormat, w, h);
                reply = Ask(() => board.ClassifyFrame(pixelFormat, w, h, frame));
            }
            results.Add((input, reply));
        }
        switch (format)
        {
            case "raw":
                foreach (var (input, r) in results)
                {
                    stdout.WriteLine(input + " " + string.Join(" ", r.Outputs.Select(v => v.ToString(CultureInfo.InvariantCulture))));
                }
                break;
            case "json":
                stdout.WriteLine(JsonSerializer.Serialize(results.Select(x => new
                {
                    input = x.Input, label = x.Reply.Top[0].Label, score = x.Reply.Top[0].ScoreMilli / 1000.0,
                    microseconds = x.Reply.Microseconds, peakBytes = x.Reply.PeakBytes, outputs = x.Reply.Outputs,
                    top = x.Reply.Top.Select(p => new { index = p.Index, label = p.Label, score = p.ScoreMilli / 1000.0 }),
                })));
                break;
            default:
                foreach (var (input, r) in results)
                {
                    var top = r.Top[0];
                    stdout.WriteLine($"{input}: {LabelOf(top)} {top.ScoreText()} ({r.Microseconds} us on the device, peak_bytes {r.PeakBytes})");
                }
                break;
        }
        return 0;
    }

    private static string LabelOf(Prediction p) => p.Label.Length > 0 ? p.Label : p.Index.ToString(CultureInfo.InvariantCulture);

    private static int Monitor(string port, int baud, double timeout, int? count, string format, TextWriter stdout)
    {
        if (count is <= 0)
        {
            throw new CliException($"--count must be at least 1, not {count}");
        }
        using var board = Connect(port, baud, timeout);
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            Ask(() => board.StartStream());
            int seen = 0;
            var idle = TimeSpan.FromSeconds(timeout);
            while (!cancel.IsCancellationRequested && (count is null || seen < count))
            {
                var r = board.NextStreamResult(idle, cancel.Token);
                if (r is null)
                {
                    if (cancel.IsCancellationRequested)
                    {
                        break;
                    }
                    throw new CliException($"no camera classification from '{port}' within {timeout.ToString(CultureInfo.InvariantCulture)} s");
                }
                seen++;
                stdout.WriteLine(format == "raw"
                    ? r.FrameNumber.ToString(CultureInfo.InvariantCulture) + " " + string.Join(" ", r.Outputs.Select(v => v.ToString(CultureInfo.InvariantCulture)))
                    : $"frame {r.FrameNumber}: {LabelOf(r.Top[0])} {r.Top[0].ScoreText()} {r.Microseconds} us peak_bytes {r.PeakBytes}");
                stdout.Flush();
            }
            try
            {
                board.StopStream();
            }
            catch (BoardException)
            {
                // the board went away while streaming: what was shown stands
            }
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static T Ask<T>(Func<T> request)
    {
        try
        {
            return request();
        }
        catch (BoardException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    private static void Ask(Action request) => Ask(() =>
    {
        request();
        return 0;
    });

    private static int Sim(string? modelPath, string? link, string? cameraDir, string? cameraFormat, string? frameSize, double fps,
        double? seconds, TextWriter stdout)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            throw new CliException("nanonet sim needs a pseudo-terminal: it runs on Linux and macOS (on Windows, use a real board or WSL)");
        }
        if (!(fps >= 0 && fps <= 1000))
        {
            throw new CliException($"--fps must be between 0 and 1000, not {fps.ToString(CultureInfo.InvariantCulture)}");
        }
        if (seconds is double s && !(s > 0 && s <= 1e6))
        {
            throw new CliException($"--seconds must be positive, not {s.ToString(CultureInfo.InvariantCulture)}");
        }
        string path = modelPath ?? BundledModel(DefaultModel);
        var model = ModelLoader.Load(path);
        var info = ModelInfo.Parse(model.Blob, true);
        ICamera? camera = null;
        if (cameraDir is not null)
        {
            int format = cameraFormat switch
            {
                "gray8" => PixelFormat.Gray8,
                "rgb565" => PixelFormat.Rgb565BigEndian,
                "rgb888" => PixelFormat.Rgb888,
                _ => info.ColourLayout == ModelInfo.LayoutRgb888 ? PixelFormat.Rgb565BigEndian : PixelFormat.Gray8,
            };
            if (info.ColourLayout == ModelInfo.LayoutRaw)
            {
                throw new CliException($"model '{path}' takes raw int8 input: a camera cannot feed it");
            }
            var (fw, fh) = frameSize is null ? (info.InputWidth, info.InputHeight) : ParseSize(frameSize);
            try
            {
                camera = new FolderCamera(cameraDir, format, fw, fh);
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.Message);
            }
        }
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return 1; // unreachable: checked above (keeps the platform analyser informed)
        }
        using var board = new SimulatedBoard(model.Blob, Path.GetFileNameWithoutExtension(path), camera, stdout, fps);
        stdout.WriteLine($"simulated board on {board.DevicePath} ({Path.GetFileName(path)}{(camera is null ? "" : $", camera {cameraDir}")})");
        if (link is not null)
        {
            MakeLink(link, board.DevicePath);
            stdout.WriteLine($"link {link} -> {board.DevicePath}");
        }
        stdout.Flush();
        using var cancel = seconds is double limit ? new CancellationTokenSource(TimeSpan.FromSeconds(limit)) : new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            board.Run(cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            if (link is not null && new FileInfo(link).LinkTarget == board.DevicePath)
            {
                File.Delete(link);
            }
        }
        return 0;
    }

    private static (int Width, int Height) ParseSize(string text)
    {
        var parts = text.Split('x', 'X');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w) &&
            int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h) && w > 0 && h > 0)
        {
            return (w, h);
        }
        throw new CliException($"--frame-size must be WIDTHxHEIGHT (e.g. 160x120), not '{text}'");
    }

    private static void MakeLink(string link, string target)
    {
        var existing = new FileInfo(link);
        if (existing.Exists || existing.LinkTarget is not null)
        {
            if (existing.LinkTarget is null)
            {
                throw new CliException($"--link '{link}' exists and is not a symlink: not replaced");
            }
            File.Delete(link);
        }
        try
        {
            File.CreateSymbolicLink(link, target);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot make the symlink '{link}': {ex.Message}");
        }
    }

    /// <summary>A model shipped with the tool (models/ beside it), else in the repository checkout it runs from.</summary>
    public static string BundledModel(string name)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "models", name);
        if (File.Exists(beside))
        {
            return beside;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new CliException($"the bundled model {name} was not found beside the tool: give a MODEL");
    }
}
