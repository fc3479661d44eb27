/*
 * nn_softmax_s8.c - SOFTMAX over the last dimension, int8 in, int8 out with scale 1/256 and
 * zero point -128 (TFLM reference_ops::Softmax<int8_t, int8_t>, bit for bit), integer only:
 * gemmlowp's fixed-point exp_on_negative_values and one_over_one_plus_x_for_x_in_0_1.
 *
 * HOST-SIDE PARAMETERS (TFLM CalculateSoftmaxParams for int8 input, kScaledDiffIntegerBits = 5):
 *   real = min((double)beta * (double)input_scale * 2^(31 - 5), 2^31 - 1.0)
 *     (PreprocessSoftmaxScaling; beta from SoftmaxOptions, default 1.0; the 2^31 - 1 cap is the
 *      double-rounding build's)
 *   (input_multiplier, input_left_shift) = QuantizeMultiplierGreaterThanOne(real)
 *     (= QuantizeMultiplier(real); the shift is >= 0 for every real > 1)
 *   diff_min = -CalculateInputRadius(5, input_left_shift)
 *            = -floor((2^5 - 1) * 2^(31 - 5) / 2^input_left_shift)     (computed in double)
 *   Output scale 1/256 and zero point -128 are implied (TFLM requires them for int8 output).
 *
 * Per row (depth values x[c]), with max = the row maximum and d[c] = x[c] - max <= 0:
 *  - rows entries with d < diff_min are ignored and output -128;
 *  - z = SRDHM(d * 2^input_left_shift, input_multiplier) is a Q5.26 value in [-32, 0]
 *    (MultiplyByQuantizedMultiplierGreaterThanOne);
 *  - e = exp_on_negative_values(z) in Q0.31; sum_of_exps (Q12.19) += RoundingDivideByPOT(e, 12);
 *  - GetReciprocal: k = CountLeadingZeros(sum); num_bits_over_unit = 12 - k;
 *    r = one_over_one_plus_x_for_x_in_0_1((sum << k) - 2^31)   (Q0.31, 1/(sum scaled to [1,2)));
 *  - out = clamp(RoundingDivideByPOT(SRDHM(r, e), num_bits_over_unit + 31 - 8) - 128, -128, 127).
 *
 * Constraints (checked by the model reader, relied on here):
 *  - outer_size >= 0, 1 <= depth <= 511. Each exp contributes at most 2^19 (exp(0) rounds to
 *    exactly 2^19) to the Q12.19 sum, so sum < 512 * 2^19 = 2^28, num_bits_over_unit <= 8 and
 *    the final shift stays <= 31 (TFLM TFLITE_CHECKs this and aborts otherwise). Rows whose
 *    sum of exps reaches 512 (only possible with depth >= 512) are outside TFLM's domain; here
 *    they do not invoke undefined behaviour (unsigned sum; a shift above 31 yields 0) but the
 *    result is unspecified;
 *  - input_multiplier in [2^30, 2^31), 0 <= input_left_shift <= 31 and diff_min as above, so
 *    |d| * 2^input_left_shift <= 31 * 2^26 < 2^31 for every d >= diff_min (no overflow).
 */
#include "nanonet/nn_kernels.h"
#include "nanonet/nn_requant.h"
#include "nn_kernel_util.h"

/* gemmlowp's fixed-point constants (raw Q0.31 or Q2.29 values). */
#define NN_FP_EXP_MINUS_1_8 1895147668      /* exp(-1/8), Q0.31 */
#define NN_FP_ONE_THIRD 715827883           /* 1/3, Q0.31 */
#define NN_FP_48_OVER_17 1515870810         /* 48/17, Q2.29 */
#define NN_FP_NEG_32_OVER_17 (-1010580540)  /* -32/17, Q2.29 */

