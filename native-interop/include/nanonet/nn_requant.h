/*
 * nn_requant.h - TFLM's integer requantisation primitives (gemmlowp semantics).
 *
 * These are static inline so every kernel gets them without a call; they are the single
 * place where the rounding rules of ../shared/docs/BRIEF.md live.
 */
#ifndef NANONET_NN_REQUANT_H
#define NANONET_NN_REQUANT_H

#include <stdint.h>

/*
 * SaturatingRoundingDoublingHighMul: a * b / 2^31 rounded to nearest, computed as
 * (a*b + nudge) / 2^31 truncating toward zero with nudge = 2^30 (product >= 0) or 1 - 2^30;
 * so ties round toward +infinity (+0.5 -> 1, -0.5 -> 0), as gemmlowp does.
 * The only overflow, INT32_MIN * INT32_MIN, saturates to INT32_MAX.
 * |a * b| <= 2^62 fits int64; adding the nudge cannot overflow.
 */
static inline int32_t nn_srdhm(int32_t a, int32_t b)
{
    if (a == INT32_MIN && b == INT32_MIN) {
        return INT32_MAX;
    }
    {
        const int64_t ab = (int64_t)a * (int64_t)b;
        const int64_t nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
        const int64_t q = (ab + nudge) / ((int64_t)1 << 31); /* C99 division truncates toward zero */
        return (int32_t)q;
    }
}

/* RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero. 0 <= exponent <= 31. */
static inline int32_t nn_rounding_divide_by_pot(int32_t x, int32_t exponent)
{
    const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    /* Arithmetic right shift of a negative value is implementation-defined in C99; every
     * compiler we target (gcc, clang, xtensa-gcc) shifts arithmetically, as TFLM assumes. */
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/*
 * MultiplyByQuantizedMultiplier, TFLM's default double-rounding form:
 * x' = x * 2^max(shift, 0); y = SRDHM(x', m); then rounding divide by 2^max(-shift, 0).
 * TFLM computes x * (1 << left_shift) in int32; we do the same multiplication modulo 2^32
 * (through uint32) so that values TFLM would wrap give the same bits here without undefined
 * behaviour. Accumulators of real models are far below 2^31 / 2^left_shift.
 */
static inline int32_t nn_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift)
{
    const int32_t left_shift = shift > 0 ? shift : 0;
    const int32_t right_shift = shift > 0 ? 0 : -shift;
    const int32_t shifted = (int32_t)((uint32_t)x << left_shift);
    return nn_rounding_divide_by_pot(nn_srdhm(shifted, multiplier), right_shift);
}

#endif
