using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Nanonet.Core;

namespace Nanonet.Cli;

/// <summary>
/// Raw camera frames as inputs (<c>--frame gray8:96x96</c>): each input file holds one frame of that pixel format and
/// size, and becomes the model's input tensor through the firmware's own preprocessing (Nanonet.Core's
/// <see cref="FramePreprocessor"/>: unpacking, area resize, colour, pixel tables), the bytes the board computes.
/// </summary>
public static partial class CameraFrame
{
    /// <summary>A frame layout.</summary>
    /// <param name="Format">A <see cref="PixelFormat"/> code.</param>
    /// <param name="Width">Pixels a row.</param>
    /// <param name="Height">Rows.</param>
    public sealed record Spec(int Format, int Width, int Height)
    {
        /// <summary>Bytes of one frame.</summary>
        public long Bytes => (long)Width * Height * PixelFormat.BytesPerPixel(Format);

        /// <inheritdoc/>
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{PixelFormat.Name(Format)}:{Width}x{Height}");
    }

    [GeneratedRegex(@"^([a-z0-9]+):(\d{1,4})x(\d{1,4})$")]
    private static partial Regex SpecPattern();

    /// <summary>The option.</summary>
    /// <returns>A new option.</returns>
    public static Option<string?> FrameOption() => new("--frame")
    {
        Description = "Inputs are raw camera frames FORMAT:WxH (gray8, rgb565 = rgb565be as the camera sends it, rgb565le, rgb888), e.g. gray8:96x96.",
    };

    /// <summary>Parses FORMAT:WxH.</summary>
    /// <param name="text">The option's value.</param>
    /// <returns>The layout.</returns>
    /// <exception cref="CliException">Not of that form, or an unknown format or size.</exception>
    public static Spec Parse(string text)
    {
        var m = SpecPattern().Match(text ?? string.Empty);
        if (!m.Success)
        {
            throw new CliException($"--frame '{text}': give FORMAT:WIDTHxHEIGHT, e.g. gray8:96x96 or rgb565:160x120");
        }

        int format = m.Groups[1].Value switch
        {
            "gray8" => PixelFormat.Gray8,
            "rgb565" or "rgb565be" => PixelFormat.Rgb565BigEndian,
            "rgb565le" => PixelFormat.Rgb565LittleEndian,
            "rgb888" => PixelFormat.Rgb888,
            var other => throw new CliException($"--frame '{text}': unknown pixel format '{other}' (gray8, rgb565, rgb565be, rgb565le, rgb888)"),
        };
        int w = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), h = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        if (w < 1 || h < 1)
        {
            throw new CliException($"--frame '{text}': the size must be at least 1x1");
        }

        return new Spec(format, w, h);
    }

    /// <summary>Frames of one layout made into one model's input tensors: the model's preprocessing is prepared once.</summary>
    public sealed class Reader
    {
        private readonly Spec _spec;
        private readonly FramePreprocessor _pre;

        /// <summary>Prepares the firmware's preprocessing for a model.</summary>
        /// <param name="blob">The packed model.</param>
        /// <param name="spec">The frame layout.</param>
        /// <exception cref="CliException">The model takes no pictures (raw tensors), or its header is broken.</exception>
        public Reader(byte[] blob, Spec spec)
        {
            _spec = spec ?? throw new ArgumentNullException(nameof(spec));
            try
            {
                _pre = new FramePreprocessor(ModelInfo.Parse(blob, false));
            }
            catch (Exception ex) when (ex is ArgumentException or ModelFormatException)
            {
                throw new CliException($"--frame: {ex.Message}");
            }
        }

        /// <summary>One frame file as the model's input tensor.</summary>
        /// <param name="path">The frame file.</param>
        /// <returns>The int8 input tensor.</returns>
        /// <exception cref="CliException">The file is missing, a folder, or not exactly one frame long.</exception>
        public sbyte[] Load(string path)
        {
            RunCommand.RequireFile(path);
            var frame = ModelLoader.ReadFile(path, "frame");
            if (frame.Length != _spec.Bytes)
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"frame '{path}' is {frame.Length} bytes; a {_spec} frame is {_spec.Bytes}"));
            }

            var tensor = new sbyte[_pre.TensorLength];
            _pre.Process(frame, 0, _spec.Format, _spec.Width, _spec.Height, tensor);
            return tensor;
        }
    }
}
