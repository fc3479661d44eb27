/*
 * test_requant.c - nn_requant.h (SRDHM, RoundingDivideByPOT, MultiplyByQuantizedMultiplier)
 * against the independent int64 formulation of support/naive_reference.c, plus hand-worked
 * values that pin the rounding rules (ties, double rounding, saturation, wrap).
 */
#include "nanonet/nn_requant.h"
#include "naive_reference.h"
#include "nn_test.h"

static int32_t rand_s32(uint32_t *st)
{
    return (int32_t)nn_test_rand(st);
}

static int32_t rand_multiplier(uint32_t *st)
{
    /* 0 sometimes, 2^30 (a tie generator) sometimes, otherwise uniform in [2^30, 2^31). */
    const uint32_t k = nn_test_rand(st) % 16u;
    if (k == 0) {
        return 0;
    }
    if (k == 1) {
        return (int32_t)1 << 30;
    }
    return (int32_t)((1u << 30) | (nn_test_rand(st) & 0x3FFFFFFFu));
}

static void test_srdhm_known_values(void)
{
    const int32_t half = (int32_t)1 << 30; /* 0.5 in Q0.31 */
    NN_CHECK_EQ_INT(nn_srdhm(1, half), 1);   /* 0.5 -> 1 */
    NN_CHECK_EQ_INT(nn_srdhm(-1, half), 0);  /* -0.5 -> 0 (ties toward +inf) */
    NN_CHECK_EQ_INT(nn_srdhm(3, half), 2);   /* 1.5 -> 2 */
    NN_CHECK_EQ_INT(nn_srdhm(-3, half), -1); /* -1.5 -> -1 */
    NN_CHECK_EQ_INT(nn_srdhm(100, half), 50);
    NN_CHECK_EQ_INT(nn_srdhm(INT32_MIN, INT32_MIN), INT32_MAX);
    NN_CHECK_EQ_INT(nn_srdhm(INT32_MIN, INT32_MAX), -INT32_MAX);
    NN_CHECK_EQ_INT(nn_srdhm(INT32_MAX, INT32_MAX), INT32_MAX - 1);
    NN_CHECK_EQ_INT(nn_srdhm(12345, 0), 0);
}

static void test_srdhm_random(void)
{
    uint32_t st = 0x1234567u;
    long ties_before = nnref_tie_count;
    int i;
    for (i = 0; i < 200000; ++i) {
        int32_t a = rand_s32(&st);
        int32_t b = (i & 3) == 0 ? rand_multiplier(&st) : rand_s32(&st);
        if (i % 7 == 0) {
            a = nn_test_rand_range(&st, -1000, 1000); /* small values hit ties with b = 2^30 */
        }
        if (i % 1000 == 0) {
            a = INT32_MIN;
        }
        NN_CHECK_EQ_INT(nn_srdhm(a, b), nnref_srdhm(a, b));
        if (nn_test_case_failed) {
            printf("  a=%ld b=%ld\n", (long)a, (long)b);
            return;
        }
    }
    NN_CHECK(nnref_tie_count - ties_before > 100); /* the tie path really was exercised */
}

static void test_rounding_divide_known_values(void)
{
    NN_CHECK_EQ_INT(nn_rounding_divide_by_pot(1, 1), 1);   /* 0.5 -> 1 */
    NN_CHECK_EQ_INT(nn_rounding_divide_by_pot(-1, 1), -1); /* -0.5 -> -1 (away from zero) */
    NN_CHECK_EQ_INT(nn_rounding_divide_by_pot(3, 1), 2);
    NN_CHECK_EQ_INT(nn_rounding_divide_by_pot(-3, 1), -2);
    NN_CHECK_EQ_INT(nn_rounding_divide_by_pot(5, 2), 1);   /* 1.25 */
    NN_CHECK_EQ_INT(nn_rounding_divide_by_pot(6, 2), 2);   /* 1.5 */
    NN_CHECK_EQ_INT(nn_rounding_divide_by_pot(-6, 2), -2); /* -1.5 */
    NN_CHECK_EQ_INT(nn_rounding_divide_by_pot(-5, 2), -1); /* -1.25 */
    NN_CHECK_EQ_INT(nn_rounding_divide_by_pot(-7, 2), -2); /* -1.75 */
    NN_CHECK_EQ_INT(nn_rounding_divide_by_pot(123, 0), 123);
    NN_CHECK_EQ_INT(nn_rounding_divide_by_pot(INT32_MIN, 31), -1);
    NN_CHECK_EQ_INT(nn_rounding_divide_by_pot(INT32_MAX, 31), 1);
    NN_CHECK_EQ_INT(nn_rounding_divide_by_pot((int32_t)1 << 30, 31), 1);       /* exactly 0.5 */
    NN_CHECK_EQ_INT(nn_rounding_divide_by_pot(-((int32_t)1 << 30), 31), -1);   /* exactly -0.5 */
    NN_CHECK_EQ_INT(nn_rounding_divide_by_pot(((int32_t)1 << 30) - 1, 31), 0);
}

