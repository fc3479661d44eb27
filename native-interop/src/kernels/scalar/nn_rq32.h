/*
 * nn_rq32.h - TFLM's double-rounding requantisation in 32-bit arithmetic only (private to the
 * scalar kernels).
 *
 * nn_multiply_by_quantized_multiplier (nn_requant.h) needs the high half of a 32 x 32-bit
 * product. A core without a high-half multiply (the lx106; the LX7 has one but gcc only uses it
 * for 64-bit arithmetic) turns that into a 64-bit library call of 40-60 instructions. Here the
 * same result comes from four 16 x 16 -> 32 products, each exact in 32 bits.
 *
 * For a multiplier m = 0 or in [2^30, 2^31) (the kernels' contract) and any int32 x:
 *   X = x << left (modulo 2^32, as TFLM), q = SRDHM(X, m) = floor((X*m + 2^30) / 2^31)
 *   (nn_fast_util.h shows that SRDHM's truncated nudge equals this floor for both signs),
 *   y = RoundingDivideByPOT(q, e).
 * Split X = 2^16 xh + xl (xh = X >> 16 in [-2^15, 2^15), xl in [0, 2^16)) and
 * m = 2^16 mh + ml (mh in [0, 2^15), ml in [0, 2^16)). Then
 *   X*m = 2^32 A + 2^16 (B + C) + D,  A = xh*mh, B = xh*ml, C = xl*mh, D = xl*ml, with
 *   |A| < 2^30, B in [-2^15 (2^16-1), (2^15-1)(2^16-1)], C in [0, (2^16-1)(2^15-1)], D < 2^32.
 * floor((X*m + 2^30) / 2^16) = 2^16 A + B + C + floor(D / 2^16) + 2^14 (2^30 is a multiple of
 * 2^16), so q = 2A + floor((B + U) / 2^15) with U = C + (D >> 16) + 2^14 <= 2^31 - 2^14 - 1.
 * B + U may leave int32; split B = 2^15 (B >> 15) + (B & 0x7FFF):
 *   q = 2A + (B >> 15) + (((B & 0x7FFF) + U) >> 15), where 0 <= (B & 0x7FFF) + U < 2^32 - 2^30
 *   (computed in uint32; it can exceed 2^31 by a little).
 * Every step is exact; |q| <= |X|, so q fits int32.
 * RoundingDivideByPOT(q, e), ties away from zero, as the reference writes it:
 *   (q >> e) + [ (q & mask) > (mask >> 1) + [q < 0] ],  mask = 2^e - 1;
 * both sides of the comparison lie in [0, 2^31), so it is the sign of their difference.
 * test_kernels_fast.c (test_rq32_equals_reference) holds it equal to
 * nn_multiply_by_quantized_multiplier exhaustively over x in [-2^21, 2^21] for a set of edge and
 * random multipliers and 32 shifts, and on random and extreme arguments over the whole int32
 * range and every shift (1.09 G arguments were checked once, outside CI, with none differing).
 */
#ifndef NANONET_NN_RQ32_H
#define NANONET_NN_RQ32_H

#include <stddef.h>
#include <stdint.h>

/* Inlined even at -Os: out of line, each output would pay a call (about 1 M instructions a
 * vww_96 inference on the lx106 at -Os). */
#if defined(__GNUC__)
#define NN_RQ32_INLINE static inline __attribute__((always_inline))
#else
#define NN_RQ32_INLINE static inline
#endif

/*
 * A shortcut for small accumulators. With no left shift, 1 <= e <= 15 or e = 0, and
 * |X| < 2^15: X*ml < 2^31 and X*mh < 2^30 fit int32, and
 *   floor((X*m + 2^30) / 2^16) = X*mh + floor(X*ml / 2^16) + 2^14 =: T, so q = floor(T / 2^15);
 * nested floors compose, so y = floor((q + h) / 2^e) = floor((T + 2^15 h) / 2^(15+e)) with
 * h = 2^(e-1) - [q < 0] and q < 0 exactly when T < 0:
 *   y = (T + 2^(14+e) - [T < 0] 2^15) >> (15 + e)   (e >= 1),   y = T >> 15   (e = 0).
 * |T| < 2^30 + 2^15 and 2^(14+e) <= 2^29, so the sum fits int32. Two multiplies instead of
 * four, and no separate rounding step.
 */
