using Nanonet.Tflite;

namespace Nanonet.Packing.Tests;

public class TfliteReaderTests
{
    [Fact]
    public void PersonDetect_ParsesTensorsAndOperators()
    {
        var m = TfliteModel.Parse(File.ReadAllBytes(TestPaths.RefModel("tflm_person_detect_int8")));
        Assert.Equal(3, m.Version);
        Assert.Single(m.Inputs);
        var input = m.Tensors[m.Inputs[0]];
        Assert.Equal(new[] { 1, 96, 96, 1 }, input.Shape);
        Assert.Equal(TensorType.Int8, input.Type);
        Assert.Equal(-1, input.ZeroPoint);
        Assert.Equal(0.00784313772f, input.Scale!.Value, 6);
        var first = m.Operators[0];
        Assert.Equal((int)BuiltinOperator.DepthwiseConv2D, first.BuiltinCode);
        var dw = Assert.IsType<DepthwiseConv2DOptions>(first.Options);
        Assert.Equal(8, dw.DepthMultiplier);
        var filter = m.Tensors[first.Inputs[1]];
        Assert.NotNull(filter.Data);
        Assert.Equal(filter.ElementCount, filter.Data!.Length);
        Assert.Equal(filter.Shape[3], filter.Quantization!.Scales.Length);
        Assert.Equal(3, filter.Quantization.QuantizedDimension);
        Assert.Contains(m.Operators, o => o.BuiltinCode == (int)BuiltinOperator.Softmax && o.Options is SoftmaxOptions { Beta: 1f });
    }

    [Fact]
    public void DuplicatedAndUnusedOpcodes_AreTolerated()
    {
        var m = TfliteModel.Parse(TfliteBuilder.TwoOpModel((int)BuiltinOperator.AveragePool2D));
        Assert.Equal(4, m.OperatorCodes.Count);
        Assert.Equal(22, m.OperatorCodes[1].BuiltinCode); // max(deprecated 22, builtin 0)
        Assert.Equal(22, m.OperatorCodes[2].BuiltinCode);
        Assert.Equal((int)BuiltinOperator.Reshape, m.Operators[0].BuiltinCode);
        Assert.Equal(new[] { 1, 4, 4, 1 }, Assert.IsType<ReshapeOptions>(m.Operators[0].Options).NewShape);
        Assert.Equal(2, Assert.IsType<Pool2DOptions>(m.Operators[1].Options).FilterWidth);
    }

    [Fact]
    public void WrongIdentifier_Throws()
    {
        var tb = TfliteBuilder.TwoOpModel(1);
        tb[4] = (byte)'X';
        var e = Assert.Throws<TfliteFormatException>(() => TfliteModel.Parse(tb));
        Assert.Contains("TFL3", e.Message);
    }

    [Fact]
    public void TooShort_Throws()
    {
        Assert.Throws<TfliteFormatException>(() => TfliteModel.Parse([]));
        Assert.Throws<TfliteFormatException>(() => TfliteModel.Parse([1, 2, 3]));
    }

    [Fact]
    public void Truncated_Throws()
    {
        var data = File.ReadAllBytes(TestPaths.RefModel("tflm_person_detect_int8"));
        foreach (int len in new[] { 8, 16, 100, 1000, data.Length / 2, data.Length - 1000 })
        {
            Assert.Throws<TfliteFormatException>(() => TfliteModel.Parse(data[..len]));
        }
    }

    [Fact]
    public void RandomBytes_Throw()
    {
        var rng = new Random(1234);
        for (int i = 0; i < 200; i++)
        {
            var data = new byte[rng.Next(8, 4096)];
            rng.NextBytes(data);
            if (i % 2 == 0)
            {
                "TFL3"u8.CopyTo(data.AsSpan(4));
            }
            Assert.Throws<TfliteFormatException>(() => TfliteModel.Parse(data));
        }
    }

    [Fact]
    public void CorruptedBytes_NeverEscapeAsOtherExceptions()
    {
        var good = TfliteBuilder.TwoOpModel((int)BuiltinOperator.AveragePool2D);
        var rng = new Random(99);
        for (int i = 0; i < 3000; i++)
        {
            var data = (byte[])good.Clone();
            int flips = rng.Next(1, 4);
            for (int k = 0; k < flips; k++)
            {
                data[rng.Next(data.Length)] = (byte)rng.Next(256);
            }
            try
            {
                var m = TfliteModel.Parse(data);
                // a parsed model must also pack or be rejected cleanly
                try
                {
                    Packer.PackTflite(data, new PackOptions());
                }
                catch (UnsupportedModelException)
                {
                }
            }
            catch (TfliteFormatException)
            {
            }
        }
    }
}