/* Plain int32 addition with two's complement wrap (gemmlowp's Add; never wraps here). */
static int32_t fp_add(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* SaturatingRoundingMultiplyByPOT with a positive exponent: saturating left shift. */
static int32_t fp_sat_shl(int32_t x, int32_t exponent)
{
    const int32_t threshold = (int32_t)(((int32_t)1 << (31 - exponent)) - 1);
    if (x > threshold) {
        return INT32_MAX;
    }
    if (x < -threshold) {
        return INT32_MIN;
    }
    return (int32_t)((uint32_t)x << exponent);
}

/* RoundingHalfSum: (a + b) / 2 rounded half away from zero, in 64 bits. */
static int32_t fp_rounding_half_sum(int32_t a, int32_t b)
{
    const int64_t sum = (int64_t)a + (int64_t)b;
    const int64_t sign = sum >= 0 ? 1 : -1;
    return (int32_t)((sum + sign) / 2);
}

/* exp(a) for a in [-1/4, 0), Q0.31 in and out: Taylor expansion around -1/8. */
static int32_t fp_exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a)
{
    const int32_t x = fp_add(a, (int32_t)1 << 28); /* a + 1/8 */
    const int32_t x2 = nn_srdhm(x, x);
    const int32_t x3 = nn_srdhm(x2, x);
    const int32_t x4 = nn_srdhm(x2, x2);
    const int32_t x4_over_4 = nn_rounding_divide_by_pot(x4, 2);
    const int32_t poly = nn_rounding_divide_by_pot(
        fp_add(nn_srdhm(fp_add(x4_over_4, x3), NN_FP_ONE_THIRD), x2), 1);
    return fp_add(NN_FP_EXP_MINUS_1_8, nn_srdhm(NN_FP_EXP_MINUS_1_8, fp_add(x, poly)));
}

/* exp(a) for a <= 0 given in Q5.26; result Q0.31 (gemmlowp exp_on_negative_values<5>). */
static int32_t fp_exp_on_negative_values_q5(int32_t a)
{
    static const int32_t barrel[7] = {
        1672461947, /* exp(-1/4) */
        1302514674, /* exp(-1/2) */
        790015084,  /* exp(-1) */
        290630308,  /* exp(-2) */
        39332535,   /* exp(-4) */
        720401,     /* exp(-8) */
        242         /* exp(-16) */
    };
    const int32_t frac_bits = 26;
    const int32_t one_quarter = (int32_t)1 << (frac_bits - 2);
    const int32_t mask = one_quarter - 1;
    const int32_t a_mod_quarter_minus_one_quarter = (a & mask) - one_quarter;
    /* Rescale Q5.26 -> Q0.31: saturating multiply by 2^5 (the value is in [-1/4, 0)). */
    int32_t result = fp_exp_on_interval_between_negative_one_quarter_and_0_excl(
        fp_sat_shl(a_mod_quarter_minus_one_quarter, 5));
    const int32_t remainder = a_mod_quarter_minus_one_quarter - a; /* in [0, 2^31) as a <= 0 */
    int32_t k;
    for (k = 0; k < 7; ++k) { /* exponents -2 .. +4: bit frac_bits + exponent of remainder */
        if (remainder & ((int32_t)1 << (frac_bits - 2 + k))) {
            result = nn_srdhm(result, barrel[k]);
        }
    }
    /* No clamp below -32: with 5 integer bits the input cannot be below -32. */
    if (a == 0) {
        result = INT32_MAX; /* FixedPoint<int32, 0>::One() */
    }
    return result;
}

