/*
 * nn_fast_util.h - helpers shared by the fast kernels (private).
 */
#ifndef NANONET_NN_FAST_UTIL_H
#define NANONET_NN_FAST_UTIL_H

#include <stdint.h>

#include "nanonet/nn_requant.h"
#include "../nn_kernel_util.h"

/*
 * Channels whose requantisation parameters live on the stack at once (36 B each: 1.7 KiB at 48).
 * A multiple of 3 (the pointwise block) and of 16 (vector lanes) suits x86 best; a board build
 * short of stack may define a smaller value (at least 16).
 */
#ifndef NN_FAST_CHUNK
#define NN_FAST_CHUNK 48
#endif
typedef char nn_fast_chunk_at_least_16[NN_FAST_CHUNK >= 16 ? 1 : -1];

/*
 * Unroll the next loop by 2 (halves the loop overhead where x86-64 has no registers for a larger
 * register block); gcc applies it after vectorisation, to whichever loop remains. C99 _Pragma;
 * other compilers get nothing.
 */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define NN_UNROLL2 _Pragma("GCC unroll 2")
#else
#define NN_UNROLL2
#endif

/*
 * a + b modulo 2^32. The fast kernels split an accumulator into sum(w*x) and
 * (bias + input_offset*sum(w)); each part fits int32 on its own, and so does their sum (it is
 * the reference accumulator, bounded by the model reader), but adding in another order than the
 * reference could pass through a value outside int32 in a pathological model. Wrapping
 * arithmetic gives the exact result whenever the true sum fits, without undefined behaviour.
 */
