using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Nanonet.Packing;

/// <summary>
/// A parsed packed model (.nnb). Checks magic, version, CRC, section bounds and record shapes; the
/// engine's C reader remains the authority for full validation.
/// </summary>
public sealed class NnbFile
{
    private readonly byte[][] _bodies;
    private readonly NnbChannelQuant?[] _quant;

    private NnbFile(int version, int totalSize, NnbTensor[] tensors, NnbOp[] ops, string[] labels, int input, int output,
        ColourLayout layout, sbyte[][] tables, byte[][] bodies, NnbChannelQuant?[] quant, int dataOffset, int dataSize)
    {
        Version = version;
        TotalSize = totalSize;
        Tensors = tensors;
        Ops = ops;
        Labels = labels;
        InputTensorIndex = input;
        OutputTensorIndex = output;
        ColourLayout = layout;
        PixelTables = tables;
        _bodies = bodies;
        _quant = quant;
        DataOffset = dataOffset;
        DataSize = dataSize;
    }

    /// <summary>Format version (1).</summary>
    public int Version { get; }

    /// <summary>Size of the blob in bytes.</summary>
    public int TotalSize { get; }

    /// <summary>Tensor table.</summary>
    public IReadOnlyList<NnbTensor> Tensors { get; }

    /// <summary>Op records in execution order.</summary>
    public IReadOnlyList<NnbOp> Ops { get; }

    /// <summary>Class labels.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Index of the graph input tensor.</summary>
    public int InputTensorIndex { get; }

    /// <summary>Index of the graph output tensor.</summary>
    public int OutputTensorIndex { get; }

    /// <summary>The graph input tensor.</summary>
    public NnbTensor Input => Tensors[InputTensorIndex];

    /// <summary>The graph output tensor.</summary>
    public NnbTensor Output => Tensors[OutputTensorIndex];

    /// <summary>How camera pixels feed the input.</summary>
    public ColourLayout ColourLayout { get; }

    /// <summary>Pixel-to-input tables (0, 1 or 3 of 256 entries).</summary>
    public IReadOnlyList<sbyte[]> PixelTables { get; }

    /// <summary>Sum of the ops' multiply-accumulates.</summary>
    public long TotalMacs => Ops.Sum(o => o.Macs);

    /// <summary>Start of the data section.</summary>
    public int DataOffset { get; }

    /// <summary>Size of the data section.</summary>
    public int DataSize { get; }

    /// <summary>The opcode-specific body of op <paramref name="index"/> (after the 12-byte record header).</summary>
    public ReadOnlyMemory<byte> GetOpBody(int index) => _bodies[index];

    /// <summary>The decoded channel quantisation block of op <paramref name="index"/>, or null for ops without one.</summary>
    public NnbChannelQuant? GetChannelQuant(int index) => _quant[index];

    private static NnbFormatException Bad(string m) => new("invalid .nnb: " + m);

    /// <summary>Parses and checks a packed model.</summary>
    /// <param name="blob">The whole .nnb file.</param>
    /// <exception cref="NnbFormatException">The blob is malformed.</exception>
    public static NnbFile Parse(byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        try
        {
            return ParseCore(blob);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            throw Bad("truncated or inconsistent structure (" + e.Message + ")");
        }
    }

