namespace Nanonet.Packing;

/// <summary>
/// Finds, for one output channel, the shortest multiplier that requantises every reachable
/// accumulator to exactly the same int8 output as TFLM's 31-bit multiplier.
/// </summary>
/// <remarks>
/// y(acc) = clamp(MBQM(acc, m, shift) + zp_out, act_min, act_max) is monotone non-decreasing in acc
/// (SRDHM and the rounding right shift both are, for m &gt;= 0, while acc &lt;&lt; shift does not wrap).
/// Two monotone step functions on [lo, hi] agree everywhere iff, for every level k in (act_min, act_max],
/// the smallest acc with y &gt;= k is the same. We compute those thresholds t_k for TFLM's m by binary
/// search; a candidate m' has the same thresholds iff y'(t_k - 1) &lt; k (when t_k &gt; lo) and
/// y'(t_k) &gt;= k (when t_k &lt;= hi), for every k.
/// </remarks>
public static class MultiplierMinimizer
{
    /// <summary>The result for one channel.</summary>
    /// <param name="Bits">Significant bits needed (0 when the multiplier is 0, 31 = TFLM's exact value).</param>
    /// <param name="Multiplier">The chosen multiplier m' = v &lt;&lt; (31 - Bits), or 0.</param>
    public readonly record struct Result(int Bits, int Multiplier);

    /// <summary>Requantised and clamped output as the engine computes it.</summary>
    public static int Output(long acc, int multiplier, int shift, int outputZeroPoint, int actMin, int actMax)
    {
        int y = TflmMath.MultiplyByQuantizedMultiplier((int)acc, multiplier, shift) + outputZeroPoint;
        return Math.Clamp(y, actMin, actMax);
    }

    /// <summary>
    /// Smallest-width multiplier equivalent to <paramref name="multiplier"/> on the accumulator range
    /// [<paramref name="accMin"/>, <paramref name="accMax"/>].
    /// </summary>
    public static Result Minimize(int multiplier, int shift, long accMin, long accMax,
        int outputZeroPoint, int actMin, int actMax)
    {
        if (multiplier == 0)
        {
            return new Result(0, 0);
        }
        if (accMin > accMax || accMin < int.MinValue || accMax > int.MaxValue)
        {
            return new Result(31, multiplier);
        }
        if (shift > 0)
        {
            // The left shift must not wrap, or y is not monotone: then keep the exact value.
            long limit = (long)int.MaxValue >> shift;
            if (accMax > limit || accMin < -limit - 1)
            {
                return new Result(31, multiplier);
            }
        }

        int levels = actMax - actMin;
        if (levels <= 0)
        {
            return new Result(1, 1 << 30); // constant output: any multiplier works
        }
        var thresholds = new long[levels];
        long searchLo = accMin;
        for (int i = 0; i < levels; i++)
        {
            int k = actMin + 1 + i;
            // smallest acc in [searchLo, accMax] with y >= k, or accMax + 1 (thresholds are non-decreasing)
            long lo = searchLo, hi = accMax + 1;
            while (lo < hi)
            {
                long mid = lo + ((hi - lo) >> 1);
                if (Output(mid, multiplier, shift, outputZeroPoint, actMin, actMax) >= k)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }
            thresholds[i] = lo;
            searchLo = lo;
        }

        Span<long> candidates = stackalloc long[3];
        for (int bits = 1; bits < 31; bits++)
        {
            long step = 1L << (31 - bits);
            long v0 = (long)Math.Round((double)multiplier / step, MidpointRounding.AwayFromZero);
            candidates[0] = v0;
            candidates[1] = v0 - 1;
            candidates[2] = v0 + 1;
            foreach (long v in candidates)
            {
                long m = v * step;
                if (m < 1L << 30 || m >= 1L << 31)
                {
                    continue;
                }
                if (SameThresholds((int)m, shift, accMin, accMax, outputZeroPoint, actMin, actMax, thresholds))
                {
                    return new Result(bits, (int)m);
                }
            }
        }
        return new Result(31, multiplier);
    }

