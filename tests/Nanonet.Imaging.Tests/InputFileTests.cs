namespace Nanonet.Imaging.Tests;

public sealed class InputFileTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(100_000)]
    public void ReadsAFileWholeUpToTheLimit(int size)
    {
        var data = new byte[size];
        new Random(size).NextBytes(data);
        var path = _tmp.File("f.bin");
        File.WriteAllBytes(path, data);
        Assert.Equal(data, InputFile.ReadAllBytes(path, size));
        Assert.Equal(data, InputFile.ReadAllBytes(path));
        if (size > 0)
        {
            Assert.Contains($"it is {size} bytes; at most {size - 1} are accepted",
                Assert.Throws<IOException>(() => InputFile.ReadAllBytes(path, size - 1)).Message);
        }
    }

    [Fact]
    public void AnEndlessDeviceStopsAtTheLimit()
    {
        Assert.True(File.Exists("/dev/zero"), "this test needs /dev/zero");
        var e = Assert.Throws<IOException>(() => InputFile.ReadAllBytes("/dev/zero", 1 << 20));
        Assert.Equal("it holds more than 1048576 bytes (an endless device or a growing file?)", e.Message);
    }

    [Fact]
    public void FoldersEmptyNamesAndMissingFilesAreNamed()
    {
        Assert.Equal("it is a folder, not a file", Assert.Throws<IOException>(() => InputFile.ReadAllBytes(_tmp.Path)).Message);
        Assert.Equal("the file name is empty", Assert.Throws<IOException>(() => InputFile.ReadAllBytes("")).Message);
        Assert.Throws<FileNotFoundException>(() => InputFile.ReadAllBytes(_tmp.File("none")));
    }
}
