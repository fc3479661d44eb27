using System.Runtime.InteropServices;
using System.Text.Json;
using SkiaSharp;

namespace Nanonet.Cli.Tests;

/// <summary>
/// A phone photo stored sideways with an EXIF "rotate 90" tag is classified like its upright original: tagged,
/// sideways-stored copies of the coco64 photos vww_96 is surest about, run through `nanonet run`.
/// </summary>
public sealed class ExifPhotoTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Vww => Path.Combine(TestPaths.Models, "vww_96.nnb");

    private static (string Label, double Score)[] Classify(params string[] pictures)
    {
        var (code, stdout, stderr) = CliRunner.Run(["run", Vww, .. pictures, "--format", "json"]);
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("top").GetProperty("label").GetString()!, e.GetProperty("top").GetProperty("score").GetDouble()))
            .ToArray();
    }

    /// <summary>The picture turned 90 degrees anticlockwise and written as a JPEG (quality 100), as a phone stores it.</summary>
    private string StoreSideways(string photo, string name)
    {
        var upright = Nanonet.Imaging.ImagePreprocessor.Decode(photo);
        int w = upright.Height, h = upright.Width;
        var rgba = new byte[w * h * 4];
        for (int sy = 0; sy < upright.Height; sy++)
        {
            for (int sx = 0; sx < upright.Width; sx++)
            {
                int dx = sy, dy = upright.Width - 1 - sx; // anticlockwise
                int s = ((sy * upright.Width) + sx) * 3, d = ((dy * w) + dx) * 4;
                rgba[d] = upright.Rgb[s];
                rgba[d + 1] = upright.Rgb[s + 1];
                rgba[d + 2] = upright.Rgb[s + 2];
                rgba[d + 3] = 255;
            }
        }

        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 100);
        var path = _tmp.File(name);
        File.WriteAllBytes(path, ExifJpeg.WithOrientation(data.ToArray(), 6)); // 6: turn 90 degrees clockwise to view
        return path;
    }

    [Fact]
    public void ARotatedExifPhotoIsClassifiedLikeItsUprightOriginal()
    {
        var photos = Directory.GetFiles(TestPaths.Coco64Images, "*.jpg").Order(StringComparer.Ordinal).ToArray();
        var originals = Classify(photos);
        // the three photos of each class the model is surest about (a re-encoded JPEG differs a little)
        var chosen = Enumerable.Range(0, photos.Length).GroupBy(i => originals[i].Label)
            .SelectMany(g => g.OrderByDescending(i => originals[i].Score).Take(3)).ToArray();
        Assert.True(chosen.Select(i => originals[i].Label).Distinct().Count() == 2, "both classes among the photos");
        var copies = chosen.Select(i => StoreSideways(photos[i], $"phone{i}.jpg")).ToArray();
        var results = Classify(copies);
        for (int k = 0; k < chosen.Length; k++)
        {
            var original = originals[chosen[k]];
            Assert.Equal(original.Label, results[k].Label);
            Assert.InRange(Math.Abs(original.Score - results[k].Score), 0, 0.1);
        }
    }
}