/* Per-channel constants, prepared once per kernel call (nn_rq32_prepare). */
typedef struct nn_rq32 {
    int32_t mh;     /* m >> 16, in [0, 2^15) */
    int32_t ml;     /* m & 0xFFFF */
    int32_t left;   /* max(shift, 0) */
    int32_t e;      /* max(-shift, 0) */
    int32_t mask;   /* 2^e - 1 */
    int32_t thr;    /* mask >> 1 */
    int32_t k;      /* shortcut: 2^(14+e) for 1 <= e <= 15 and no left shift, else 0 */
    int32_t neg;    /* shortcut: 2^15 for e >= 1, else 0 */
    int32_t s;      /* shortcut: 15 + e */
    int32_t lim;    /* 2^16 when the shortcut applies to this channel (no left shift, e <= 15), else 0 */
    int32_t kk;     /* 2^14 + k (nn_rq32_out_relu) */
} nn_rq32;

/*
 * The shortcut constants alone (mh, ml, s, lim, k, kk: what the shortcut loops read), for a loop
 * that prepares a channel for each short row (depthwise rows of 6 or 3 outputs) and for the
 * pointwise kernel's per-chunk constants: the rest of nn_rq32_prepare is for outputs the shortcut
 * does not serve. nn_rq32_prepare starts from it.
 */
NN_RQ32_INLINE void nn_rq32_prepare_shortcut(nn_rq32 *r, int32_t multiplier, int32_t shift)
{
    r->mh = multiplier >> 16;
    r->ml = multiplier & 0xFFFF;
    if ((uint32_t)(shift + 15) <= 15u) { /* -15 <= shift <= 0 (every MobileNet channel): the shortcut */
        const int32_t e = -shift;
        r->s = 15 + e;
        r->lim = 65536;
        r->k = e != 0 ? (int32_t)1 << (14 + e) : 0;
    } else {
        r->s = shift > 0 ? 15 : 15 - shift;
        r->lim = 0;
        r->k = 0;
    }
    r->kk = (1 << 14) + r->k;
}

NN_RQ32_INLINE void nn_rq32_prepare(nn_rq32 *r, int32_t multiplier, int32_t shift)
{
    const int32_t e = shift > 0 ? 0 : -shift;
    nn_rq32_prepare_shortcut(r, multiplier, shift);
    r->left = shift > 0 ? shift : 0;
    r->e = e;
    r->mask = (int32_t)(((uint32_t)1 << e) - 1u); /* e <= 31 */
    r->thr = r->mask >> 1;
    r->neg = e >= 1 ? 32768 : 0;
}

/* q = SRDHM(X, m) for X already shifted left. */
NN_RQ32_INLINE int32_t nn_rq32_srdhm(int32_t X, int32_t mh, int32_t ml)
{
    const int32_t xh = X >> 16;
    const uint32_t xl = (uint32_t)X & 0xFFFFu;
    const int32_t a = xh * mh;                  /* 16 x 16 signed */
    const int32_t b = xh * ml;                  /* signed x unsigned 16 bits: |b| < 2^31 */
    const uint32_t c = xl * (uint32_t)mh;       /* unsigned 16 x 16 */
    const uint32_t d = xl * (uint32_t)ml;       /* unsigned 16 x 16 */
    const uint32_t u = c + (d >> 16) + (1u << 14);
    /* the sum in uint32: the partial sums may leave int32 for |X| near 2^31, the total cannot */
    return (int32_t)(2u * (uint32_t)a + (uint32_t)(b >> 15) + ((((uint32_t)b & 0x7FFFu) + u) >> 15));
}

/*
 * SRDHM(v * 2^ls, m) for |v| <= 255 and 15 <= ls <= 22 (ADD's input rescale; nn_add_s8_scalar.c
 * has the derivation): d = 31 - ls, mh2 = (m >> 16) << (16 - d), ml = m & 0xFFFF, half = 2^(d-1).
 */
NN_RQ32_INLINE int32_t nn_rq32_srdhm_v(int32_t v, int32_t mh2, int32_t ml, int32_t d, int32_t half)
{
    return v * mh2 + ((v * ml + half) >> d);
}

/* RoundingDivideByPOT(q, e) with the prepared mask = 2^e - 1 and thr = mask >> 1. */
NN_RQ32_INLINE int32_t nn_rq32_rdbpot(int32_t q, int32_t e, int32_t mask, int32_t thr)
{
    const int32_t t = thr + (int32_t)((uint32_t)q >> 31);
    return (q >> e) + (int32_t)((uint32_t)(t - (q & mask)) >> 31);
}

