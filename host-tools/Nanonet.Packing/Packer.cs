using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Nanonet.Tflite;

namespace Nanonet.Packing;

/// <summary>Converts TFLite int8 models into Nanonet's packed format (.nnb, nn_format.h version 1).</summary>
public static class Packer
{
    /// <summary>NN_FORMAT_VERSION.</summary>
    public const int FormatVersion = 1;

    internal const int HeaderSize = 64;
    internal const int TensorEntrySize = 20;
    internal const int OpHeaderSize = 12;

    /// <summary>
    /// Parses <paramref name="tflite"/>, maps its first subgraph onto engine ops and writes the packed model.
    /// </summary>
    /// <param name="tflite">The .tflite file.</param>
    /// <param name="options">Labels, multiplier policy and pixel mapping.</param>
    /// <exception cref="TfliteFormatException">The file is not a well-formed TFLite flatbuffer.</exception>
    /// <exception cref="UnsupportedModelException">An op or parameter is not supported (the message names the operator index).</exception>
    /// <exception cref="ArgumentException">A label is longer than 255 UTF-8 bytes, or the labels are not one per output value (ParamName "labels").</exception>
    public static byte[] PackTflite(byte[] tflite, PackOptions options)
    {
        ArgumentNullException.ThrowIfNull(tflite);
        ArgumentNullException.ThrowIfNull(options);
        var labels = EncodeLabels(options.Labels);
        var model = TfliteModel.Parse(tflite);
        var plan = Importer.Import(model, options.ExactMultipliers);
        CheckLabelCount(plan, labels);
        return Write(plan, labels, options.PixelMapping);
    }

    /// <summary>
    /// Packs an already parsed (or built in memory, e.g. by the quantiser) int8 TFLite graph: the same import
    /// and writer as <see cref="PackTflite"/>.
    /// </summary>
    /// <param name="model">The int8 model.</param>
    /// <param name="options">Labels, multiplier policy and pixel mapping.</param>
    /// <returns>The .nnb bytes.</returns>
    /// <exception cref="UnsupportedModelException">An op or parameter is not supported.</exception>
    /// <exception cref="ArgumentException">A label is longer than 255 UTF-8 bytes, or the labels are not one per output value (ParamName "labels").</exception>
    public static byte[] PackModel(TfliteModel model, PackOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var labels = EncodeLabels(options.Labels);
        var plan = Importer.Import(model, options.ExactMultipliers);
        CheckLabelCount(plan, labels);
        return Write(plan, labels, options.PixelMapping);
    }

    /// <summary>Labels name the output values: none, or exactly one per output value.</summary>
    private static void CheckLabelCount(Plan plan, List<byte[]> labels) =>
        CheckLabelCount(labels.Count, plan.Tensors[plan.OutputTensor].Shape.Aggregate(1L, (a, d) => a * d));

    /// <summary>
    /// Checks that a model with <paramref name="outputs"/> output values can carry <paramref name="labelCount"/>
    /// labels: none, or exactly one per output value (what the packer requires).
    /// </summary>
    /// <param name="labelCount">Number of labels.</param>
    /// <param name="outputs">Number of output values of the model.</param>
    /// <exception cref="ArgumentException">They do not match (ParamName "labels").</exception>
    public static void CheckLabelCount(int labelCount, long outputs)
    {
        if (labelCount != 0 && labelCount != outputs)
        {
            throw new ArgumentException(
                $"{labelCount} labels for a model with {outputs} output values: give one label per output, or none", "labels");
        }
    }

    private static List<byte[]> EncodeLabels(IReadOnlyList<string>? labels)
    {
        var list = new List<byte[]>();
        if (labels is null)
        {
            return list;
        }
        if (labels.Count > 1024)
        {
            throw new ArgumentException($"{labels.Count} labels; at most 1024 are allowed", nameof(labels));
        }
        for (int i = 0; i < labels.Count; i++)
        {
            var b = Encoding.UTF8.GetBytes(labels[i] ?? throw new ArgumentException($"label {i} is null", nameof(labels)));
            if (b.Length > 255)
            {
                throw new ArgumentException($"label {i} is {b.Length} UTF-8 bytes long; at most 255 are allowed", nameof(labels));
            }
            list.Add(b);
        }
        return list;
    }

    private static int Align(int v, int a) => (v + a - 1) / a * a;