    private static NnbFile ParseCore(byte[] blob)
    {
        var s = (ReadOnlySpan<byte>)blob;
        if (s.Length < Packer.HeaderSize)
        {
            throw Bad($"{s.Length} bytes is shorter than the 64-byte header");
        }
        if (s[0] != 'N' || s[1] != 'N' || s[2] != 'E' || s[3] != 'T')
        {
            throw Bad("magic is not \"NNET\"");
        }
        int version = BinaryPrimitives.ReadUInt16LittleEndian(s[4..]);
        if (version != Packer.FormatVersion)
        {
            throw Bad($"unsupported version {version} (expected {Packer.FormatVersion})");
        }
        int headerSize = BinaryPrimitives.ReadUInt16LittleEndian(s[6..]);
        if (headerSize != Packer.HeaderSize)
        {
            throw Bad($"header_size {headerSize} (expected 64)");
        }
        uint total = BinaryPrimitives.ReadUInt32LittleEndian(s[8..]);
        if (total != (uint)s.Length)
        {
            throw Bad($"total_size {total} does not match the blob length {s.Length}");
        }
        uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(s[12..]);
        var crc = new Crc32();
        crc.Append(s[..12]);
        crc.Append(new byte[4]);
        crc.Append(s[16..]);
        uint actualCrc = crc.GetCurrentHashAsUInt32();
        if (storedCrc != actualCrc)
        {
            throw Bad($"CRC mismatch (stored 0x{storedCrc:X8}, computed 0x{actualCrc:X8})");
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(s[16..]) != 0)
        {
            throw Bad("flags are not zero");
        }
        int tensorCount = BinaryPrimitives.ReadUInt16LittleEndian(s[20..]);
        int opCount = BinaryPrimitives.ReadUInt16LittleEndian(s[22..]);
        long inputSpecOffset = BinaryPrimitives.ReadUInt32LittleEndian(s[24..]);
        long tensorsOffset = BinaryPrimitives.ReadUInt32LittleEndian(s[28..]);
        long opsOffset = BinaryPrimitives.ReadUInt32LittleEndian(s[32..]);
        long opsSize = BinaryPrimitives.ReadUInt32LittleEndian(s[36..]);
        long labelsOffset = BinaryPrimitives.ReadUInt32LittleEndian(s[40..]);
        int labelCount = BinaryPrimitives.ReadUInt16LittleEndian(s[44..]);
        int inputTensor = BinaryPrimitives.ReadUInt16LittleEndian(s[46..]);
        int outputTensor = BinaryPrimitives.ReadUInt16LittleEndian(s[48..]);
        long dataOffset = BinaryPrimitives.ReadUInt32LittleEndian(s[52..]);
        long dataSize = BinaryPrimitives.ReadUInt32LittleEndian(s[56..]);
        if (tensorCount < 1 || tensorCount > 1024)
        {
            throw Bad($"tensor_count {tensorCount} outside 1..1024");
        }
        if (opCount < 1 || opCount > 1024)
        {
            throw Bad($"op_count {opCount} outside 1..1024");
        }
        if (labelCount > 1024)
        {
            throw Bad($"label_count {labelCount} above 1024");
        }
        if (dataOffset % 16 != 0 || dataOffset + dataSize != total || dataOffset < Packer.HeaderSize)
        {
            throw Bad($"data section [{dataOffset}, +{dataSize}) is misaligned or does not end at total_size {total}");
        }
        void Section(string name, long off, long size, int align)
        {
            if (off < Packer.HeaderSize || off % align != 0 || off + size > dataOffset)
            {
                throw Bad($"{name} [{off}, +{size}) is misaligned or outside the area before the data section");
            }
        }
        Section("input spec", inputSpecOffset, 4, 4);
        Section("tensor table", tensorsOffset, (long)tensorCount * Packer.TensorEntrySize, 4);
        Section("op table", opsOffset, opsSize, 4);
        Section("label table", labelsOffset, 0, 1);
        if (inputTensor >= tensorCount || outputTensor >= tensorCount)
        {
            throw Bad($"input_tensor {inputTensor} / output_tensor {outputTensor} out of range");
        }

        // tensors
        var tensors = new NnbTensor[tensorCount];
        for (int i = 0; i < tensorCount; i++)
        {
            var e = s.Slice((int)tensorsOffset + i * Packer.TensorEntrySize, Packer.TensorEntrySize);
            if (e[0] != 1)
            {
                throw Bad($"tensor {i}: type {e[0]} is not int8 (1)");
            }
            int rank = e[1];
            if (rank < 1 || rank > 4)
            {
                throw Bad($"tensor {i}: rank {rank} outside 1..4");
            }
            int src = BinaryPrimitives.ReadUInt16LittleEndian(e[2..]);
            var shape = new int[rank];
            long elements = 1;
            for (int d = 0; d < 4; d++)
            {
                int v = BinaryPrimitives.ReadUInt16LittleEndian(e[(4 + 2 * d)..]);
                if (d < rank)
                {
                    if (v < 1 || v > 4096)
                    {
                        throw Bad($"tensor {i}: dimension {d} is {v}");
                    }
                    shape[d] = v;
                    elements *= v;
                }
                else if (v != 0)
                {
                    throw Bad($"tensor {i}: dimension {d} beyond rank is not zero");
                }
            }
            if (elements > 4 * 1024 * 1024)
            {
                throw Bad($"tensor {i}: {elements} elements exceed the limit");
            }
            float scale = BinaryPrimitives.ReadSingleLittleEndian(e[12..]);
            int zp = BinaryPrimitives.ReadInt32LittleEndian(e[16..]);
            if (zp < -128 || zp > 127)
            {
                throw Bad($"tensor {i}: zero point {zp} outside -128..127");
            }
            tensors[i] = new NnbTensor(i, shape, scale, zp, src == 0xFFFF ? -1 : src);
        }

        // input spec
        int layoutByte = s[(int)inputSpecOffset];
        int lutCount = s[(int)inputSpecOffset + 1];
        if (layoutByte > 2)
        {
            throw Bad($"colour layout {layoutByte} unknown");
        }
        var layout = (ColourLayout)layoutByte;
        if (layout == ColourLayout.Raw ? lutCount != 0 : lutCount is not (1 or 3))
        {
            throw Bad($"lut_count {lutCount} invalid for layout {layout}");
        }
        Section("input spec", inputSpecOffset, 4 + 256L * lutCount, 4);
        var inShape = tensors[inputTensor].Shape;
        int inC = inShape[^1];
        if ((layout == ColourLayout.Gray8 && inC != 1) || (layout == ColourLayout.Rgb888 && inC != 3))
        {
            throw Bad($"layout {layout} does not fit an input with {inC} channels");
        }
        var tables = new sbyte[lutCount][];
        for (int k = 0; k < lutCount; k++)
        {
            tables[k] = new sbyte[256];
            for (int p = 0; p < 256; p++)
            {
                tables[k][p] = (sbyte)s[(int)inputSpecOffset + 4 + 256 * k + p];
            }
        }

        // ops
        var ops = new NnbOp[opCount];
        var bodies = new byte[opCount][];
        var quants = new NnbChannelQuant?[opCount];
        long at = opsOffset, end = opsOffset + opsSize;
        for (int i = 0; i < opCount; i++)
        {
            if (at + Packer.OpHeaderSize > end)
            {
                throw Bad($"op {i}: record runs past the op table");
            }
            var h = s.Slice((int)at, Packer.OpHeaderSize);
            int code = h[0];
            int size = BinaryPrimitives.ReadUInt16LittleEndian(h[2..]);
            if (size < Packer.OpHeaderSize || size % 4 != 0 || at + size > end)
            {
                throw Bad($"op {i}: record_size {size} invalid");
            }
            if (code < 1 || code > 9)
            {
                throw Bad($"op {i}: unknown opcode {code}");
            }
            var opCode = (NnbOpCode)code;
            int expected = opCode switch
            {
                NnbOpCode.Conv2D or NnbOpCode.DepthwiseConv2D => 24,
                NnbOpCode.FullyConnected => 12,
                NnbOpCode.AveragePool2D => 8,
                NnbOpCode.Mean => 8,
                NnbOpCode.Softmax => 12,
                NnbOpCode.Add => 32,
                NnbOpCode.Pad => 16,
                _ => 0,
            };
            if (size != Packer.OpHeaderSize + expected)
            {
                throw Bad($"op {i} ({opCode}): record_size {size}, expected {Packer.OpHeaderSize + expected}");
            }
            int in0 = BinaryPrimitives.ReadUInt16LittleEndian(h[4..]);
            int in1 = BinaryPrimitives.ReadUInt16LittleEndian(h[6..]);
            int outT = BinaryPrimitives.ReadUInt16LittleEndian(h[8..]);
            int src = BinaryPrimitives.ReadUInt16LittleEndian(h[10..]);
            if (in0 >= tensorCount || outT >= tensorCount || (in1 != 0xFFFF && in1 >= tensorCount))
            {
                throw Bad($"op {i} ({opCode}): tensor index out of range");
            }
            if ((opCode == NnbOpCode.Add) != (in1 != 0xFFFF))
            {
                throw Bad($"op {i} ({opCode}): input1 must be present exactly for ADD");
            }
            var body = s.Slice((int)at + Packer.OpHeaderSize, expected).ToArray();
            bodies[i] = body;
            long macs = 0;
            int paramBytes = 0;
            int[] ins = in1 == 0xFFFF ? [in0] : [in0, in1];
            var inT = tensors[in0];
            var o = tensors[outT];
            int[] o4 = As4D(o.Shape), i4 = As4D(inT.Shape);
            if (opCode == NnbOpCode.Add && (!i4.SequenceEqual(o4) || !As4D(tensors[in1].Shape).SequenceEqual(o4)))
            {
                // the engine's rule (docs/model-format.md): the NHWC views of both inputs equal the output's
                throw Bad($"op {i} (ADD): shapes [{string.Join(',', i4)}] + [{string.Join(',', As4D(tensors[in1].Shape))}] -> [{string.Join(',', o4)}] differ; ADD needs equal shapes");
            }
            if (opCode is NnbOpCode.Conv2D or NnbOpCode.DepthwiseConv2D or NnbOpCode.FullyConnected)
            {
                int wPos = opCode == NnbOpCode.FullyConnected ? 4 : 16;
                long wOff = BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(wPos));
                long qOff = BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(wPos + 4));
                long wBytes;
                int channels;
                if (opCode == NnbOpCode.FullyConnected)
                {
                    channels = o.Shape[^1];
                    long batches = o.ElementCount / channels;
                    long inDepth = batches == 0 ? 0 : inT.ElementCount / batches;
                    wBytes = channels * inDepth;
                    macs = batches * inDepth * channels;
                }
                else
                {
                    int kh = body[0], kw = body[1];
                    channels = o4[3];
                    wBytes = opCode == NnbOpCode.Conv2D ? (long)channels * kh * kw * i4[3] : (long)kh * kw * channels;
                    macs = (long)o4[0] * o4[1] * o4[2] * channels * kh * kw * (opCode == NnbOpCode.Conv2D ? i4[3] : 1);
                }
                if (wOff % 16 != 0 || wOff < dataOffset || wOff + wBytes > total)
                {
                    throw Bad($"op {i} ({opCode}): weights [{wOff}, +{wBytes}) misaligned or outside the data section");
                }
                if (qOff % 4 != 0 || qOff < dataOffset || qOff >= total)
                {
                    throw Bad($"op {i} ({opCode}): quant block at {qOff} misaligned or outside the data section");
                }
                NnbChannelQuant q;
                try
                {
                    q = QuantBlock.Decode(s, (int)qOff);
                }
                catch (NnbFormatException e)
                {
                    throw Bad($"op {i} ({opCode}): {e.Message}");
                }
                if (q.Bias.Length != channels)
                {
                    throw Bad($"op {i} ({opCode}): quant block has {q.Bias.Length} channels, the op {channels}");
                }
                quants[i] = q;
                paramBytes = (int)wBytes + q.ByteSize;
            }
            ops[i] = new NnbOp(i, opCode, ins, outT, src == 0xFFFF ? -1 : src, macs, paramBytes);
            at += size;
        }
        if (at != end)
        {
            throw Bad($"op table holds {end - at} bytes after the last record");
        }

        // labels
        var labels = new string[labelCount];
        long la = labelsOffset;
        for (int i = 0; i < labelCount; i++)
        {
            if (la + 1 > dataOffset)
            {
                throw Bad($"label {i} runs into the data section");
            }
            int len = s[(int)la];
            if (la + 1 + len > dataOffset)
            {
                throw Bad($"label {i} runs into the data section");
            }
            labels[i] = Encoding.UTF8.GetString(s.Slice((int)la + 1, len));
            la += 1 + len;
        }

        return new NnbFile(version, (int)total, tensors, ops, labels, inputTensor, outputTensor, layout, tables,
            bodies, quants, (int)dataOffset, (int)dataSize);
    }

    private static int[] As4D(int[] s) => s.Length >= 4 ? s : Enumerable.Repeat(1, 4 - s.Length).Concat(s).ToArray();
}