/* nn_multiply_by_quantized_multiplier(x, m, shift) from the prepared constants. */
NN_RQ32_INLINE int32_t nn_rq32_apply(const nn_rq32 *r, int32_t x)
{
    if ((uint32_t)x + 32768u < (uint32_t)r->lim) { /* |x| < 2^15 on a shortcut channel (see above) */
        const int32_t t = x * r->mh + ((x * r->ml) >> 16) + (1 << 14);
        return (t + r->k - ((t >> 31) & r->neg)) >> r->s;
    }
    {
    const int32_t X = (int32_t)((uint32_t)x << r->left);
    return nn_rq32_rdbpot(nn_rq32_srdhm(X, r->mh, r->ml), r->e, r->mask, r->thr);
    }
}

/*
 * nn_multiply_by_quantized_multiplier(x, m, shift) for x > 0 and -15 <= shift <= 0 (no left
 * shift; e = -shift) from mh = m >> 16 and ml = m & 0xFFFF alone: what a ReLU loop needs for a
 * sum past the shortcut's 2^15 without the rest of nn_rq32_prepare. With X = x > 0 the general
 * derivation above has xh = x >> 16 in [0, 2^15) and B = xh * ml >= 0, so B < 2^31 and
 * U = C + (D >> 16) + 2^14 < 2^31: B + U < 2^32 in uint32, and
 *   q = 2A + (B >> 15) + (((B & 0x7FFF) + U) >> 15) = 2A + ((B + U) >> 15)
 * (B + U = 2^15 (B >> 15) + (B & 0x7FFF) + U). q >= 0, so RoundingDivideByPOT(q, e) rounds half
 * up: (q >> e) + bit e - 1 of q. test_kernels_fast holds it to the reference exhaustively over
 * [2^15, 2^22] and on random x up to 2^31 - 1, every e.
 */
NN_RQ32_INLINE int32_t nn_rq32_pos(int32_t x, int32_t mh, int32_t ml, int32_t e)
{
    const uint32_t xh = (uint32_t)x >> 16, xl = (uint32_t)x & 0xFFFFu;
    const uint32_t a = xh * (uint32_t)mh, b = xh * (uint32_t)ml, c = xl * (uint32_t)mh, d = xl * (uint32_t)ml;
    const uint32_t q = 2u * a + ((b + c + (d >> 16) + (1u << 14)) >> 15);
    return e == 0 ? (int32_t)q : (int32_t)((q >> e) + ((q >> (e - 1)) & 1u));
}

/* The same without preparation (tests, and kernels' rare paths). */
NN_RQ32_INLINE int32_t nn_rq32_requant(int32_t x, int32_t multiplier, int32_t shift)
{
    nn_rq32 r;
    nn_rq32_prepare(&r, multiplier, shift);
    return nn_rq32_apply(&r, x);
}

/*
 * requantise, add the output offset and clamp to [lo, hi].
 * relu: the caller's lo >= output_offset (a ReLU or ReLU6 clamp). Then acc <= 0 gives lo at once:
 * q = floor((X*m + 2^30) / 2^31) <= 0 for X = acc << left <= 0, rounding keeps y <= 0, so
 * y + output_offset <= output_offset <= lo. (acc << left stays <= 0: the reader proves it fits.)
 */
NN_RQ32_INLINE int8_t nn_rq32_out(const nn_rq32 *r, int32_t acc, int32_t output_offset, int32_t lo, int32_t hi,
                                 int relu)
{
    int32_t v;
    if (relu && acc <= 0) {
        return (int8_t)lo;
    }
    v = nn_rq32_apply(r, acc) + output_offset;
    v = v > hi ? hi : v;
    return (int8_t)(v < lo ? lo : v);
}

/* The unsigned ReLU shortcut below (0 < acc < 2^16 on a shortcut channel): (T + k) >> s in uint32. */
NN_RQ32_INLINE int32_t nn_rq32_relu_short(int32_t acc, int32_t mh, int32_t ml, int32_t kk, int32_t s)
{
    const uint32_t x = (uint32_t)acc;
    return (int32_t)((x * (uint32_t)mh + ((x * (uint32_t)ml) >> 16) + (uint32_t)kk) >> s);
}