    private static bool SameThresholds(int m, int shift, long accMin, long accMax, int zp, int actMin, int actMax,
        long[] thresholds)
    {
        for (int i = 0; i < thresholds.Length; i++)
        {
            int k = actMin + 1 + i;
            long t = thresholds[i];
            if (t > accMin && Output(t - 1, m, shift, zp, actMin, actMax) >= k)
            {
                return false;
            }
            if (t <= accMax && Output(t, m, shift, zp, actMin, actMax) < k)
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>Encodes and decodes the bit-packed channel quantisation block of nn_format.h.</summary>
public static class QuantBlock
{
    /// <summary>NN_QUANT_PACKED.</summary>
    public const byte EncodingPacked = 1;

    /// <summary>Header bytes before the bit stream.</summary>
    public const int HeaderSize = 12;

    /// <summary>Smallest two's-complement width holding every value (0 when all are zero).</summary>
    public static int SignedBits(IEnumerable<int> values)
    {
        int bits = 0;
        foreach (int v in values)
        {
            if (v == 0)
            {
                continue;
            }
            uint mag = v < 0 ? (uint)~v : (uint)v;
            int b = 32 - System.Numerics.BitOperations.LeadingZeroCount(mag) + 1;
            bits = Math.Max(bits, b);
        }
        return bits;
    }

    /// <summary>Bits of an unsigned value (0 for 0).</summary>
    public static int UnsignedBits(long v) => v == 0 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)v);

    /// <summary>
    /// Writes a block. <paramref name="multipliers"/> must be 0 or in [2^30, 2^31) with at most
    /// <paramref name="multBits"/> significant bits; shifts of zero-multiplier channels are ignored
    /// (stored as the base).
    /// </summary>
    public static byte[] Encode(int[] bias, int[] multipliers, int[] shifts, int multBits)
    {
        int n = bias.Length;
        if (multipliers.Length != n || shifts.Length != n)
        {
            throw new ArgumentException("bias, multiplier and shift arrays differ in length");
        }
        if (n > 0xFFFF)
        {
            throw new ArgumentException("too many channels");
        }
        if (multBits < 1 || multBits > 31)
        {
            throw new ArgumentOutOfRangeException(nameof(multBits));
        }
        int biasBits = SignedBits(bias);
        var live = Enumerable.Range(0, n).Where(i => multipliers[i] != 0).Select(i => shifts[i]).ToArray();
        int shiftBase = live.Length > 0 ? live.Min() : 0;
        int shiftBits = live.Length > 0 ? UnsignedBits(live.Max() - shiftBase) : 0;
        if (shiftBits > 6)
        {
            throw new ArgumentException("shift range needs more than 6 bits");
        }
        int recordBits = biasBits + multBits + shiftBits;
        var block = new byte[HeaderSize + (int)((n * (long)recordBits + 7) / 8)];
        block[0] = EncodingPacked;
        block[1] = (byte)biasBits;
        block[2] = (byte)multBits;
        block[3] = (byte)shiftBits;
        block[4] = (byte)(sbyte)shiftBase;
        block[8] = (byte)n;
        block[9] = (byte)(n >> 8);
        long bit = 0;
        for (int c = 0; c < n; c++)
        {
            Put(block, ref bit, (ulong)(uint)bias[c], biasBits);
            int m = multipliers[c];
            if (m != 0 && (m < 1 << 30 || (m & ((1 << (31 - multBits)) - 1)) != 0))
            {
                throw new ArgumentException($"channel {c}: multiplier {m} not representable in {multBits} bits");
            }
            Put(block, ref bit, (ulong)(m >> (31 - multBits)), multBits);
            Put(block, ref bit, (ulong)(m == 0 ? 0 : shifts[c] - shiftBase), shiftBits);
        }
        return block;
    }

    private static void Put(byte[] block, ref long bit, ulong value, int bits)
    {
        for (int i = 0; i < bits; i++, bit++)
        {
            if (((value >> i) & 1) != 0)
            {
                block[HeaderSize + (bit >> 3)] |= (byte)(1 << (int)(bit & 7));
            }
        }
    }

    /// <summary>Decodes a block starting at <paramref name="offset"/> of <paramref name="blob"/>.</summary>
    /// <exception cref="NnbFormatException">The block is malformed or runs past the blob.</exception>
    public static NnbChannelQuant Decode(ReadOnlySpan<byte> blob, int offset)
    {
        if (offset < 0 || offset + HeaderSize > blob.Length)
        {
            throw new NnbFormatException($"quant block at {offset} runs past the end of the blob");
        }
        var h = blob.Slice(offset);
        if (h[0] != EncodingPacked)
        {
            throw new NnbFormatException($"quant block at {offset}: unknown encoding {h[0]}");
        }
        int biasBits = h[1], multBits = h[2], shiftBits = h[3];
        int shiftBase = (sbyte)h[4];
        int n = h[8] | (h[9] << 8);
        if (biasBits > 32 || multBits < 1 || multBits > 31 || shiftBits > 6)
        {
            throw new NnbFormatException($"quant block at {offset}: invalid bit widths {biasBits}/{multBits}/{shiftBits}");
        }
        int recordBits = biasBits + multBits + shiftBits;
        int size = HeaderSize + (int)((n * (long)recordBits + 7) / 8);
        if (offset + size > blob.Length)
        {
            throw new NnbFormatException($"quant block at {offset}: {size} bytes run past the end of the blob");
        }
        var s = h.Slice(HeaderSize);
        var bias = new int[n];
        var mult = new int[n];
        var shift = new int[n];
        long bit = 0;
        for (int c = 0; c < n; c++)
        {
            ulong b = Get(s, ref bit, biasBits);
            bias[c] = biasBits == 0 ? 0 : (int)((long)(b << (64 - biasBits)) >> (64 - biasBits));
            mult[c] = (int)(Get(s, ref bit, multBits) << (31 - multBits));
            shift[c] = shiftBase + (int)Get(s, ref bit, shiftBits);
            if (mult[c] != 0 && mult[c] < 1 << 30)
            {
                throw new NnbFormatException($"quant block at {offset}: channel {c} multiplier {mult[c]} below 2^30");
            }
            if (shift[c] < -31 || shift[c] > 30)
            {
                throw new NnbFormatException($"quant block at {offset}: channel {c} shift {shift[c]} outside [-31, 30]");
            }
        }
        return new NnbChannelQuant(biasBits, multBits, shiftBits, shiftBase, bias, mult, shift, size);
    }

    private static ulong Get(ReadOnlySpan<byte> s, ref long bit, int bits)
    {
        ulong v = 0;
        for (int i = 0; i < bits; i++, bit++)
        {
            if ((s[(int)(bit >> 3)] >> (int)(bit & 7) & 1) != 0)
            {
                v |= 1UL << i;
            }
        }
        return v;
    }
}