    private static byte[] Write(Plan plan, List<byte[]> labels, PixelMapping mapping)
    {
        var input = plan.Tensors[plan.InputTensor];
        int channels = input.Shape.Length >= 3 ? input.Shape[^1] : 0;
        var layout = channels switch { 1 => ColourLayout.Gray8, 3 => ColourLayout.Rgb888, _ => ColourLayout.Raw };
        sbyte[]? table = layout == ColourLayout.Raw ? null : mapping.BuildTable(input.Scale, input.ZeroPoint);

        int inputSpecOffset = HeaderSize;
        int inputSpecSize = 4 + (table is null ? 0 : 256);
        int tensorsOffset = Align(inputSpecOffset + inputSpecSize, 4);
        int opsOffset = tensorsOffset + plan.Tensors.Count * TensorEntrySize;
        int opsSize = plan.Ops.Sum(o => OpHeaderSize + o.Body.Length);
        int labelsOffset = opsOffset + opsSize;
        int labelsSize = labels.Sum(l => 1 + l.Length);
        int dataOffset = Align(labelsOffset + labelsSize, 16);

        // data section layout
        int cursor = dataOffset;
        var weightsAt = new int[plan.Ops.Count];
        var quantAt = new int[plan.Ops.Count];
        for (int i = 0; i < plan.Ops.Count; i++)
        {
            var op = plan.Ops[i];
            if (op.Weights is { } w)
            {
                cursor = Align(cursor, 16);
                weightsAt[i] = cursor;
                cursor += w.Length;
            }
            if (op.Quant is { } q)
            {
                cursor = Align(cursor, 4);
                quantAt[i] = cursor;
                cursor += q.Length;
            }
        }
        int totalSize = cursor;
        var blob = new byte[totalSize];
        var s = blob.AsSpan();

        // header
        s[0] = (byte)'N';
        s[1] = (byte)'N';
        s[2] = (byte)'E';
        s[3] = (byte)'T';
        BinaryPrimitives.WriteUInt16LittleEndian(s[4..], FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(s[6..], HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], (uint)totalSize);
        BinaryPrimitives.WriteUInt16LittleEndian(s[20..], (ushort)plan.Tensors.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(s[22..], (ushort)plan.Ops.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)inputSpecOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], (uint)tensorsOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(s[32..], (uint)opsOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(s[36..], (uint)opsSize);
        BinaryPrimitives.WriteUInt32LittleEndian(s[40..], (uint)labelsOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(s[44..], (ushort)labels.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(s[46..], (ushort)plan.InputTensor);
        BinaryPrimitives.WriteUInt16LittleEndian(s[48..], (ushort)plan.OutputTensor);
        BinaryPrimitives.WriteUInt32LittleEndian(s[52..], (uint)dataOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(s[56..], (uint)(totalSize - dataOffset));

        // input spec
        s[inputSpecOffset] = (byte)layout;
        s[inputSpecOffset + 1] = (byte)(table is null ? 0 : 1);
        if (table is not null)
        {
            for (int p = 0; p < 256; p++)
            {
                s[inputSpecOffset + 4 + p] = (byte)table[p];
            }
        }

        // tensors
        for (int i = 0; i < plan.Tensors.Count; i++)
        {
            var t = plan.Tensors[i];
            var e = s.Slice(tensorsOffset + i * TensorEntrySize, TensorEntrySize);
            e[0] = 1; // NN_TYPE_INT8
            e[1] = (byte)t.Shape.Length;
            BinaryPrimitives.WriteUInt16LittleEndian(e[2..], t.SourceIndex is >= 0 and < 0xFFFF ? (ushort)t.SourceIndex : (ushort)0xFFFF);
            for (int d = 0; d < t.Shape.Length; d++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(e[(4 + 2 * d)..], (ushort)t.Shape[d]);
            }
            BinaryPrimitives.WriteSingleLittleEndian(e[12..], t.Scale);
            BinaryPrimitives.WriteInt32LittleEndian(e[16..], t.ZeroPoint);
        }

        // ops
        int at = opsOffset;
        for (int i = 0; i < plan.Ops.Count; i++)
        {
            var op = plan.Ops[i];
            int size = OpHeaderSize + op.Body.Length;
            var r = s.Slice(at, size);
            r[0] = (byte)op.Code;
            BinaryPrimitives.WriteUInt16LittleEndian(r[2..], (ushort)size);
            BinaryPrimitives.WriteUInt16LittleEndian(r[4..], (ushort)op.Input0);
            BinaryPrimitives.WriteUInt16LittleEndian(r[6..], op.Input1 < 0 ? (ushort)0xFFFF : (ushort)op.Input1);
            BinaryPrimitives.WriteUInt16LittleEndian(r[8..], (ushort)op.Output);
            BinaryPrimitives.WriteUInt16LittleEndian(r[10..], op.SourceIndex is >= 0 and < 0xFFFF ? (ushort)op.SourceIndex : (ushort)0xFFFF);
            op.Body.CopyTo(r[OpHeaderSize..]);
            if (op.WeightsFieldPos >= 0)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(r[(OpHeaderSize + op.WeightsFieldPos)..], (uint)weightsAt[i]);
                op.Weights!.CopyTo(s[weightsAt[i]..]);
            }
            if (op.QuantFieldPos >= 0)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(r[(OpHeaderSize + op.QuantFieldPos)..], (uint)quantAt[i]);
                op.Quant!.CopyTo(s[quantAt[i]..]);
            }
            at += size;
        }

        // labels
        at = labelsOffset;
        foreach (var l in labels)
        {
            s[at++] = (byte)l.Length;
            l.CopyTo(s[at..]);
            at += l.Length;
        }

        uint crc = Crc32.HashToUInt32(blob);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], crc);
        return blob;
    }
}