static void test_rounding_divide_random(void)
{
    uint32_t st = 0xBEEFu;
    int i;
    for (i = 0; i < 200000; ++i) {
        const int e = (int)(nn_test_rand(&st) % 32u);
        int32_t x = rand_s32(&st);
        if (i % 3 == 0 && e > 0) {
            /* construct an exact tie: odd multiple of 2^(e-1) */
            x = nnref_wrap32(((int64_t)nn_test_rand_range(&st, -20000, 20000) * 2 + 1) * ((int64_t)1 << (e - 1)));
        }
        NN_CHECK_EQ_INT(nn_rounding_divide_by_pot(x, e), nnref_rounding_divide_by_pot(x, e));
        if (nn_test_case_failed) {
            printf("  x=%ld e=%d\n", (long)x, e);
            return;
        }
    }
}

static void test_mbqm_known_values(void)
{
    const int32_t half = (int32_t)1 << 30;
    /* Double rounding: 1 * 0.5 / 2 = 0.25 exactly, but SRDHM gives 1 (0.5 up) and the
     * rounding shift gives 1 again (0.5 away); single rounding would give 0. */
    NN_CHECK_EQ_INT(nn_multiply_by_quantized_multiplier(1, half, -1), 1);
    NN_CHECK_EQ_INT(nn_multiply_by_quantized_multiplier(-1, half, -1), 0);
    NN_CHECK_EQ_INT(nn_multiply_by_quantized_multiplier(1000, 0, -5), 0);
    NN_CHECK_EQ_INT(nn_multiply_by_quantized_multiplier(3, half, 1), 3);    /* 3 * 0.5 * 2 */
    NN_CHECK_EQ_INT(nn_multiply_by_quantized_multiplier(-7, half, 2), -14);
    NN_CHECK_EQ_INT(nn_multiply_by_quantized_multiplier(1 << 20, half, -31), 0);
    /* left shift wraps in int32 as TFLM's x * (1 << s) does in practice */
    NN_CHECK_EQ_INT(nn_multiply_by_quantized_multiplier((int32_t)1 << 30, half, 2), 0);
}

static void test_mbqm_random(void)
{
    uint32_t st = 0xC0FFEEu;
    long ties_before = nnref_tie_count;
    long checked = 0;
    int i;
    for (i = 0; i < 300000; ++i) {
        const int32_t m = rand_multiplier(&st);
        int32_t shift;
        int32_t x;
        const uint32_t kind = nn_test_rand(&st) % 4u;
        if (kind == 0) { /* right shifts, full-range accumulators */
            shift = nn_test_rand_range(&st, -31, 0);
            x = rand_s32(&st);
        } else if (kind == 1) { /* realistic conv requant: acc up to 2^24, shift -12 .. -1 */
            shift = nn_test_rand_range(&st, -12, -1);
            x = nn_test_rand_range(&st, -(1 << 24), 1 << 24);
        } else if (kind == 2) { /* left shifts without wrap */
            shift = nn_test_rand_range(&st, 1, 30);
            x = nn_test_rand_range(&st, -(int32_t)((1u << 31) >> shift), (int32_t)(((1u << 31) >> shift) - 1u));
        } else { /* left shifts that wrap, small values that tie */
            shift = nn_test_rand_range(&st, -3, 30);
            x = (i & 1) ? rand_s32(&st) : nn_test_rand_range(&st, -64, 64);
        }
        NN_CHECK_EQ_INT(nn_multiply_by_quantized_multiplier(x, m, shift), nnref_requant(x, m, shift));
        checked++;
        if (nn_test_case_failed) {
            printf("  x=%ld m=%ld shift=%ld\n", (long)x, (long)m, (long)shift);
            return;
        }
    }
    NN_CHECK(checked == 300000);
    NN_CHECK(nnref_tie_count - ties_before > 1000);
}

static void test_reference_quantize_multiplier(void)
{
    /* The tests' host-side helper, pinned on values worked by hand. */
    int32_t m, s;
    nnref_quantize_multiplier(1.0, &m, &s);
    NN_CHECK_EQ_INT(m, (int32_t)1 << 30);
    NN_CHECK_EQ_INT(s, 1);
    nnref_quantize_multiplier(0.75, &m, &s);
    NN_CHECK_EQ_INT(m, 1610612736);
    NN_CHECK_EQ_INT(s, 0);
    nnref_quantize_multiplier(0.0, &m, &s);
    NN_CHECK_EQ_INT(m, 0);
    nnref_quantize_multiplier(1.0 - 1.0 / 4294967296.0 / 4.0, &m, &s); /* rounds up to 2^31 */
    NN_CHECK_EQ_INT(m, (int32_t)1 << 30);
    NN_CHECK_EQ_INT(s, 1);
    nnref_quantize_multiplier(1.0 / 4294967296.0 / 2.0, &m, &s); /* 2^-33: shift -32 -> (0, 0) */
    NN_CHECK_EQ_INT(m, 0);
    NN_CHECK_EQ_INT(s, 0);
}

int main(void)
{
    NN_RUN(test_srdhm_known_values);
    NN_RUN(test_srdhm_random);
    NN_RUN(test_rounding_divide_known_values);
    NN_RUN(test_rounding_divide_random);
    NN_RUN(test_mbqm_known_values);
    NN_RUN(test_mbqm_random);
    NN_RUN(test_reference_quantize_multiplier);
    return nn_test_finish();
}
