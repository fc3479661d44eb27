namespace Nanonet.Packing;

/// <summary>
/// Host-side re-implementation of the TFLite Micro int8 parameter arithmetic (quantisation utilities,
/// activation ranges, padding) and of the integer requantisation the engine performs. Results are
/// bit-identical to TFLM's reference kernels (see ../shared/docs/BRIEF.md).
/// </summary>
public static class TflmMath
{
    /// <summary>
    /// TFLM's QuantizeMultiplier: splits <paramref name="d"/> into a Q0.31 significand and a power-of-two
    /// exponent (positive = left shift). frexp, round half away from zero, 2^31 becomes 2^30 with shift + 1,
    /// shift below -31 gives (0, 0); zero gives (0, 0).
    /// </summary>
    /// <param name="d">The real multiplier (non-negative).</param>
    public static (int Multiplier, int Shift) QuantizeMultiplier(double d)
    {
        if (d == 0.0)
        {
            return (0, 0);
        }
        if (double.IsNaN(d) || double.IsInfinity(d) || d < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(d), d, "multiplier must be finite and non-negative");
        }
        (double q, int shift) = Frexp(d);
        long qFixed = (long)Math.Round(q * 2147483648.0, MidpointRounding.AwayFromZero);
        if (qFixed == 1L << 31)
        {
            qFixed /= 2;
            shift++;
        }
        if (shift < -31)
        {
            return (0, 0);
        }
        return ((int)qFixed, shift);
    }

    /// <summary>C's frexp: d = q * 2^e with 0.5 &lt;= |q| &lt; 1 (exact, handles subnormals).</summary>
    public static (double Fraction, int Exponent) Frexp(double d)
    {
        if (d == 0.0 || double.IsNaN(d) || double.IsInfinity(d))
        {
            return (d, 0);
        }
        int e = Math.ILogB(d) + 1;
        double q = Math.ScaleB(d, -e);
        return (q, e);
    }

    /// <summary>TFLM's QuantizeMultiplierSmallerThanOneExp: requires 0 &lt; d &lt; 1; the shift is &lt;= 0.</summary>
    /// <param name="d">The real multiplier.</param>
    public static (int Multiplier, int Shift) QuantizeMultiplierSmallerThanOneExp(double d)
    {
        if (!(d > 0.0 && d < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(d), d, "multiplier must lie in (0, 1)");
        }
        var r = QuantizeMultiplier(d);
        if (r.Shift > 0)
        {
            throw new ArgumentOutOfRangeException(nameof(d), d, "shift would be positive");
        }
        return r;
    }

    /// <summary>gemmlowp's SaturatingRoundingDoublingHighMul.</summary>
    public static int Srdhm(int a, int b)
    {
        if (a == int.MinValue && b == int.MinValue)
        {
            return int.MaxValue;
        }
        long ab = (long)a * b;
        long nudge = ab >= 0 ? 1L << 30 : 1 - (1L << 30);
        return (int)((ab + nudge) / (1L << 31));
    }

    /// <summary>gemmlowp's RoundingDivideByPOT (ties away from zero), 0 &lt;= exponent &lt;= 31.</summary>
    public static int RoundingDivideByPot(int x, int exponent)
    {
        int mask = (int)((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /// <summary>
    /// TFLM's default (double-rounding) MultiplyByQuantizedMultiplier. The left shift wraps modulo 2^32
    /// as the engine's C code does.
    /// </summary>
    public static int MultiplyByQuantizedMultiplier(int x, int multiplier, int shift)
    {
        int left = shift > 0 ? shift : 0;
        int right = shift > 0 ? 0 : -shift;
        int shifted = (int)((uint)x << left);
        return RoundingDivideByPot(Srdhm(shifted, multiplier), right);
    }

    /// <summary>
    /// TFLM's CalculateActivationRangeQuantized for an int8 output: RELU [max(-128, zp), 127];
    /// RELU6 [max(-128, zp), min(127, zp + round(6f / scale))]; RELU_N1_TO_1 likewise with -1 and 1;
    /// NONE [-128, 127]. Divisions are float32, rounding half away from zero.
    /// </summary>
    /// <param name="activation">The fused activation.</param>
    /// <param name="scale">Output scale.</param>
    /// <param name="zeroPoint">Output zero point.</param>
    public static (int Min, int Max) ActivationRange(Nanonet.Tflite.ActivationFunction activation, float scale, int zeroPoint)
    {
        const int qmin = -128, qmax = 127;
        int Q(float f)
        {
            float tmp = MathF.Round(f / scale, MidpointRounding.AwayFromZero);
            if (!(tmp >= int.MinValue && tmp <= int.MaxValue))
            {
                throw new OverflowException($"activation bound {f} / {scale} overflows int32");
            }
            return zeroPoint + (int)tmp;
        }
        return activation switch
        {
            Nanonet.Tflite.ActivationFunction.None => (qmin, qmax),
            Nanonet.Tflite.ActivationFunction.Relu => (Math.Max(qmin, Q(0f)), qmax),
            Nanonet.Tflite.ActivationFunction.Relu6 => (Math.Max(qmin, Q(0f)), Math.Min(qmax, Q(6f))),
            Nanonet.Tflite.ActivationFunction.ReluN1To1 => (Math.Max(qmin, Q(-1f)), Math.Min(qmax, Q(1f))),
            _ => throw new NotSupportedException($"activation {activation}"),
        };
    }

    /// <summary>TFLite's output size for SAME/VALID padding with dilation.</summary>
    public static int OutputSize(Nanonet.Tflite.Padding padding, int input, int filter, int stride, int dilation)
    {
        int effective = (filter - 1) * dilation + 1;
        return padding == Nanonet.Tflite.Padding.Same
            ? (input + stride - 1) / stride
            : (input + stride - effective) / stride;
    }

    /// <summary>
    /// TFLite's padding before the input (top or left) for SAME/VALID: total = max((out-1)*stride + eff - in, 0),
    /// before = total / 2 (the odd extra goes after). VALID gives 0.
    /// </summary>
    public static int PaddingBefore(Nanonet.Tflite.Padding padding, int input, int filter, int stride, int dilation)
    {
        int effective = (filter - 1) * dilation + 1;
        int output = OutputSize(padding, input, filter, stride, dilation);
        int total = Math.Max((output - 1) * stride + effective - input, 0);
        return total / 2;
    }

    /// <summary>TFLM's PreprocessSoftmaxScaling then QuantizeMultiplierGreaterThanOne.</summary>
    public static (int Multiplier, int LeftShift) PreprocessSoftmaxScaling(double beta, double inputScale, int inputIntegerBits)
    {
        double max = (1L << 31) - 1.0;
        double real = Math.Min(beta * inputScale * (1 << (31 - inputIntegerBits)), max);
        if (!(real > 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), "softmax beta * input_scale too small");
        }
        var r = QuantizeMultiplier(real);
        if (r.Shift < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(beta), "softmax left shift negative");
        }
        return r;
    }

    /// <summary>TFLM's CalculateInputRadius with 31 total signed bits.</summary>
    public static int CalculateInputRadius(int inputIntegerBits, int inputLeftShift)
    {
        double maxInputRescaled = 1.0 * ((1 << inputIntegerBits) - 1) * (1L << (31 - inputIntegerBits)) / (1L << inputLeftShift);
        return (int)Math.Floor(maxInputRescaled);
    }
}
