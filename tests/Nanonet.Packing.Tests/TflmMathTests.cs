using Nanonet.Tflite;

namespace Nanonet.Packing.Tests;

public class TflmMathTests
{
    [Theory]
    [InlineData(0.5, 1073741824, 0)]
    [InlineData(1.0, 1073741824, 1)]
    [InlineData(0.75, 1610612736, 0)]
    [InlineData(3.0, 1610612736, 2)]
    [InlineData(0.1, 1717986918, -3)]          // 0.8 * 2^31 = 1717986918.4 -> 1717986918
    [InlineData(0.0, 0, 0)]
    public void QuantizeMultiplier_HandValues(double d, int m, int shift)
    {
        Assert.Equal((m, shift), TflmMath.QuantizeMultiplier(d));
    }

    [Fact]
    public void QuantizeMultiplier_TieRoundsAwayFromZero()
    {
        // q * 2^31 = 2^30 + 0.5 exactly
        double d = 0.5 + Math.Pow(2, -32);
        Assert.Equal((1073741825, 0), TflmMath.QuantizeMultiplier(d));
        // q * 2^31 = 2^30 + 1.5 -> 2^30 + 2
        Assert.Equal((1073741826, -2), TflmMath.QuantizeMultiplier((0.5 + 3 * Math.Pow(2, -32)) / 4));
    }

    [Fact]
    public void QuantizeMultiplier_RoundingUpTo2Pow31_Renormalises()
    {
        // q = 1 - 2^-33: q * 2^31 = 2^31 - 0.25 rounds to 2^31 -> (2^30, shift + 1)
        Assert.Equal((1 << 30, 1), TflmMath.QuantizeMultiplier(1 - Math.Pow(2, -33)));
        Assert.Equal((1 << 30, -4), TflmMath.QuantizeMultiplier((1 - Math.Pow(2, -33)) / 32));
    }

    [Fact]
    public void QuantizeMultiplier_TinyValuesGiveZero()
    {
        Assert.Equal((1 << 30, -31), TflmMath.QuantizeMultiplier(Math.Pow(2, -32)));
        Assert.Equal((0, 0), TflmMath.QuantizeMultiplier(Math.Pow(2, -33)));
        Assert.Equal((0, 0), TflmMath.QuantizeMultiplier(1e-20));
        Assert.Equal((0, 0), TflmMath.QuantizeMultiplier(double.Epsilon));
    }

    [Theory]
    [InlineData(96, 3, 2, 1, 48, 0)]   // BRIEF: 3x3 stride 2 on 96 -> pad_top 0
    [InlineData(96, 3, 1, 1, 96, 1)]
    [InlineData(96, 1, 1, 1, 96, 0)]
    [InlineData(7, 5, 2, 1, 4, 2)]
    [InlineData(10, 3, 1, 2, 10, 2)]   // dilation 2: effective 5
    [InlineData(97, 3, 2, 1, 49, 1)]
    public void SamePadding(int input, int k, int stride, int dilation, int output, int before)
    {
        Assert.Equal(output, TflmMath.OutputSize(Padding.Same, input, k, stride, dilation));
        Assert.Equal(before, TflmMath.PaddingBefore(Padding.Same, input, k, stride, dilation));
    }

    [Fact]
    public void ValidPadding()
    {
        Assert.Equal(47, TflmMath.OutputSize(Padding.Valid, 96, 3, 2, 1));
        Assert.Equal(0, TflmMath.PaddingBefore(Padding.Valid, 96, 3, 2, 1));
    }

    [Fact]
    public void Relu6_UsesFloatDivision()
    {
        // 6f / 0.8f is 7.5 in float32 (7.4999999 in double): round half away gives 8, double math would give 7.
        Assert.Equal((0, 8), TflmMath.ActivationRange(ActivationFunction.Relu6, 0.8f, 0));
        Assert.Equal((-10, 110), TflmMath.ActivationRange(ActivationFunction.Relu6, 0.05f, -10));
        Assert.Equal((-128, 127), TflmMath.ActivationRange(ActivationFunction.Relu6, 6f / 255f, -128));
        Assert.Equal((5, 127), TflmMath.ActivationRange(ActivationFunction.Relu6, 0.04f, 5));
        Assert.Equal((-128, 127), TflmMath.ActivationRange(ActivationFunction.None, 0.04f, 5));
        Assert.Equal((5, 127), TflmMath.ActivationRange(ActivationFunction.Relu, 0.04f, 5));
        Assert.Equal((-20, 30), TflmMath.ActivationRange(ActivationFunction.ReluN1To1, 0.04f, 5));
    }

    [Fact]
    public void MultiplyByQuantizedMultiplier_HandValues()
    {
        // 0.5: x/2 rounded half away
        Assert.Equal(2, TflmMath.MultiplyByQuantizedMultiplier(3, 1 << 30, 0));
        // gemmlowp nudges negatives by 1 - 2^30: -1.5 truncates to -1
        Assert.Equal(-1, TflmMath.MultiplyByQuantizedMultiplier(-3, 1 << 30, 0));
        Assert.Equal(-2, TflmMath.MultiplyByQuantizedMultiplier(-6, 1 << 30, -1)); // -3 / 2 rounded away: -1.5 -> -2
        Assert.Equal(25, TflmMath.MultiplyByQuantizedMultiplier(100, 1 << 30, -1));
        Assert.Equal(400, TflmMath.MultiplyByQuantizedMultiplier(100, 1 << 30, 3));
        Assert.Equal(int.MaxValue, TflmMath.Srdhm(int.MinValue, int.MinValue));
    }

    [Fact]
    public void Softmax_Parameters()
    {
        // beta 1, input scale 1/16: real = 2^26/16 = 2^22 -> (2^30, 23); radius = floor(31 * 2^26 / 2^23) = 248
        var (m, s) = TflmMath.PreprocessSoftmaxScaling(1.0, 1.0 / 16, 5);
        Assert.Equal((1 << 30, 23), (m, s));
        Assert.Equal(248, TflmMath.CalculateInputRadius(5, s));
    }
}