static inline int32_t nn_add_wrap(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

/*
 * nn_multiply_by_quantized_multiplier, the same double rounding in fewer operations, for
 * multiplier 0 or in [2^30, 2^31) (the kernels' contract; never INT32_MIN, so SRDHM cannot
 * saturate):
 *  - SRDHM: (ab + nudge) / 2^31 truncated toward zero equals floor((ab + 2^30) / 2^31) for both
 *    signs of ab (for ab < 0, truncation is ceil: ceil((ab + 1 - 2^30) / 2^31)
 *    = floor((ab + 1 - 2^30 + 2^31 - 1) / 2^31)); the floor is an arithmetic shift.
 *  - RoundingDivideByPOT(q, e), ties away from zero: floor((q + 2^(e-1) - [q < 0]) / 2^e) for
 *    e >= 1, computed in int64 so the addition cannot overflow; e = 0 leaves q as it is.
 * Right shifts of negative values are arithmetic on every compiler we target (as nn_requant.h).
 * test_kernels_fast.c checks it against the reference over random and extreme arguments.
 */
static inline int32_t nn_requant_fast(int32_t x, int32_t multiplier, int32_t shift)
{
    const int32_t left = shift > 0 ? shift : 0;
    const int32_t right = shift > 0 ? 0 : -shift;
    const int64_t ab = (int64_t)(int32_t)((uint32_t)x << left) * multiplier;
    const int64_t q = (ab + ((int64_t)1 << 30)) >> 31;
    const int64_t half = ((int64_t)1 << right) >> 1; /* 2^(e-1), or 0 for e = 0 */
    /* q >> 63 is -1 for q < 0 and 0 otherwise; with e = 0 the sum is floored back to q. */
    const int64_t round = right > 0 ? half + (q >> 63) : 0;
    return (int32_t)((q + round) >> right);
}

/*
 * The same requantisation with the per-channel parts precomputed once per op call and channel
 * chunk (nn_rq_prepare). With t = ab + 2^30 (ab = (x << left) * multiplier) and e = right shift,
 * nn_requant_fast computes q = floor(t / 2^31), then floor((q + h) / 2^e) with
 * h = 2^(e-1) - [q < 0] for e > 0 and h = 0 for e = 0. Nested floor divisions by powers of
 * two compose, and q + h = floor((t + h * 2^31) / 2^31) for integer h, so the result is
 * floor((t + h * 2^31) / 2^(31 + e)) = (ab + add) >> (31 + e), where add = 2^30 + h * 2^31 and
 * q < 0 exactly when t < 0, i.e. ab < -2^30: add = add_pos, plus neg_delta = -2^31 (e > 0) or 0
 * (e = 0) when t < 0, selected without a branch by the sign mask t >> 63.
 * |ab| < 2^62 and |add| < 2^61, so nothing overflows int64.
 */
typedef struct nn_rq_chunk {
    int32_t cst[NN_FAST_CHUNK];     /* folded bias + input_offset * sum(w), where used */
    int64_t mult[NN_FAST_CHUNK];    /* int64: one multiply with a memory operand */
    int32_t left[NN_FAST_CHUNK];
    int32_t shift[NN_FAST_CHUNK];   /* 31 + right shift */
    int64_t add_pos[NN_FAST_CHUNK];   /* 2^(e-1) * 2^31, added to t */
    int64_t neg_delta[NN_FAST_CHUNK]; /* added too when ab < -2^30 */
    int64_t base[NN_FAST_CHUNK];      /* cst * multiplier + 2^30 (nn_rq_fold) */
    int32_t any_left;                 /* some channel has a left shift */
} nn_rq_chunk;

static inline void nn_rq_prepare(nn_rq_chunk *r, const int32_t *multiplier, const int32_t *shift, int32_t n)
{
    int32_t j, any = 0; /* a local: the stores through r could alias multiplier and shift */
    for (j = 0; j < n; ++j) {
        const int32_t sh = shift[j];
        const int32_t right = sh > 0 ? 0 : -sh;
        any |= sh > 0;
        r->mult[j] = multiplier[j];
        r->left[j] = sh > 0 ? sh : 0;
        r->shift[j] = 31 + right;
        /* 2^(right - 1) * 2^31 */
        r->add_pos[j] = right > 0 ? (int64_t)1 << (right + 30) : 0;
        r->neg_delta[j] = right > 0 ? -((int64_t)1 << 31) : 0;
    }
    r->any_left = any;
}

/*
 * After cst[0 .. n) is set: base = cst * multiplier + 2^30, so that channels without a left shift
 * compute t = acc * multiplier + base = (acc + cst) * multiplier + 2^30 in one multiply-add.
 * Exact in int64: acc + cst is the reference accumulator (it fits int32, model reader bound), so
 * |t| < 2^62 + 2^30, and the partial sums stay below 2^63.
 */
static inline void nn_rq_fold(nn_rq_chunk *r, int32_t n)
{
    int32_t j;
    for (j = 0; j < n; ++j) {
        r->base[j] = (int64_t)r->cst[j] * r->mult[j] + ((int64_t)1 << 30);
    }
}

/* clamp for lo <= hi, in the order that lets gcc emit two compare-and-moves without copies */
static inline int32_t nn_fast_clamp(int32_t v, int32_t lo, int32_t hi)
{
    v = v > hi ? hi : v;
    return v < lo ? lo : v;
}

/* Requantise acc for channel j of the chunk, add the output offset and clamp. */
static inline int8_t nn_rq_out(const nn_rq_chunk *r, int32_t j, int32_t acc, int32_t output_offset,
                               int32_t act_min, int32_t act_max)
{
    const int64_t ab = (int64_t)(int32_t)((uint32_t)acc << r->left[j]) * r->mult[j];
    const int64_t t = ab + ((int64_t)1 << 30);
    const int64_t add = r->add_pos[j] + ((t >> 63) & r->neg_delta[j]);
    const int32_t v = (int32_t)((t + add) >> r->shift[j]) + output_offset;
    return (int8_t)nn_fast_clamp(v, act_min, act_max);
}

/* nn_rq_out of acc + cst[j] for a channel without left shift (shift <= 0); needs nn_rq_fold. */
static inline int8_t nn_rq_out_noleft(const nn_rq_chunk *r, int32_t j, int32_t acc, int32_t output_offset,
                                      int32_t act_min, int32_t act_max)
{
    const int64_t t = (int64_t)acc * r->mult[j] + r->base[j];
    const int64_t add = r->add_pos[j] + ((t >> 63) & r->neg_delta[j]);
    const int32_t v = (int32_t)((t + add) >> r->shift[j]) + output_offset;
    return (int8_t)nn_fast_clamp(v, act_min, act_max);
}

/* y[j] = requantised acc[j] + cst[j] for the chunk's channels j < n (branch on shifts hoisted);
 * cst must be set and folded (nn_rq_fold). */
static inline void nn_rq_store(const nn_rq_chunk *r, const int32_t *acc, int32_t n, int8_t *y,
                               int32_t output_offset, int32_t act_min, int32_t act_max)
{
    int32_t j;
    if (r->any_left) {
        for (j = 0; j < n; ++j) {
            y[j] = nn_rq_out(r, j, nn_add_wrap(acc[j], r->cst[j]), output_offset, act_min, act_max);
        }
    } else {
        NN_UNROLL2
        for (j = 0; j < n; ++j) {
            y[j] = nn_rq_out_noleft(r, j, acc[j], output_offset, act_min, act_max);
        }
    }
}

static inline int8_t nn_requant_clamp(int32_t acc, int32_t multiplier, int32_t shift, int32_t output_offset,
                                      int32_t act_min, int32_t act_max)
{
    const int32_t v = nn_requant_fast(acc, multiplier, shift) + output_offset;
    return (int8_t)nn_clamp_s32(v, act_min, act_max);
}

/*
 * Output positions [*lo, *hi) along one axis whose whole window lies inside the input
 * (interior); outputs outside that range touch padding. The range may be empty.
 */
static inline void nn_interior_range(int32_t out_size, int32_t stride, int32_t pad, int32_t dilation,
                                     int32_t kernel, int32_t in_size, int32_t *lo, int32_t *hi)
{
    const int32_t span = (kernel - 1) * dilation; /* window covers [o*stride - pad, ... + span] */
    int32_t l = (pad + stride - 1) / stride;      /* first o with o*stride - pad >= 0 */
    int32_t h;
    if (in_size - 1 - span + pad < 0) {
        h = 0;
    } else {
        h = (in_size - 1 - span + pad) / stride + 1; /* one past the last o with end <= in_size-1 */
    }
    if (h > out_size) {
        h = out_size;
    }
    if (l > h) {
        l = h;
    }
    *lo = l;
    *hi = h;
}

#endif
