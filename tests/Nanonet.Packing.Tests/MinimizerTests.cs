namespace Nanonet.Packing.Tests;

public class MinimizerTests
{
    /// <summary>
    /// Independent check of the equivalence proof: random channels, every accumulator of a sampled +
    /// boundary set of the reachable range gives the same output with m' as with TFLM's m.
    /// </summary>
    [Fact]
    public void ReducedMultiplier_GivesIdenticalOutputs()
    {
        var rng = new Random(20240601);
        int reduced = 0;
        for (int iter = 0; iter < 400; iter++)
        {
            int taps = rng.Next(1, 600);
            var w = new int[taps];
            for (int i = 0; i < taps; i++)
            {
                w[i] = rng.Next(-127, 128);
            }
            int zpIn = rng.Next(-128, 128);
            int zpOut = rng.Next(-128, 128);
            float sIn = (float)(rng.NextDouble() * 0.1 + 1e-4);
            float sW = (float)(rng.NextDouble() * 0.05 + 1e-5);
            float sOut = (float)(rng.NextDouble() * 0.5 + 1e-3);
            var (m, shift) = TflmMath.QuantizeMultiplier((double)sIn * sW / sOut);
            int bias = rng.Next(-100000, 100000);
            var act = rng.Next(3) switch
            {
                0 => (-128, 127),
                1 => (Math.Max(-128, zpOut), 127),
                _ => TflmMath.ActivationRange(Nanonet.Tflite.ActivationFunction.Relu6, sOut, zpOut),
            };
            long lo = bias, hi = bias;
            foreach (int wi in w)
            {
                long a = (long)wi * (-128 - zpIn), b = (long)wi * (127 - zpIn);
                lo += Math.Min(a, b);
                hi += Math.Max(a, b);
            }
            var r = MultiplierMinimizer.Minimize(m, shift, lo, hi, zpOut, act.Item1, act.Item2);
            Assert.InRange(r.Bits, 0, 31);
            if (m != 0)
            {
                Assert.InRange(r.Multiplier, 1 << 30, int.MaxValue);
                Assert.Equal(0, r.Multiplier & ((1 << (31 - r.Bits)) - 1));
            }
            if (r.Bits < 31)
            {
                reduced++;
            }

            int Y(long acc, int mm) => Math.Clamp(TflmMath.MultiplyByQuantizedMultiplier((int)acc, mm, shift) + zpOut, act.Item1, act.Item2);
            void Check(long acc)
            {
                if (acc < lo || acc > hi)
                {
                    return;
                }
                Assert.True(Y(acc, m) == Y(acc, r.Multiplier), $"iter {iter}: acc {acc} m {m} m' {r.Multiplier} shift {shift}");
            }
            // boundaries
            for (int d = 0; d < 64; d++)
            {
                Check(lo + d);
                Check(hi - d);
                Check(bias + d - 32);
            }
            // random points of the range
            for (int k = 0; k < 3000; k++)
            {
                Check(rng.NextInt64(lo, hi + 1));
            }
            // accumulators of actual random inputs, and neighbourhoods of every output step
            for (int k = 0; k < 200; k++)
            {
                long acc = bias;
                foreach (int wi in w)
                {
                    acc += (long)wi * (rng.Next(-128, 128) - zpIn);
                }
                Check(acc);
            }
            // every step edge of TFLM's function (found by scanning a window around outputs' transitions)
            long step = Math.Max(1, (hi - lo) / 2000);
            for (long a = lo; a <= hi; a += step)
            {
                if (Y(a, m) != Y(Math.Min(a + step, hi), m))
                {
                    // binary search the exact edge, check both sides
                    long x = a, z = Math.Min(a + step, hi);
                    int ya = Y(a, m);
                    while (z - x > 1)
                    {
                        long mid = (x + z) / 2;
                        if (Y(mid, m) == ya) x = mid; else z = mid;
                    }
                    Check(x);
                    Check(z);
                }
            }
        }
        Assert.True(reduced > 300, $"only {reduced} of 400 channels were reduced");
    }

    [Fact]
    public void ZeroMultiplier_NeedsNoBits()
    {
        Assert.Equal(new MultiplierMinimizer.Result(0, 0), MultiplierMinimizer.Minimize(0, 0, -1000, 1000, 0, -128, 127));
    }

    [Fact]
    public void SmallRange_NeedsFewBits()
    {
        // acc in [-10, 10], m = 0.7 -> outputs -7..7: a short multiplier suffices
        var (m, s) = TflmMath.QuantizeMultiplier(0.7);
        var r = MultiplierMinimizer.Minimize(m, s, -10, 10, 0, -128, 127);
        Assert.True(r.Bits < 10, $"{r.Bits} bits");
        for (int acc = -10; acc <= 10; acc++)
        {
            Assert.Equal(TflmMath.MultiplyByQuantizedMultiplier(acc, m, s), TflmMath.MultiplyByQuantizedMultiplier(acc, r.Multiplier, s));
        }
    }
}