/*
 * nn_rq32_out with relu = 1 (the caller's lo >= output_offset), as the hot loops use it. acc <= 0
 * gives lo (nn_rq32_out). For 0 < acc < 2^16 on a shortcut channel (no left shift, e <= 15):
 * T = floor((acc*m + 2^30) / 2^16) = acc*mh + floor(acc*ml / 2^16) + 2^14 holds for any acc >= 0
 * (acc*m = 2^16 acc*mh + acc*ml), T > 0, so q = floor(T / 2^15) >= 0, its rounding is half up,
 * and nested floors give y = (T + 2^(14+e)) >> (15 + e) = (T + k) >> s: one add of kk = 2^14 + k.
 * In uint32 every step is exact: acc*ml < 2^32, acc*mh <= (2^16 - 1)(2^15 - 1), and T + k <=
 * 2^31 - 2^15 + 2^14 + 2^29 < 2^32 (logical shifts). Twice the range the signed shortcut has (2^15)
 * keeps most ReLU sums in the loops. Anything else takes nn_rq32_apply.
 */
NN_RQ32_INLINE int8_t nn_rq32_out_relu(const nn_rq32 *r, int32_t acc, int32_t output_offset, int32_t lo, int32_t hi)
{
    int32_t v;
    if (acc <= 0) {
        return (int8_t)lo;
    }
    if (acc < r->lim) {
        v = nn_rq32_relu_short(acc, r->mh, r->ml, r->kk, r->s);
    } else {
        v = nn_rq32_apply(r, acc);
    }
    v += output_offset;
    v = v > hi ? hi : v;
    return (int8_t)(v < lo ? lo : v);
}

#if defined(__XTENSA__) && defined(__OPTIMIZE__) && !defined(NN_S32_NO_ASM)
#define NN_RQ32_ASM 1
/*
 * The ReLU output loop in assembly (nn_rq32_relu_run, and the depthwise kernel's channel loop):
 * acc[i] >> 8 + add, <= 0 -> off, >= lim -> EXIT (that output not stored), else the unsigned shortcut
 * (T + kk) >> s with s in SAR, clamped to hi; y steps by ys. Operands a, y, x, t, mh, ml, lim, add,
 * off, hi, ys, and KK (kk) and N (outputs left, >= 1) by name; DONE: where the loop ends.
 */
#define NN_RQ32_RELU_LOOP(KK, N, EXIT, DONE)                                                               \
    "1:\n\t"                                                                                          \
    "l32i %[x], %[a], 0\n\t"                                                                          \
    "srai %[x], %[x], 8\n\t"                                                                          \
    "add %[x], %[x], %[add]\n\t"                                                                      \
    "blti %[x], 1, 3f\n\t"                                                                            \
    "bge %[x], %[lim], " EXIT "\n\t"                                                                  \
    "mull %[t], %[x], %[ml]\n\t"                                                                      \
    "mull %[x], %[x], %[mh]\n\t"                                                                      \
    "srli %[t], %[t], 16\n\t"                                                                         \
    "add %[x], %[x], %[t]\n\t"                                                                        \
    "add %[x], %[x], %[" KK "]\n\t"                                                                   \
    "srl %[x], %[x]\n\t"                                                                              \
    "add %[x], %[x], %[off]\n\t"                                                                      \
    "bge %[hi], %[x], 2f\n\t"                                                                         \
    "mov %[x], %[hi]\n"                                                                               \
    "2:\n\t"                                                                                          \
    "s8i %[x], %[y], 0\n\t"                                                                           \
    "addi %[a], %[a], 4\n\t"                                                                          \
    "add %[y], %[y], %[ys]\n\t"                                                                       \
    "addi %[" N "], %[" N "], -1\n\t"                                                                 \
    "bnez %[" N "], 1b\n\t"                                                                           \
    "j " DONE "\n"                                                                                    \
    "3:\n\t"                                                                                          \
    "s8i %[off], %[y], 0\n\t"                                                                         \
    "addi %[a], %[a], 4\n\t"                                                                          \
    "add %[y], %[y], %[ys]\n\t"                                                                       \
    "addi %[" N "], %[" N "], -1\n\t"                                                                 \
    "bnez %[" N "], 1b\n"
/*
 * The loop of nn_rq32_store_relu_ms on Xtensa, for lo == output_offset: outputs while the shortcut
 * serves them, from r's shortcut constants only (in registers, the shift in SAR for the whole
 * loop). Returns the outputs left; *acc and *y point at the first of them (the caller does it
 * without the shortcut and calls again).
 */
