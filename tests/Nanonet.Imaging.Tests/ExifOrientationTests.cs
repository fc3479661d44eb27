using SkiaSharp;

namespace Nanonet.Imaging.Tests;

/// <summary>
/// EXIF orientation applied on decode: coco64 photos with an orientation tag inserted (the JPEG data unchanged) decode
/// as the untagged photo turned by the tag's meaning, for all eight values, each built here from rotations and flips
/// of its own; a sideways-stored copy tagged "rotate 90" decodes upright.
/// </summary>
public sealed class ExifOrientationTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Photo => Path.Combine(TestPaths.Coco64Images, "000000000009.jpg");

    private static DecodedImage RotateClockwise(DecodedImage s)
    {
        var rgb = new byte[s.Rgb.Length];
        int w = s.Height, h = s.Width;
        for (int sy = 0; sy < s.Height; sy++)
        {
            for (int sx = 0; sx < s.Width; sx++)
            {
                int dx = s.Height - 1 - sy, dy = sx;
                Array.Copy(s.Rgb, ((sy * s.Width) + sx) * 3, rgb, ((dy * w) + dx) * 3, 3);
            }
        }

        return new DecodedImage(w, h, rgb);
    }

    private static DecodedImage MirrorLeftRight(DecodedImage s)
    {
        var rgb = new byte[s.Rgb.Length];
        for (int y = 0; y < s.Height; y++)
        {
            for (int x = 0; x < s.Width; x++)
            {
                Array.Copy(s.Rgb, ((y * s.Width) + x) * 3, rgb, ((y * s.Width) + (s.Width - 1 - x)) * 3, 3);
            }
        }

        return new DecodedImage(s.Width, s.Height, rgb);
    }

    private static DecodedImage Turns(DecodedImage s, int clockwise) =>
        clockwise == 0 ? s : Turns(RotateClockwise(s), clockwise - 1);

    /// <summary>What a viewer shows for each tag value, from the stored picture (the EXIF definitions).</summary>
    private static DecodedImage Upright(DecodedImage stored, int orientation) => orientation switch
    {
        1 => stored,
        2 => MirrorLeftRight(stored),
        3 => Turns(stored, 2),
        4 => MirrorLeftRight(Turns(stored, 2)),    // mirrored top-bottom
        5 => MirrorLeftRight(Turns(stored, 1)),    // transposed
        6 => Turns(stored, 1),                     // turn 90 degrees clockwise
        7 => MirrorLeftRight(Turns(stored, 3)),    // transverse
        8 => Turns(stored, 3),                     // turn 90 degrees anticlockwise
        _ => throw new ArgumentOutOfRangeException(nameof(orientation)),
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void EveryOrientationDecodesAsAViewerShowsIt(int orientation)
    {
        var original = ImagePreprocessor.Decode(Photo);
        Assert.NotEqual(original.Width, original.Height); // a swapped width and height would show
        var tagged = _tmp.File($"o{orientation}.jpg");
        File.WriteAllBytes(tagged, ExifJpeg.WithOrientation(File.ReadAllBytes(Photo), orientation));
        var decoded = ImagePreprocessor.Decode(tagged);
        var expected = Upright(original, orientation);
        Assert.Equal((expected.Width, expected.Height), (decoded.Width, decoded.Height));
        Assert.Equal(expected.Rgb, decoded.Rgb);
    }

    [Fact]
    public void ASidewaysPhotoTaggedRotate90DecodesUpright()
    {
        // as a phone stores a portrait photo: the pixels turned, the tag saying how to turn them back
        var original = ImagePreprocessor.Decode(Photo);
        var sideways = Turns(original, 3);
        var stored = _tmp.File("sideways.jpg");
        ImageFiles.WriteSkia(stored, sideways.Width, sideways.Height, sideways.Rgb, SKEncodedImageFormat.Jpeg, 100);
        var plain = ImagePreprocessor.Decode(stored);
        Assert.Equal((original.Height, original.Width), (plain.Width, plain.Height)); // untagged: sideways
        var tagged = _tmp.File("tagged.jpg");
        File.WriteAllBytes(tagged, ExifJpeg.WithOrientation(File.ReadAllBytes(stored), 6));
        var upright = ImagePreprocessor.Decode(tagged);
        Assert.Equal((original.Width, original.Height), (upright.Width, upright.Height));
        Assert.Equal(Turns(plain, 1).Rgb, upright.Rgb);
    }
}
