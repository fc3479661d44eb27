namespace Nanonet.Quantization;

/// <summary>How the real range of an activation tensor is chosen from the calibration data.</summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen (TFLite converter's default).</summary>
    MinMax,

    /// <summary>The low and high percentiles of the values seen (outliers clipped).</summary>
    Percentile,

    /// <summary>The range, shrunk from min/max, that minimises the expected squared quantisation error (clipping plus rounding).</summary>
    Mse,
}

/// <summary>Affine int8 parameters of a tensor: real = Scale * (q - ZeroPoint).</summary>
/// <param name="Scale">Scale.</param>
/// <param name="ZeroPoint">Zero point, -128..127.</param>
public readonly record struct QuantParams(float Scale, int ZeroPoint)
{
    /// <summary>
    /// TFLite converter's asymmetric int8 parameters for a real range (GetAsymmetricQuantizationParams):
    /// the range is widened to include 0, scale = (max - min) / 255 in float32, zero point =
    /// round(-128 - min / scale) (half away from zero) clamped to -128..127. An empty range [0, 0] gets scale 1/255.
    /// </summary>
    /// <param name="min">Smallest real value to represent.</param>
    /// <param name="max">Largest real value to represent.</param>
    /// <returns>The parameters.</returns>
    public static QuantParams FromRange(float min, float max)
    {
        if (!float.IsFinite(min) || !float.IsFinite(max) || min > max)
        {
            throw new ArgumentException($"invalid range [{min}, {max}]");
        }
        min = MathF.Min(min, 0f);
        max = MathF.Max(max, 0f);
        const float qmin = -128f, qmax = 127f;
        float scale = (max - min) / (qmax - qmin);
        if (!(scale > 0f))
        {
            return new QuantParams(1f / 255f, -128);
        }
        float zpFromMin = qmin - min / scale;
        int zp = zpFromMin < qmin ? -128 : zpFromMin > qmax ? 127 : (int)MathF.Round(zpFromMin, MidpointRounding.AwayFromZero);
        return new QuantParams(scale, zp);
    }

    /// <summary>The real value of an int8 code.</summary>
    /// <param name="q">The code.</param>
    /// <returns>Scale * (q - ZeroPoint).</returns>
    public float Dequantize(int q) => Scale * (q - ZeroPoint);
}

/// <summary>
/// Statistics of one activation tensor over the calibration set: min and max (first pass) and, for the
/// percentile and mse methods, a histogram of <see cref="Bins"/> bins over [min(min, 0), max(max, 0)] (second pass).
/// </summary>
public sealed class TensorStatistics
{
    /// <summary>Bins of the histogram.</summary>
    public const int Bins = 2048;

    private long[]? _histogram;
    private float _hLo;
    private float _hWidth;

    /// <summary>Smallest value seen.</summary>
    public float Min { get; private set; } = float.PositiveInfinity;

    /// <summary>Largest value seen.</summary>
    public float Max { get; private set; } = float.NegativeInfinity;

    /// <summary>Number of values seen by the first pass.</summary>
    public long Count { get; private set; }

    /// <summary>First pass: extends min and max.</summary>
    /// <param name="values">Values of the tensor for one sample.</param>
    public void Observe(ReadOnlySpan<float> values)
    {
        float lo = Min, hi = Max;
        foreach (float v in values)
        {
            if (v < lo)
            {
                lo = v;
            }
            if (v > hi)
            {
                hi = v;
            }
        }
        Min = lo;
        Max = hi;
        Count += values.Length;
    }

    /// <summary>Second pass: adds values to the histogram spanning the first pass's range widened to include 0.</summary>
    /// <param name="values">Values of the tensor for one sample.</param>
    public void Accumulate(ReadOnlySpan<float> values)
    {
        if (_histogram is null)
        {
            if (Count == 0)
            {
                throw new InvalidOperationException("Observe every sample before accumulating the histogram");
            }
            _hLo = MathF.Min(Min, 0f);
            float hi = MathF.Max(Max, 0f);
            _hWidth = (hi - _hLo) / Bins;
            _histogram = new long[Bins];
        }
        var h = _histogram;
        if (!(_hWidth > 0f))
        {
            h[0] += values.Length;
            return;
        }
        float inv = 1f / _hWidth;
        foreach (float v in values)
        {
            int b = (int)((v - _hLo) * inv);
            h[b < 0 ? 0 : b >= Bins ? Bins - 1 : b]++;
        }
    }

    /// <summary>Whether the histogram pass has run.</summary>
    public bool HasHistogram => _histogram is not null;

    /// <summary>The real range to quantise for a method (before the widening to include 0).</summary>
    /// <param name="method">The method.</param>
    /// <param name="percentile">For <see cref="CalibrationMethod.Percentile"/>: the upper percentile (e.g. 99.99); the lower is 100 - it.</param>
    /// <returns>The range.</returns>
    public (float Min, float Max) Range(CalibrationMethod method, double percentile = 99.99)
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("no values observed");
        }
        if (method == CalibrationMethod.MinMax)
        {
            return (Min, Max);
        }
        if (_histogram is null)
        {
            throw new InvalidOperationException($"the {method} method needs the histogram pass");
        }
        if (!(_hWidth > 0f))
        {
            return (Min, Max);
        }
        return method == CalibrationMethod.Percentile ? PercentileRange(percentile) : MseRange();
    }

    private float Edge(int bin) => _hLo + bin * _hWidth;

    private (float, float) PercentileRange(double percentile)
    {
        if (!(percentile > 50 && percentile <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "percentile must be in (50, 100]");
        }
        var h = _histogram!;
        long total = h.Sum();
        double lowTarget = total * (100 - percentile) / 100.0;
        double highTarget = total * percentile / 100.0;
        float lo = Min, hi = Max;
        long cum = 0;
        bool loSet = false;
        for (int b = 0; b < Bins; b++)
        {
            long next = cum + h[b];
            if (!loSet && next > lowTarget)
            {
                double frac = h[b] == 0 ? 0 : (lowTarget - cum) / h[b];
                lo = (float)(Edge(b) + frac * _hWidth);
                loSet = true;
            }
            if (next >= highTarget)
            {
                double frac = h[b] == 0 ? 1 : (highTarget - cum) / h[b];
                hi = (float)(Edge(b) + frac * _hWidth);
                break;
            }
            cum = next;
        }
        return (Math.Max(lo, Min), Math.Min(hi, Max));
    }

    /// <summary>Expected squared error of quantising the histogram's values to [a, b] with 256 levels.</summary>
    private double Error(float a, float b)
    {
        var h = _histogram!;
        var p = QuantParams.FromRange(a, b);
        double s = p.Scale;
        double lo = p.Dequantize(-128), hi = p.Dequantize(127);
        double rounding = s * s / 12.0;
        double err = 0;
        for (int bin = 0; bin < Bins; bin++)
        {
            long c = h[bin];
            if (c == 0)
            {
                continue;
            }
            double x = Edge(bin) + 0.5 * _hWidth;
            if (x < lo)
            {
                err += c * (lo - x) * (lo - x);
            }
            else if (x > hi)
            {
                err += c * (x - hi) * (x - hi);
            }
            else
            {
                err += c * rounding;
            }
        }
        return err;
    }

    private (float, float) MseRange()
    {
        float bestA = Min, bestB = Max;
        double best = Error(Min, Max);
        for (int k = 99; k >= 10; k--)
        {
            float t = k / 100f;
            float a = Min * t, b = Max * t;
            double e = Error(a, b);
            if (e < best)
            {
                best = e;
                bestA = a;
                bestB = b;
            }
        }
        return (bestA, bestB);
    }
}
