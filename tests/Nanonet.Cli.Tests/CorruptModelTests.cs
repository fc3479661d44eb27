using System.Buffers.Binary;
using System.IO.Hashing;

namespace Nanonet.Cli.Tests;

/// <summary>
/// Corrupt packed models through the CLI: every one gives a non-zero exit code and one line on stderr naming the
/// fault (the C reader's status), never a crash. Offsets follow docs/model-format.md.
/// </summary>
public sealed class CorruptModelTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private static readonly byte[] Shipped = File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "models", "person_detect.nnb"));
    private static readonly string Input = TestPaths.GoldenInput("tflm_person.gray96.i8");

    public void Dispose() => _tmp.Dispose();

    private string RunCorrupt(byte[] blob)
    {
        var path = _tmp.File("corrupt.nnb");
        File.WriteAllBytes(path, blob);
        return CliRunner.AssertOneLineError(CliRunner.Run("run", path, Input, "--format", "raw"));
    }

    /// <summary>Recomputes the CRC32 (bytes 12..15, computed with those bytes zero) so the reader looks past it.</summary>
    private static byte[] WithCrc(byte[] blob)
    {
        var copy = (byte[])blob.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(12), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(12), Crc32.HashToUInt32(copy));
        return copy;
    }

    private static int U32(byte[] blob, int offset) => (int)BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(offset));

    [Fact]
    public void EveryTruncationOfTheHeaderAndTablesAndSampledDataLengthsIsRejected()
    {
        int dataOffset = U32(Shipped, 52);
        var lengths = Enumerable.Range(0, dataOffset + 64).ToList();
        for (int length = dataOffset + 64; length < Shipped.Length; length += 1777)
        {
            lengths.Add(length);
        }

        lengths.Add(Shipped.Length - 1);
        foreach (var length in lengths)
        {
            var line = RunCorrupt(Shipped[..length]);
            Assert.Contains("NN_ERR_TRUNCATED", line);
        }
    }

    [Fact]
    public void ABadCrcIsNamed()
    {
        var blob = (byte[])Shipped.Clone();
        blob[12] ^= 0x01;
        Assert.Contains("NN_ERR_BAD_CRC", RunCorrupt(blob));
    }

    [Fact]
    public void SingleByteFlipsAcrossTheBlobAreRejected()
    {
        for (int offset = 0; offset < Shipped.Length; offset += 4099)
        {
            var blob = (byte[])Shipped.Clone();
            blob[offset] ^= 0x5A;
            Assert.Contains("NN_ERR_", RunCorrupt(blob));
        }
    }

    [Fact]
    public void OffsetsOutOfRangeAreNamedEvenWithAValidCrc()
    {
        foreach (var field in new[] { 24, 28, 32, 40 })
        {
            var blob = (byte[])Shipped.Clone();
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(field), (uint)Shipped.Length + 4096);
            Assert.Contains("NN_ERR_BAD_OFFSET", RunCorrupt(WithCrc(blob)));
        }
    }

    [Fact]
    public void AbsurdShapesAreNamedEvenWithAValidCrc()
    {
        int tensors = U32(Shipped, 28);
        var blob = (byte[])Shipped.Clone();
        for (int d = 0; d < 4; d++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(blob.AsSpan(tensors + 4 + 2 * d), 65535);
        }

        var line = RunCorrupt(WithCrc(blob));
        Assert.Contains("NN_ERR_BAD_SHAPE", line);
    }

    [Fact]
    public void AnUnknownOpcodeIsNamedWithItsOpIndex()
    {
        int ops = U32(Shipped, 32);
        var blob = (byte[])Shipped.Clone();
        blob[ops] = 200;
        var line = RunCorrupt(WithCrc(blob));
        Assert.Contains("NN_ERR_UNKNOWN_OP", line);
        Assert.Contains("op 0", line);
    }
}