NN_RQ32_INLINE int32_t nn_rq32_relu_run(const nn_rq32 *r, const int32_t **accp, int32_t n, int32_t add, int8_t **yp,
                                       ptrdiff_t y_step, int32_t output_offset, int32_t hi)
{
    /* r's register holds kk once the constants are loaded (13 registers at -Os as well) */
    const nn_rq32 *rk = r;
    const int32_t *acc = *accp;
    int8_t *y = *yp;
    int32_t x, t, mh, ml, lim;
    __asm__ volatile("l32i %[t], %[rk], %[o_s]\n\t"
                     "ssr %[t]\n\t"
                     "l32i %[mh], %[rk], %[o_mh]\n\t"
                     "l32i %[ml], %[rk], %[o_ml]\n\t"
                     "l32i %[lim], %[rk], %[o_lim]\n\t"
                     "l32i %[rk], %[rk], %[o_kk]\n\t"
                     "beqz %[n], 9f\n" NN_RQ32_RELU_LOOP("rk", "n", "9f", "9f")
                     "9:\n\t"
                     : [a] "+r"(acc), [y] "+r"(y), [n] "+r"(n), [rk] "+r"(rk), [x] "=&r"(x), [t] "=&r"(t),
                       [mh] "=&r"(mh), [ml] "=&r"(ml), [lim] "=&r"(lim)
                     : [add] "r"(add), [off] "r"(output_offset), [hi] "r"(hi), [ys] "r"(y_step),
                       [o_s] "i"(offsetof(nn_rq32, s)), [o_mh] "i"(offsetof(nn_rq32, mh)),
                       [o_ml] "i"(offsetof(nn_rq32, ml)), [o_lim] "i"(offsetof(nn_rq32, lim)),
                       [o_kk] "i"(offsetof(nn_rq32, kk))
                     : "memory");
    *accp = acc;
    *yp = y;
    return n;
}
#else
#define NN_RQ32_ASM 0
#endif

/*
 * y[i * y_step] = nn_rq32_out_relu((acc[i] >> 8) + add) for i in [0, n) for a channel given by its
 * multiplier and shift, prepared here (the scalar kernels' sums are 256 times the reference's,
 * MUL16S form). On Xtensa, for lo == output_offset (a ReLU or ReLU6 clamp with the offset inside
 * int8), only the shortcut's constants (nn_rq32_prepare_shortcut) and the assembly loop
 * (nn_rq32_relu_run); an output the shortcut does not serve is done out of line with the whole
 * preparation, and the loop resumes. For short rows, where a whole preparation per channel and row
 * costs more than the row's outputs.
 */
#if defined(__GNUC__)
__attribute__((noinline, unused))
#endif
static int8_t nn_rq32_out_relu_ms(int32_t multiplier, int32_t shift, int32_t acc, int32_t output_offset, int32_t lo,
                                  int32_t hi)
{
    nn_rq32 r;
    nn_rq32_prepare(&r, multiplier, shift);
    return nn_rq32_out_relu(&r, acc, output_offset, lo, hi);
}

NN_RQ32_INLINE void nn_rq32_store_relu_ms(int32_t multiplier, int32_t shift, const int32_t *acc, int32_t n, int32_t add,
                                         int8_t *y, ptrdiff_t y_step, int32_t output_offset, int32_t lo, int32_t hi)
{
#if NN_RQ32_ASM
    if (lo == output_offset) {
        nn_rq32 r;
        nn_rq32_prepare_shortcut(&r, multiplier, shift);
        while ((n = nn_rq32_relu_run(&r, &acc, n, add, &y, y_step, output_offset, hi)) > 0) {
            /* out of line: the rest of the preparation stays off the common path */
            *y = nn_rq32_out_relu_ms(multiplier, shift, (*acc >> 8) + add, output_offset, lo, hi);
            ++acc;
            y += y_step;
            --n;
        }
        return;
    }
#endif
    {
        nn_rq32 r;
        int32_t i;
        nn_rq32_prepare(&r, multiplier, shift);
        for (i = 0; i < n; ++i, y += y_step) {
            *y = nn_rq32_out_relu(&r, (acc[i] >> 8) + add, output_offset, lo, hi);
        }
    }
}

/*
 * nn_rq32_out over n accumulators of one channel into y[i * y_step]. The channel's constants are
 * copied to a local first: the int8 stores may alias anything, so reading them through r inside
 * the loop would reload them after every store.
 */
NN_RQ32_INLINE void nn_rq32_store(const nn_rq32 *r, const int32_t *acc, int32_t n, int8_t *y, ptrdiff_t y_step,
                                 int32_t output_offset, int32_t lo, int32_t hi, int relu)
{
    const nn_rq32 c = *r;
    int32_t i;
    for (i = 0; i < n; ++i, y += y_step) {
        *y = nn_rq32_out(&c, acc[i], output_offset, lo, hi, relu);
    }
}

#endif
