using Nanonet.Imaging;

namespace Nanonet.Quantization.Tests;

public sealed class DatasetTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string CocoPicture(string name) => Path.Combine(TestPaths.Coco64Images, name);

    /// <summary>Copies a coco64 photo into the temporary folder under another name.</summary>
    private void CopyPicture(string cocoName, string name) => File.Copy(CocoPicture(cocoName), _tmp.File(name));

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
    public void PicturesInSubfoldersAreListedInPathOrderAndHiddenOnesSkipped()
    {
        Directory.CreateDirectory(_tmp.File("person"));
        Directory.CreateDirectory(_tmp.File("no_person"));
        Directory.CreateDirectory(_tmp.File(".thumbs"));
        foreach (var name in new[] { "person/b.jpg", "person/a.PNG", "no_person/z.bmp", "top.pgm", "person/._a.jpg", ".thumbs/t.jpg", "notes.txt" })
        {
            File.WriteAllText(_tmp.File(name), "listing does not decode");
        }

        var files = Dataset.ListImages(_tmp.Path).Select(f => Path.GetRelativePath(_tmp.Path, f).Replace('\\', '/'));
        Assert.Equal(["no_person/z.bmp", "person/a.PNG", "person/b.jpg", "top.pgm"], files);
    }

    [Theory]
    [InlineData(10, 3, new[] { 0, 3, 6 })]
    [InlineData(10, 5, new[] { 0, 2, 4, 6, 8 })]
    [InlineData(4, 4, new[] { 0, 1, 2, 3 })]
    [InlineData(4, 9, new[] { 0, 1, 2, 3 })]
    [InlineData(7, 1, new[] { 0 })]
    public void SamplesAreSpreadOverTheWholeList(int length, int count, int[] expected)
    {
        Assert.Equal(expected, Dataset.SpreadSample(Enumerable.Range(0, length).ToList(), count));
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
        CopyPicture("000000000009.jpg", "a.jpg");
        var csv = _tmp.File("labels.csv");
        File.WriteAllText(csv, "file,label\na.jpg,1\nmissing.jpg,0\n");
        var e = Assert.Throws<DatasetException>(() => Dataset.ReadLabels(csv, _tmp.Path, null));
        Assert.Contains("missing.jpg", e.Message);
        Assert.Contains("line 3", e.Message);

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
    public void LabelsCsvFollowsRfc4180AndCommonVariants()
    {
        CopyPicture("000000000009.jpg", "a.jpg");
        CopyPicture("000000000030.jpg", "b, c.jpg");
        var csv = _tmp.File("labels.csv");

        // a quoted field may hold the separator; BOM, CRLF, blank lines and spaces around fields are fine
        File.WriteAllText(csv, "\uFEFFfile,label\r\n a.jpg , 1\r\n\r\n\"b, c.jpg\",0\r\n");
        var rows = Dataset.ReadLabels(csv, _tmp.Path, null);
        Assert.Equal([_tmp.File("a.jpg"), _tmp.File("b, c.jpg")], rows.Select(r => r.Path));
        Assert.Equal([1, 0], rows.Select(r => r.Label));

        // semicolon (spreadsheets in many locales) and tab separators are detected
        File.WriteAllText(csv, "file;label\na.jpg;1\n\"b, c.jpg\";0\n");
        Assert.Equal([1, 0], Dataset.ReadLabels(csv, _tmp.Path, null).Select(r => r.Label));
        File.WriteAllText(csv, "file\tlabel\na.jpg\t1\n");
        Assert.Equal(1, Dataset.ReadLabels(csv, _tmp.Path, null).Single().Label);
    }

    [Fact]
    public void ACsvWithoutHeaderStartsWithAPicture()
    {
        CopyPicture("000000000009.jpg", "a.jpg");
        CopyPicture("000000000030.jpg", "b.JPG");
        var csv = _tmp.File("labels.csv");
        File.WriteAllText(csv, "a.jpg,1\nb.JPG,0\n");
        var rows = Dataset.ReadLabels(csv, _tmp.Path, null);
        Assert.Equal([1, 0], rows.Select(r => r.Label));

        var e = Assert.Throws<DatasetException>(() => Dataset.ReadLabels(csv, _tmp.Path, "label"));
        Assert.Contains("has no header row", e.Message);
        Assert.Contains("'a.jpg'", e.Message);
    }

    [Fact]
    public void AmbiguousCsvsAreRefused()
    {
        CopyPicture("000000000009.jpg", "a.jpg");
        var csv = _tmp.File("labels.csv");
        File.WriteAllText(csv, "file,label,label\na.jpg,0,1\n");
        Assert.Contains("more than one column 'label'", Assert.Throws<DatasetException>(() => Dataset.ReadLabels(csv, _tmp.Path, null)).Message);
        Assert.Contains("more than one column 'label'", Assert.Throws<DatasetException>(() => Dataset.ReadLabels(csv, _tmp.Path, "label")).Message);

        File.WriteAllText(csv, "file,label\na.jpg,0\n./a.jpg,1\n");
        var e = Assert.Throws<DatasetException>(() => Dataset.ReadLabels(csv, _tmp.Path, null));
        Assert.Contains("line 3: picture './a.jpg' is listed twice (first on line 2)", e.Message);
    }

    [Fact]
    public void AbsolutePathsInTheCsvAreTakenAsTheyAre()
    {
        var elsewhere = Directory.CreateDirectory(_tmp.File("elsewhere")).FullName;
        var picture = Path.Combine(elsewhere, "a.jpg");
        File.Copy(CocoPicture("000000000009.jpg"), picture);
        var images = Directory.CreateDirectory(_tmp.File("images")).FullName;
        var csv = _tmp.File("labels.csv");
        File.WriteAllText(csv, $"file,label\n{picture},1\n");
        Assert.Equal(picture, Dataset.ReadLabels(csv, images, null).Single().Path);
    }

    [Fact]
    public void MalformedCsvNamesTheLine()
    {
        CopyPicture("000000000009.jpg", "a.jpg");
        var csv = _tmp.File("labels.csv");
        File.WriteAllText(csv, "file,label\na.jpg,1\n\n\"a.jpg,0\n");
        var e = Assert.Throws<DatasetException>(() => Dataset.ReadLabels(csv, _tmp.Path, null));
        Assert.Contains("is not valid CSV", e.Message);
        Assert.Contains("line 4", e.Message);

        File.WriteAllText(csv, "file,label,extra\na.jpg,1,x\n\na.jpg\n");
        e = Assert.Throws<DatasetException>(() => Dataset.ReadLabels(csv, _tmp.Path, "label"));
        Assert.Contains("line 4: 1 column(s), the label column is number 2", e.Message);

        File.WriteAllBytes(csv, [0, 0, 1, 2, 0xff, 0xfe, 10]);
        Assert.Throws<DatasetException>(() => Dataset.ReadLabels(csv, _tmp.Path, null));
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
