using System.Runtime.InteropServices;
using SkiaSharp;

namespace Nanonet.Cli.Tests;

/// <summary>
/// Raw camera frames (<c>--frame FORMAT:WxH</c>) in run and eval, through the firmware's preprocessing: a gray8
/// frame of the sample person picture gives TFLM's golden output, and an RGB565 frame gives exactly what the host's
/// picture pipeline gives for the same pixels saved losslessly as PNG.
/// </summary>
public sealed class FrameInputTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Model(string name) => Path.Combine(TestPaths.Models, name);

    /// <summary>The sample picture whose pipeline output is TFLM's golden person input (ImagePreprocessorTests).</summary>
    private static string PersonPicture => Path.Combine(TestPaths.Samples, "person.png");

    [Fact]
    public void AGray8FrameGivesTheGoldenOutput()
    {
        var frame = _tmp.File("person.gray8");
        File.WriteAllBytes(frame, Nanonet.Imaging.ImagePreprocessor.LoadPixels(PersonPicture, 96, 96, 1));
        var (code, stdout, stderr) = CliRunner.Run("run", Model("person_detect.nnb"), frame, "--frame", "gray8:96x96", "--format", "raw");
        Assert.True(code == 0, stderr);
        Assert.Equal($"{frame} -113 113", stdout.Trim()); // ../shared/golden/outputs.txt: tflm_person on person_detect
    }

    private static byte[] Rgb565BigEndian(byte[] rgb, int pixels)
    {
        var frame = new byte[pixels * 2];
        for (int p = 0; p < pixels; p++)
        {
            int v = ((rgb[3 * p] >> 3) << 11) | ((rgb[(3 * p) + 1] >> 2) << 5) | (rgb[(3 * p) + 2] >> 3);
            frame[2 * p] = (byte)(v >> 8);
            frame[(2 * p) + 1] = (byte)v;
        }

        return frame;
    }

    /// <summary>The frame's pixels as a viewer sees them: 5 and 6 bits widened by replicating their top bits.</summary>
    private static void WritePngOf565(string path, byte[] frame, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = new byte[width * height * 4];
        for (int p = 0; p < width * height; p++)
        {
            int v = (frame[2 * p] << 8) | frame[(2 * p) + 1];
            int r = v >> 11, g = (v >> 5) & 63, b = v & 31;
            rgba[4 * p] = (byte)((r << 3) | (r >> 2));
            rgba[(4 * p) + 1] = (byte)((g << 2) | (g >> 4));
            rgba[(4 * p) + 2] = (byte)((b << 3) | (b >> 2));
            rgba[(4 * p) + 3] = 255;
        }

        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    [Fact]
    public void AnRgb565FrameGivesWhatTheSamePixelsGiveAsAPicture()
    {
        var photos = Directory.GetFiles(TestPaths.Coco64Images, "*.jpg").Order(StringComparer.Ordinal).Take(4).ToArray();
        var frames = new List<string>();
        var pngs = new List<string>();
        foreach (var photo in photos)
        {
            var rgb = Nanonet.Imaging.ImagePreprocessor.LoadPixels(photo, 120, 160, 3); // a QQVGA camera frame's size
            var frame = Rgb565BigEndian(rgb, 160 * 120);
            var framePath = _tmp.File(Path.GetFileNameWithoutExtension(photo) + ".rgb565");
            File.WriteAllBytes(framePath, frame);
            var png = _tmp.File(Path.GetFileNameWithoutExtension(photo) + ".png");
            WritePngOf565(png, frame, 160, 120);
            frames.Add(framePath);
            pngs.Add(png);
        }

        var vww = Model("vww_96.nnb");
        var fromFrames = CliRunner.Run(["run", vww, .. frames, "--frame", "rgb565:160x120", "--format", "raw"]);
        var fromPngs = CliRunner.Run(["run", vww, .. pngs, "--format", "raw"]);
        Assert.True(fromFrames.Code == 0 && fromPngs.Code == 0, fromFrames.Err + fromPngs.Err);
        var a = fromFrames.Out.Trim().Split('\n').Select(l => l.Split(' ', 2)[1]).ToArray();
        var b = fromPngs.Out.Trim().Split('\n').Select(l => l.Split(' ', 2)[1]).ToArray();
        Assert.Equal(4, a.Length);
        Assert.Equal(b, a);

        // eval takes the same frames, labelled by class name
        var csv = _tmp.File("frames.csv");
        File.WriteAllLines(csv, ["file,label", .. frames.Select(f => Path.GetFileName(f) + ",no person")]);
        var json = CliRunner.Run("eval", vww, "--images", _tmp.Path, "--labels", csv, "--frame", "rgb565:160x120", "--format", "json");
        Assert.True(json.Code == 0, json.Err);
        using var doc = System.Text.Json.JsonDocument.Parse(json.Out);
        Assert.Equal(4, doc.RootElement.GetProperty("pictures").GetInt32());
        var predicted = doc.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("predicted").GetInt32()).ToArray();
        var ran = fromFrames.Out.Trim().Split('\n').Select(l => l.Split(' ')).Select(f => int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture) > int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture) ? 1 : 0).ToArray();
        Assert.Equal(ran, predicted); // eval's predictions are run's top classes
    }

    [Fact]
    public void BadFramesAndSpecsAreNamed()
    {
        var frame = _tmp.File("short.gray8");
        File.WriteAllBytes(frame, new byte[96 * 96 - 1]);
        var person = Model("person_detect.nnb");
        Assert.Contains($"frame '{frame}' is 9215 bytes; a gray8:96x96 frame is 9216",
            CliRunner.AssertOneLineError(CliRunner.Run("run", person, frame, "--frame", "gray8:96x96")));
        Assert.Contains("give FORMAT:WIDTHxHEIGHT", CliRunner.AssertOneLineError(CliRunner.Run("run", person, frame, "--frame", "96x96")));
        Assert.Contains("unknown pixel format 'yuv422'", CliRunner.AssertOneLineError(CliRunner.Run("run", person, frame, "--frame", "yuv422:96x96")));
        Assert.Contains("not --float", CliRunner.AssertOneLineError(CliRunner.Run("eval", TestPaths.RefModel("mlperf_tiny_vww_96_float.tflite"),
            "--float", "--images", _tmp.Path, "--labels", frame, "--frame", "gray8:96x96")));
    }
}