/* 1 / (1 + a) for a in [0, 1), Q0.31 in and out: Newton-Raphson, three iterations. */
static int32_t fp_one_over_one_plus_x_for_x_in_0_1(int32_t a)
{
    const int32_t half_denominator = fp_rounding_half_sum(a, INT32_MAX); /* Q0.31 */
    const int32_t one_q2 = (int32_t)1 << 29;                              /* 1.0 in Q2.29 */
    int32_t x = fp_add(NN_FP_48_OVER_17, nn_srdhm(half_denominator, NN_FP_NEG_32_OVER_17)); /* Q2.29 */
    int i;
    for (i = 0; i < 3; ++i) {
        const int32_t half_denominator_times_x = nn_srdhm(half_denominator, x);        /* Q2.29 */
        const int32_t one_minus = one_q2 - half_denominator_times_x;                  /* Q2.29 */
        x = fp_add(x, fp_sat_shl(nn_srdhm(x, one_minus), 2)); /* Q4.27 product rescaled to Q2.29 */
    }
    /* x / 2 as Q1.30 rescaled to Q0.31: saturating shift left by 1. */
    return fp_sat_shl(x, 1);
}

/* x * 2^shift as TFLM's x * (1 << shift), without signed-shift undefined behaviour
 * (|x| * 2^shift < 2^31 by the diff_min constraint, or x == 0). */
static int32_t shl_s32(int32_t x, int32_t shift)
{
    return (int32_t)((uint32_t)x << shift);
}

static int32_t count_leading_zeros_u32(uint32_t v)
{
    int32_t n = 0;
    if (v == 0u) {
        return 32;
    }
    while (!(v & 0x80000000u)) {
        v <<= 1;
        ++n;
    }
    return n;
}

void nn_softmax_s8(const nn_softmax_params *params, int32_t outer_size, int32_t depth,
                   const int8_t *input, int8_t *output)
{
    const int32_t multiplier = params->input_multiplier;
    const int32_t left_shift = params->input_left_shift;
    const int32_t diff_min = params->diff_min;
    int32_t row, c;

    for (row = 0; row < outer_size; ++row) {
        const int8_t *x = input + (size_t)row * depth;
        int8_t *y = output + (size_t)row * depth;
        int32_t max_in_row = -128;
        uint32_t sum_of_exps = 0; /* Q12.19; < 2^31 by the depth constraint */
        int32_t headroom_plus_one, num_bits_over_unit, reciprocal, exponent;

        for (c = 0; c < depth; ++c) {
            if (x[c] > max_in_row) {
                max_in_row = x[c];
            }
        }
        for (c = 0; c < depth; ++c) {
            const int32_t diff = (int32_t)x[c] - max_in_row;
            if (diff >= diff_min) {
                const int32_t scaled = nn_srdhm(shl_s32(diff, left_shift), multiplier);
                const int32_t e = fp_exp_on_negative_values_q5(scaled);
                /* Rescale Q0.31 -> Q12.19: rounding divide by 2^12. */
                sum_of_exps += (uint32_t)nn_rounding_divide_by_pot(e, 12);
            }
        }

        /* GetReciprocal(sum, 12): sum >= 2^19 (the maximum contributes exp(0)), so k <= 12. */
        headroom_plus_one = count_leading_zeros_u32(sum_of_exps);
        num_bits_over_unit = 12 - headroom_plus_one;
        reciprocal = fp_one_over_one_plus_x_for_x_in_0_1(
            (int32_t)((sum_of_exps << headroom_plus_one) - 0x80000000u));
        exponent = num_bits_over_unit + 31 - 8; /* in [23, 31] under the depth constraint */

        for (c = 0; c < depth; ++c) {
            const int32_t diff = (int32_t)x[c] - max_in_row;
            if (diff >= diff_min) {
                const int32_t scaled = nn_srdhm(shl_s32(diff, left_shift), multiplier);
                const int32_t e = fp_exp_on_negative_values_q5(scaled);
                const int32_t prod = nn_srdhm(reciprocal, e); /* >= 0, < 2^31 */
                const int32_t unsat = exponent <= 31 ? nn_rounding_divide_by_pot(prod, exponent) : 0;
                y[c] = (int8_t)nn_clamp_s32(unsat - 128, -128, 127);
            } else {
                y[c] = -128;
            }
        }
    }
}
