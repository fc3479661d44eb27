using System.Buffers.Binary;

namespace Nanonet.Packing.Tests;

public class MeanTests
{
    private static byte[] MeanModel(int[] axes, int[] outShape)
    {
        var tb = new TfliteBuilder();
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 4, 4, 8], 9, 0.5f, -3));
        var axisData = new byte[4 * axes.Length];
        for (int i = 0; i < axes.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(axisData.AsSpan(4 * i), axes[i]);
        }
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([axes.Length], 2, 1f, 0, axisData));
        tb.Tensors.Add(new TfliteBuilder.TensorSpec(outShape, 9, 0.3f, 1));
        tb.Codes.Add(new TfliteBuilder.CodeSpec(40, 40));
        tb.Ops.Add(new TfliteBuilder.OpSpec(0, [0, 1], [2], 27, b =>
        {
            b.StartTable(1);
            b.AddBool(0, false, false);
            return b.EndTable();
        }));
        tb.Inputs = [0];
        tb.Outputs = [2];
        return tb.Build();
    }

    [Fact]
    public void Mean_OverHW_UsesInputOverOutputScale()
    {
        var f = NnbFile.Parse(Packer.PackTflite(MeanModel([1, 2], [1, 8]), new PackOptions()));
        var op = Assert.Single(f.Ops);
        Assert.Equal(NnbOpCode.Mean, op.Code);
        var body = f.GetOpBody(0).Span;
        var (m, s) = TflmMath.QuantizeMultiplier((double)0.5f / (double)0.3f);
        Assert.Equal(m, BinaryPrimitives.ReadInt32LittleEndian(body));
        Assert.Equal(s, (sbyte)body[4]);
        Assert.Equal(ColourLayout.Raw, f.ColourLayout); // 8 channels
        Assert.Empty(f.PixelTables);
    }

    [Fact]
    public void Mean_OverOtherAxes_IsUnsupported()
    {
        var e = Assert.Throws<UnsupportedModelException>(() => Packer.PackTflite(MeanModel([3], [1, 4, 4]), new PackOptions()));
        Assert.StartsWith("operator 0 (MEAN)", e.Message);
    }
}
