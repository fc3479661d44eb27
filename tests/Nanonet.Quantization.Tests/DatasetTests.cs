using Nanonet.Imaging;

namespace Nanonet.Quantization.Tests;

public sealed class DatasetTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void MissingAndEmptyFoldersAreNamed()
    {
        var missing = _tmp.File("nope");
        Assert.Contains("not found", Assert.Throws<DatasetException>(() => Dataset.ListImages(missing)).Message);
        File.WriteAllText(_tmp.File("notes.txt"), "not a picture");
        var e = Assert.Throws<DatasetException>(() => Dataset.ListImages(_tmp.Path));
        Assert.Contains("holds no pictures", e.Message);
    }

    [Fact]
    public void AFileThatIsNotAnImageIsNamed()
    {
        var bad = _tmp.File("broken.jpg");
        File.WriteAllText(bad, "this is text");
        var e = Assert.Throws<ImageDecodeException>(() => Evaluator.LoadPixels(Dataset.ListImages(_tmp.Path), 96, 96, 3));
        Assert.Contains("broken.jpg", e.Message);
    }

    [Fact]
    public void LabelsCsvProblemsAreNamed()
    {
        File.Copy(Path.Combine(TestPaths.Coco64Images, "000000000009.jpg"), _tmp.File("a.jpg"));
        var csv = _tmp.File("labels.csv");
        File.WriteAllText(csv, "file,label\na.jpg,1\nmissing.jpg,0\n");
        var e = Assert.Throws<DatasetException>(() => Dataset.ReadLabels(csv, _tmp.Path, null));
        Assert.Contains("missing.jpg", e.Message);
        Assert.Contains("row 3", e.Message);

        File.WriteAllText(csv, "file,label\na.jpg,x\n");
        Assert.Contains("not a class index", Assert.Throws<DatasetException>(() => Dataset.ReadLabels(csv, _tmp.Path, null)).Message);
        File.WriteAllText(csv, "file,a,b\na.jpg,1,0\n");
        Assert.Contains("--label-column", Assert.Throws<DatasetException>(() => Dataset.ReadLabels(csv, _tmp.Path, null)).Message);
        Assert.Contains("no column 'c'", Assert.Throws<DatasetException>(() => Dataset.ReadLabels(csv, _tmp.Path, "c")).Message);
        Assert.Equal(0, Dataset.ReadLabels(csv, _tmp.Path, "b")[0].Label);
        Assert.Contains("not found", Assert.Throws<DatasetException>(() => Dataset.ReadLabels(_tmp.File("none.csv"), _tmp.Path, null)).Message);
        File.WriteAllText(csv, "file,label\n");
        Assert.Contains("lists no pictures", Assert.Throws<DatasetException>(() => Dataset.ReadLabels(csv, _tmp.Path, null)).Message);
    }

    [Fact]
    public void FloatInputIsTheInt8InputDequantised()
    {
        byte[] pixels = [0, 1, 128, 255];
        var codes = FloatInput.Codes(pixels);
        Assert.Equal(new sbyte[] { -128, -127, 0, 127 }, codes);
        var real = FloatInput.Dequantize(codes, FloatInput.DefaultParams);
        for (int i = 0; i < pixels.Length; i++)
        {
            Assert.Equal(pixels[i] * (1f / 255f), real[i]);
        }
    }
}
