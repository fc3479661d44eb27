/*
 * nn_conv2d_s8_scalar.c - CONV_2D for a 32-bit in-order core with 16 registers and no SIMD
 * (the board's Xtensa), bit-identical to nn_conv2d_s8.
 *
 * Every output pixel is a dot product of length K = kh * kw * in_c between its window and a
 * contiguous OHWI filter row. Pixels go in blocks of 4 (rows of a multiple of 4 pixels) or 3:
 * the block's windows are first copied to the stack as int16 x + input_offset, interleaved
 * ([k][4]: one base register and constant offsets for the pixels), with 0 for taps outside the
 * input (exactly the reference's skipped taps). For a 1x1 window with every pixel inside the
 * input (pointwise, ~85% of a MobileNet's MACs) the copy is a plain widening. Then, in one
 * assembly loop over the chunk's channel pairs (s32_pairs4, s32_pairs), a 4- or 3-pixel x
 * 2-channel register block walks k: 4 + 2 loads feed 8 multiply-accumulates (3 + 2 feed 6). The
 * copy is shared by all output channels. A second pass requantises the sums channel by channel.
 *
 * Weights: lx106 has no sign-extending byte load (and no SEXT), so an int8 weight costs a load
 * and two shifts. When K <= 257, a weight is instead loaded unsigned and shifted left by 8:
 * its low 16 bits are then exactly w * 256 as an int16, and a 16 x 16-bit signed multiply
 * (MUL16S) gives 256 * w * (x + input_offset). The sum of such products is 256 * sum(w * x'),
 * where |sum(w * x')| <= 257 * 128 * 255 = 8,388,480 < 2^23, so it is exact modulo 2^32 (the
 * accumulation wraps in uint32) and an arithmetic shift right by 8 recovers the sum. With the
 * filter also given widened (nn_conv2d_s8_scalar_w16, nn_model_widen), a weight is one L16SI and
 * the products w * x' are exact, so the sums are the reference's own: they start at the bias, need
 * no shift back, and any window the x' block holds (512 values) runs in one pass.
 *
 * Requantisation: nn_rq32.h, the reference's double rounding in 32-bit multiplies (no 64-bit
 * library call), per-channel constants prepared once per call and chunk of channels.
 *
 * Windows larger than NN_S32_KMAX values (never in a MobileNet) fall back to the reference
 * kernel. Stack: the x' block (NN_S32_KMAX * 8 B), the chunk's constants and biases
 * (NN_S32_CHUNK * 52 B) and its sums (NN_S32_CHUNK * 16 B): 9.0 KiB on the lx106 at -O2.
 */
#include "nn_kernels_scalar.h"
#include "nn_rq32.h"

#ifndef NN_S32_KMAX
#define NN_S32_KMAX 512
#endif
#ifndef NN_S32_CHUNK
#define NN_S32_CHUNK 64
#endif

/*
 * A channel's requantisation constants and bias (0 without one): nn_rq32's shortcut fields, which
 * the assembly loops read (each as nn_rq32_prepare sets it), and the multiplier and shift for the
 * rest of the preparation, which only the C paths need (s32_full). Prepared once per kernel call
 * and chunk: a fuller preparation per channel cost 0.6 M instructions a MobileNet v2 run.
 */
typedef struct s32_rq {
    int32_t mh, ml, s, lim, kk, k; /* k != 0: the signed shortcut holds with its rounding term (S32_RQ_LIN) */
    int32_t multiplier, shift;
    int32_t bias;
    int32_t bias8; /* the pair loops' initial sums when the chunk folds its biases: bias * 256 (modulo 2^32) for
                    * int8 weights, bias for widened ones (exact sums); else 0 */
} s32_rq;

static void s32_prepare(s32_rq *r, int32_t multiplier, int32_t shift)
{
    nn_rq32 q;
    nn_rq32_prepare_shortcut(&q, multiplier, shift);
    r->mh = q.mh;
    r->ml = q.ml;
    r->s = q.s;
    r->lim = q.lim;
    r->kk = q.kk;
    r->k = q.k;
    r->multiplier = multiplier;
    r->shift = shift;
}

/*
 * A chunk's channels, out of line (in s32_conv's loops the preparation spilled, 55 instructions a
 * channel): the constants, then the biases and the pair loops' initial sums, bias8 = bias << bsh
 * (bsh 8 for int8 weights, 0 for widened ones) when the chunk folds its biases, else 0. Two loops,
 * each with few enough values alive that nothing spills (one loop took 45 instructions a channel).
 */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void s32_prepare_chunk(s32_rq *rq, const int32_t *multiplier, const int32_t *shift, const int32_t *bias,
                              int32_t nc, int fold, int wide)
{
    s32_rq *const end = rq + nc;
    s32_rq *r;
    for (r = rq; r < end; ++r) {
        s32_prepare(r, *multiplier++, *shift++);
    }
    if (bias == NULL) {
        for (r = rq; r < end; ++r) {
            r->bias = r->bias8 = 0;
        }
    } else {
        const int32_t bsh = wide ? 0 : 8;
        for (r = rq; r < end; ++r) {
            const int32_t b = *bias++;
            r->bias = b;
            r->bias8 = fold ? (int32_t)((uint32_t)b << bsh) : 0;
        }
    }
}

/* The whole nn_rq32 of a channel, for the C paths. */
static void s32_full(const s32_rq *r, nn_rq32 *q)
{
    nn_rq32_prepare(q, r->multiplier, r->shift);
}

/*
 * nn_rq32_out_relu from the shortcut fields: acc <= 0 gives lo, the shortcut below lim, and a
 * larger sum on a shortcut channel nn_rq32_pos (no left shift, 0 <= e <= 15); only a channel
 * without the shortcut prepares the rest. What an output the ReLU assembly leaves costs in C.
 */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int8_t s32_out_relu(const s32_rq *r, int32_t acc, int32_t out_off, int32_t lo, int32_t hi)
{
    int32_t v;
    if (acc <= 0) {
        return (int8_t)lo;
    }
    if (acc < r->lim) {
        v = nn_rq32_relu_short(acc, r->mh, r->ml, r->kk, r->s);
    } else if (r->lim != 0) {
        v = nn_rq32_pos(acc, r->mh, r->ml, r->s - 15);
    } else {
        nn_rq32 q;
        s32_full(r, &q);
        v = nn_rq32_apply(&q, acc);
    }
    v += out_off;
    v = v > hi ? hi : v;
    return (int8_t)(v < lo ? lo : v);
}
/* the pair loops step through s32_rq two at a time with one ADDI (an 8-bit immediate) */
typedef char s32_rq_pair_step_fits[2 * sizeof(s32_rq) <= 127 ? 1 : -1];

typedef struct s32_ctx {
    const nn_conv_params *p;
    const nn_dims *in;
    const nn_dims *f;
    const nn_dims *out;
    const int8_t *in_batch;
    int32_t k;         /* window length kh * kw * in_c */
    int32_t pointwise; /* 1x1 window, every output pixel inside the input */
} s32_ctx;

/* Window of output pixel (oy, ox) into column j of the [k][4] block, as x + input_offset (pointwise
 * layers take fill_pointwise). */
/* e[4 i] = x[i] + off for the int8 inputs x[i], i in [0, n): for the byte u = x & 0xFF,
 * u ^ 0xFFFFFF80 is x - 128 as an int32, a load and an xor (the lx106 has no sign-extending load;
 * k = off + 128). Out of line, so that -Os keeps its four values in registers. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void widen_run(const uint8_t *x, int16_t *e, int32_t n, int32_t k)
{
    const uint8_t *const end = x + n;
    while (x < end) {
        const uint32_t u = *x++;
        *e = (int16_t)((int32_t)(u ^ 0xFFFFFF80u) + k);
        e += 4;
    }
}

#if defined(__GNUC__)
__attribute__((noinline)) /* its own frame: inlined into s32_conv's loops, its copy loop spills */
#endif
static void fill_window(const s32_ctx *c, int32_t oy, int32_t ox, int16_t *xb, int32_t j)
{
    const nn_conv_params *p = c->p;
    const int32_t in_c = c->in->c, in_h = c->in->h, in_w = c->in->w, kw = c->f->w;
    const int32_t off = p->input_offset;
    const int32_t ix0 = ox * p->stride_w - p->pad_left; /* input column of tap kx = 0 */
    /* a kernel row wholly inside the input, without dilation, is one run of kw * in_c inputs */
    const int whole = p->dilation_w == 1 && ix0 >= 0 && ix0 + kw <= in_w;
    const int32_t run = kw * in_c;
    int16_t *d = xb + j;
    int32_t ky, kx, i;
    for (ky = 0; ky < c->f->h; ++ky, d += 4 * run) {
        const int32_t iy = oy * p->stride_h - p->pad_top + ky * p->dilation_h;
        const int8_t *x_row;
        if (iy < 0 || iy >= in_h) {
            for (i = 0; i < run; ++i) {
                d[4 * i] = 0;
            }
            continue;
        }
        x_row = c->in_batch + (size_t)iy * in_w * in_c;
        if (whole) {
            widen_run((const uint8_t *)(x_row + (size_t)ix0 * in_c), d, run, off + 128);
            continue;
        }
        for (kx = 0; kx < kw; ++kx) {
            const int32_t ix = ix0 + kx * p->dilation_w;
            int16_t *e = d + 4 * kx * in_c;
            if (ix < 0 || ix >= in_w) {
                for (i = 0; i < in_c; ++i) {
                    e[4 * i] = 0;
                }
            } else {
                const int8_t *x = x_row + (size_t)ix * in_c;
                for (i = 0; i < in_c; ++i) {
                    e[4 * i] = (int16_t)(x[i] + off);
                }
            }
        }
    }
}

/*
 * The windows of np pixels (oy, ox), (oy, ox + 1), ... into columns 0.. of the [k][4] block when
 * every tap of all of them lies inside the input without dilation (most pixels of a 3x3 layer):
 * the rows are shared and each pixel's kernel row is one run of kw * in_c inputs, so this costs
 * a few instructions an input where fill_window's per-pixel checks and calls cost 270 a pixel of
 * MobileNet v2's first layer. Returns 0 (nothing written) when some tap falls outside.
 */
static int fill_block_inside(const s32_ctx *c, int32_t oy, int32_t ox, int32_t np, int16_t *xb)
{
    const nn_conv_params *p = c->p;
    const int32_t in_c = c->in->c, in_w = c->in->w, kh = c->f->h, kw = c->f->w;
    const int32_t iy0 = oy * p->stride_h - p->pad_top, ix0 = ox * p->stride_w - p->pad_left;
    const int32_t run = kw * in_c, off = p->input_offset;
    const ptrdiff_t pstep = (ptrdiff_t)p->stride_w * in_c;
    int32_t ky, q, i;
    if (p->dilation_h != 1 || p->dilation_w != 1 || iy0 < 0 || iy0 + kh > c->in->h || ix0 < 0 ||
        ix0 + (np - 1) * p->stride_w + kw > in_w) {
        return 0;
    }
    for (ky = 0; ky < kh; ++ky) {
        const int8_t *x = c->in_batch + ((size_t)(iy0 + ky) * in_w + (size_t)ix0) * in_c;
        int16_t *d = xb + 4 * ky * run;
        if (np >= 3) { /* a whole block: one pass over the run, its pixels in one step (short runs, e.g. the
                        * first layer's 3 inputs, cost more in loop overhead than in copies otherwise) */
            const int8_t *const x3 = np == 4 ? x + 3 * pstep : NULL;
            for (i = 0; i < run; ++i, d += 4) {
                d[0] = (int16_t)(x[i] + off);
                d[1] = (int16_t)(x[i + pstep] + off);
                d[2] = (int16_t)(x[i + 2 * pstep] + off);
                if (x3 != NULL) {
                    d[3] = (int16_t)(x3[i] + off);
                }
            }
            continue;
        }
        for (q = 0; q < np; ++q, x += pstep) {
            for (i = 0; i < run; ++i) {
                d[4 * i + q] = (int16_t)(x[i] + off);
            }
        }
    }
    return 1;
}

/* x' rows per call of the block (a multiple of 4); the shifted-weight sum of at most 257 rows is exact */
#define S32_SLICE 256

/* Whether the pair loops take a window of k values: from 4 (their four-row groups) up to one slice
 * with int8 weights (256 times the sums), up to the whole x' block with widened ones (exact sums). */
static int s32_in_pairs(int32_t k, int wide)
{
    return k >= 4 && (k <= S32_SLICE || wide);
}
/* a value no x' reaches (|x'| <= 255) and BGEI can test: marks the end of the rows in the block */
#define S32_SENTINEL 0x4000

/*
 * The 3-pixel x 2-channel block: for rows i in [0, k) of the [k][4] x' block and weight rows w0,
 * w1 (two output channels; w1 == w0 for one), acc[p * 2 + r] = 256 * sum_i x'[i][p] * w_r[i]
 * modulo 2^32, k <= S32_SLICE. On Xtensa the rows go four at a time in assembly (s32_rows4):
 * 6 accumulators, 3 pointers, 2 weights and 2 operands are 13 registers (the lx106's call0
 * ABI leaves a2..a15, 14, to a function; gcc's own schedule of the same C hoists the loads and
 * spills). The loop ends on a sentinel row at row k & ~3, so no end pointer is needed; the last
 * k % 4 rows go through the C loop. Elsewhere the C loop does all rows; both compute the same
 * sums. Unoptimised builds (-O0) take the C: they cannot place the assembly's operands.
 */
#if defined(__XTENSA__) && defined(__OPTIMIZE__) && !defined(NN_S32_NO_ASM)
#define S32_ASM 1
#if defined(__GNUC__)
#define S32_INLINE inline __attribute__((always_inline))
#else
#define S32_INLINE inline
#endif
/*
 * The register block's assembly text, shared by s32_rows4, s32_pairs and s32_pairs4. A row R of the
 * [k][4] block: S32_W loads its two weights (unsigned, shifted left by 8), S32_PIX(R, P, T) does
 * pixel P's two multiply-accumulates with T the product register. S32_BODY3 / S32_BODY4 are four
 * rows of 3 or 4 pixels, the first row's first pixel loaded before the sentinel test; S32_STEP moves
 * the pointers to the next four rows and ends at label 2 once the sentinel row is reached.
 */
#define S32_W8(R)                                                                                      \
    "l8ui %[f0], %[w0], " #R "\n\t"                                                                   \
    "l8ui %[f1], %[w1], " #R "\n\t"                                                                   \
    "slli %[f0], %[f0], 8\n\t"                                                                        \
    "slli %[f1], %[f1], 8\n\t"
/* the same from widened weights (nn_conv2d_s8_scalar_w16): each w as an int16, the products exact */
#define S32_W16(R)                                                                                     \
    "l16si %[f0], %[w0], 2*" #R "\n\t"                                                               \
    "l16si %[f1], %[w1], 2*" #R "\n\t"
#define S32_PIX(R, P, T)                                                                               \
    "l16si %[x], %[xb], 8*" #R "+2*" #P "\n\t"                                                       \
    "mul16s " T ", %[x], %[f0]\n\t"                                                                   \
    "add %[a" #P "0], %[a" #P "0], " T "\n\t"                                                         \
    "mul16s %[x], %[x], %[f1]\n\t"                                                                    \
    "add %[a" #P "1], %[a" #P "1], %[x]\n\t"
#define S32_HEAD(T, W)                                                                                 \
    "1:\n\t"                                                                                          \
    "l16si %[x], %[xb], 0\n\t"                                                                        \
    "bgei %[x], 256, 2f\n\t" W(0)                                                                 \
    "mul16s " T ", %[x], %[f0]\n\t"                                                                   \
    "add %[a00], %[a00], " T "\n\t"                                                                   \
    "mul16s %[x], %[x], %[f1]\n\t"                                                                    \
    "add %[a01], %[a01], %[x]\n\t"
#define S32_BODY3(T, W)                                                                                \
    S32_HEAD(T, W) S32_PIX(0, 1, T) S32_PIX(0, 2, T)                                                  \
    W(1) S32_PIX(1, 0, T) S32_PIX(1, 1, T) S32_PIX(1, 2, T)                                           \
    W(2) S32_PIX(2, 0, T) S32_PIX(2, 1, T) S32_PIX(2, 2, T)                                           \
    W(3) S32_PIX(3, 0, T) S32_PIX(3, 1, T) S32_PIX(3, 2, T)
#define S32_BODY4(T, W)                                                                                \
    S32_HEAD(T, W) S32_PIX(0, 1, T) S32_PIX(0, 2, T) S32_PIX(0, 3, T)                                 \
    W(1) S32_PIX(1, 0, T) S32_PIX(1, 1, T) S32_PIX(1, 2, T) S32_PIX(1, 3, T)                          \
    W(2) S32_PIX(2, 0, T) S32_PIX(2, 1, T) S32_PIX(2, 2, T) S32_PIX(2, 3, T)                          \
    W(3) S32_PIX(3, 0, T) S32_PIX(3, 1, T) S32_PIX(3, 2, T) S32_PIX(3, 3, T)
/* the six sums of a 3-pixel block set to the pair's bias8 values (0 unless the chunk folds its biases;
 * the 4-pixel block adds a30, a31): RQLOAD puts the pair's s32_rq pointer in x, RQSTORE stores it
 * moved past the pair (x, f0 and f1 are free between pairs) */
#define S32_INIT6(RQLOAD, RQSTORE)                                                                     \
    RQLOAD                                                                                            \
    "l32i %[f0], %[x], %[o_b8]\n\t"                                                                  \
    "l32i %[f1], %[x], %[o_b8n]\n\t"                                                                 \
    "addi %[x], %[x], %[sz2]\n\t" RQSTORE                                                           \
    "mov %[a00], %[f0]\n\t"                                                                          \
    "mov %[a10], %[f0]\n\t"                                                                          \
    "mov %[a20], %[f0]\n\t"                                                                          \
    "mov %[a01], %[f1]\n\t"                                                                          \
    "mov %[a11], %[f1]\n\t"                                                                          \
    "mov %[a21], %[f1]\n\t"
#define S32_RQ_OPERANDS                                                                                \
    [o_b8] "i"(offsetof(s32_rq, bias8)), [o_b8n] "i"(offsetof(s32_rq, bias8) + sizeof(s32_rq)),       \
        [sz2] "i"(2 * sizeof(s32_rq))
#define S32_STEP(WB)                                                                                   \
    "addi %[xb], %[xb], 32\n\t"                                                                       \
    "addi %[w0], %[w0], 4*" #WB "\n\t"                                                                \
    "addi %[w1], %[w1], 4*" #WB "\n\t"                                                                \
    "j 1b\n"                                                                                          \
    "2:\n\t"

/*
 * The first r = k % 4 rows of a pair's window ahead of the four-row loop (rows 0.. at immediate
 * offsets, then the pointers past them), so that the loop runs whole groups to the sentinel row at
 * k: any window length from 4 rows on stays in assembly (the first layer's k = 9 took a C tail).
 */
#define S32_ROW3(R, T, W) W(R) S32_PIX(R, 0, T) S32_PIX(R, 1, T) S32_PIX(R, 2, T)
#define S32_ROW4(R, T, W) S32_ROW3(R, T, W) S32_PIX(R, 3, T)
#define S32_ADV(N, WB)                                                                                 \
    "addi %[xb], %[xb], 8*" #N "\n\t"                                                                \
    "addi %[w0], %[w0], " #N "*" #WB "\n\t"                                                          \
    "addi %[w1], %[w1], " #N "*" #WB "\n\t"
#define S32_TAIL3_0(W, WB) ""
#define S32_TAIL3_1(W, WB) S32_ROW3(0, "%[t]", W) S32_ADV(1, WB)
#define S32_TAIL3_2(W, WB) S32_ROW3(0, "%[t]", W) S32_ROW3(1, "%[t]", W) S32_ADV(2, WB)
#define S32_TAIL3_3(W, WB) S32_ROW3(0, "%[t]", W) S32_ROW3(1, "%[t]", W) S32_ROW3(2, "%[t]", W) S32_ADV(3, WB)
#define S32_TAIL4_0(W, WB) ""
#define S32_TAIL4_1(W, WB) S32_ROW4(0, "a0", W) S32_ADV(1, WB)
#define S32_TAIL4_2(W, WB) S32_ROW4(0, "a0", W) S32_ROW4(1, "a0", W) S32_ADV(2, WB)
#define S32_TAIL4_3(W, WB) S32_ROW4(0, "a0", W) S32_ROW4(1, "a0", W) S32_ROW4(2, "a0", W) S32_ADV(3, WB)

static S32_INLINE void s32_rows4(const int16_t *xp, const uint8_t *u0, const uint8_t *u1, uint32_t *acc)
{
    uint32_t a00 = acc[0], a01 = acc[1], a10 = acc[2], a11 = acc[3], a20 = acc[4], a21 = acc[5];
    int32_t f0, f1, x, t;
    __asm__ volatile(S32_BODY3("%[t]", S32_W8) S32_STEP(1)
                     : [a00] "+r"(a00), [a01] "+r"(a01), [a10] "+r"(a10), [a11] "+r"(a11), [a20] "+r"(a20),
                       [a21] "+r"(a21), [xb] "+r"(xp), [w0] "+r"(u0), [w1] "+r"(u1), [f0] "=&r"(f0),
                       [f1] "=&r"(f1), [x] "=&r"(x), [t] "=&r"(t)
                     :
                     : "memory");
    acc[0] = a00;
    acc[1] = a01;
    acc[2] = a10;
    acc[3] = a11;
    acc[4] = a20;
    acc[5] = a21;
}

/* One pair loop's eight forms (s32_pairs, s32_pairs4): form = the k % 4 rows ahead of the four-row
 * loop (TAIL##0 .. TAIL##3), plus 4 for widened weights (S32_W16, two bytes a weight). */
#define S32_BY_FORM(ASM, TAIL)                                                                         \
    switch (form) {                                                                                   \
    case 0: ASM(TAIL##0, S32_W8, 1); break;                                                           \
    case 1: ASM(TAIL##1, S32_W8, 1); break;                                                           \
    case 2: ASM(TAIL##2, S32_W8, 1); break;                                                           \
    case 3: ASM(TAIL##3, S32_W8, 1); break;                                                           \
    case 4: ASM(TAIL##0, S32_W16, 2); break;                                                          \
    case 5: ASM(TAIL##1, S32_W16, 2); break;                                                          \
    case 6: ASM(TAIL##2, S32_W16, 2); break;                                                          \
    default: ASM(TAIL##3, S32_W16, 2); break;                                                         \
    }

#define S32_PAIRS3_ASM(TAIL, W, WB) \
    __asm__ volatile(S32_ZERO "0:\n\t" TAIL(W, WB) S32_BODY3("%[t]", W) S32_STEP(WB) \
                     "l32i %[t], %[st], 0\n\t" \
                     "s32i %[a00], %[t], 0\n\t" \
                     "s32i %[a10], %[t], 4\n\t" \
                     "s32i %[a20], %[t], 8\n\t" \
                     "s32i %[a01], %[t], 12\n\t" \
                     "s32i %[a11], %[t], 16\n\t" \
                     "s32i %[a21], %[t], 20\n\t" \
                     "addi %[t], %[t], 24\n\t" \
                     "s32i %[t], %[st], 0\n\t" \
                     "l32i %[xb], %[st], 4\n\t" \
                     "mov %[w0], %[w1]\n\t" /* w1 has walked its row: the next pair's first */ \
                     "l32i %[t], %[st], 8\n\t" \
                     "add %[w1], %[w0], %[t]\n\t" \
                     "l32i %[t], %[st], 12\n\t" \
                     "addi %[t], %[t], -1\n\t" \
                     "s32i %[t], %[st], 12\n\t" S32_ZERO \
                     "bnez %[t], 0b\n\t" \
                     : [a00] "=&r"(a00), [a01] "=&r"(a01), [a10] "=&r"(a10), [a11] "=&r"(a11), \
                       [a20] "=&r"(a20), [a21] "=&r"(a21), [xb] "+r"(xp), [w0] "+r"(u0), [w1] "+r"(u1), \
                       [f0] "=&r"(f0), [f1] "=&r"(f1), [x] "=&r"(x), [t] "=&r"(t) \
                     : [st] "r"(st), [o_rq] "i"(offsetof(s32_pairs_state, rq)), S32_RQ_OPERANDS \
                     : "memory");

/*
 * Every channel pair of a chunk over one block, in one assembly loop: for pairs j in [0, npairs),
 * weight rows w + 2 j k and w + (2 j + 1) k, acc[6 j + 3 r + p] = the pair's bias8 plus the sum of
 * pixel p with channel 2 j + r, 256 times the reference's for int8 weights (modulo 2^32, as
 * s32_rows4) or exact for widened ones, with the k % 4 rows first (form) and the sentinel row in
 * place at k. Between pairs the sums are stored and the loop state reloaded
 * from a small struct: the block's 13 registers and the struct's pointer are all 14 a function
 * may use, and a call per pair would cost more than the pair's rows at k = 16.
 */
typedef struct s32_pairs_state {
    uint32_t *acc;      /* the next pair's six sums */
    const int16_t *xb;  /* the block's first row */
    int32_t k;          /* bytes a weight row: k int8 weights, or 2 k for widened ones */
    int32_t pairs;      /* pairs left, >= 1 */
    const void *rq;     /* the next pair's first s32_rq: its bias8 and the next one's start the sums */
} s32_pairs_state;

/* form: S32_BY_FORM's selector (one parameter: at -Og every parameter keeps a register, and the block
 * takes all but one) */
static void s32_pairs(s32_pairs_state *st, const uint8_t *u0, int32_t form)
{
    uint32_t a00, a01, a10, a11, a20, a21;
    const int16_t *xp = st->xb;
    const uint8_t *u1 = u0 + st->k;
    int32_t f0, f1, x, t;
#define S32_ZERO S32_INIT6("l32i %[x], %[st], %[o_rq]\n\t", "s32i %[x], %[st], %[o_rq]\n\t")
    S32_BY_FORM(S32_PAIRS3_ASM, S32_TAIL3_);
#undef S32_ZERO
}

#define S32_PAIRS4_ASM(TAIL, W, WB) \
    __asm__ volatile(S32_ZERO "0:\n\t" TAIL(W, WB) S32_BODY4("a0", W) S32_STEP(WB) \
                     "l32i a0, %[m_acc]\n\t" \
                     "s32i %[a00], a0, 0\n\t" \
                     "s32i %[a10], a0, 4\n\t" \
                     "s32i %[a20], a0, 8\n\t" \
                     "s32i %[a30], a0, 12\n\t" \
                     "s32i %[a01], a0, 16\n\t" \
                     "s32i %[a11], a0, 20\n\t" \
                     "s32i %[a21], a0, 24\n\t" \
                     "s32i %[a31], a0, 28\n\t" \
                     "addi a0, a0, 32\n\t" \
                     "s32i a0, %[m_acc]\n\t" \
                     "l32i %[xb], %[m_xb]\n\t" \
                     "mov %[w0], %[w1]\n\t" /* w1 has walked its row: the next pair's first */ \
                     "l32i a0, %[m_k]\n\t" \
                     "add %[w1], %[w0], a0\n\t" \
                     "l32i a0, %[m_pairs]\n\t" \
                     "addi a0, a0, -1\n\t" \
                     "s32i a0, %[m_pairs]\n\t" S32_ZERO \
                     "bnez a0, 0b\n\t" \
                     : [a00] "=&r"(a00), [a01] "=&r"(a01), [a10] "=&r"(a10), [a11] "=&r"(a11), \
                       [a20] "=&r"(a20), [a21] "=&r"(a21), [a30] "=&r"(a30), [a31] "=&r"(a31), \
                       [xb] "+r"(xp), [w0] "+r"(u0), [w1] "+r"(u1), [f0] "=&r"(f0), [f1] "=&r"(f1), \
                       [x] "=&r"(x), [m_acc] "+m"(st->acc), [m_pairs] "+m"(st->pairs), [m_rq] "+m"(st->rq) \
                     : [m_xb] "m"(st->xb), [m_k] "m"(st->k), S32_RQ_OPERANDS \
                     : "a0", "memory");

/*
 * The same with 4 pixels a pair (pointwise rows whose width is a multiple of 4): 8 accumulators,
 * 3 pointers, 2 weights and an operand are 14 registers, a0 (saved by the caller's frame) is the
 * product, and the loop state is read and written in the caller's frame through memory operands
 * (inlined, st is a local of the caller: its fields are at stack offsets, no register needed):
 * acc[8 j + 4 r + p]. One weight pair now feeds 8 multiply-accumulates instead of 6.
 */
static S32_INLINE void s32_pairs4(s32_pairs_state *st, const uint8_t *u0, int32_t form)
{
    uint32_t a00, a01, a10, a11, a20, a21, a30, a31;
    const int16_t *xp = st->xb;
    const uint8_t *u1 = u0 + st->k;
    int32_t f0, f1, x;
#define S32_ZERO S32_INIT6("l32i %[x], %[m_rq]\n\t", "s32i %[x], %[m_rq]\n\t")                              \
    "mov %[a30], %[f0]\n\t"                                                                          \
    "mov %[a31], %[f1]\n\t"
    S32_BY_FORM(S32_PAIRS4_ASM, S32_TAIL4_);
#undef S32_ZERO
}
#else
#define S32_ASM 0
#endif

/* rows [i, k) of the block in C (all rows off Xtensa, the k % 4 tail on it); inlined, so that
 * the caller's accumulators can stay in registers */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void s32_rows_c(const int16_t *xb, const int8_t *w0, const int8_t *w1, const int16_t *v0,
                              const int16_t *v1, int32_t i, int32_t k, uint32_t *acc)
{
    uint32_t a00 = acc[0], a01 = acc[1], a10 = acc[2], a11 = acc[3], a20 = acc[4], a21 = acc[5];
    for (; i < k; ++i) {
        /* the low 16 bits of (w & 0xFF) << 8 are w * 256 as an int16; v0, v1: the same rows widened (w as
         * int16: exact products, scale 0), or NULL */
        const int32_t f0 = v0 != NULL ? v0[i] : (int32_t)(int16_t)(uint16_t)((uint32_t)(uint8_t)w0[i] << 8);
        const int32_t f1 = v1 != NULL ? v1[i] : (int32_t)(int16_t)(uint16_t)((uint32_t)(uint8_t)w1[i] << 8);
        const int32_t x0 = xb[4 * i], x1 = xb[4 * i + 1], x2 = xb[4 * i + 2];
        a00 += (uint32_t)(x0 * f0);
        a01 += (uint32_t)(x0 * f1);
        a10 += (uint32_t)(x1 * f0);
        a11 += (uint32_t)(x1 * f1);
        a20 += (uint32_t)(x2 * f0);
        a21 += (uint32_t)(x2 * f1);
    }
    acc[0] = a00;
    acc[1] = a01;
    acc[2] = a10;
    acc[3] = a11;
    acc[4] = a20;
    acc[5] = a21;
}

/* One slice (k <= S32_SLICE rows) into acc. The x' block has a spare row at k & ~3 for the
 * sentinel; its value is put back before the C tail reads it. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void s32_block3(int16_t *xb, const int8_t *w0, const int8_t *w1, int32_t k, uint32_t *acc)
{
    int32_t i = 0;
    acc[0] = acc[1] = acc[2] = acc[3] = acc[4] = acc[5] = 0;
#if S32_ASM
    {
        int16_t *const sent = xb + 4 * (k & ~3);
        const int16_t saved = *sent;
        *sent = S32_SENTINEL;
        s32_rows4(xb, (const uint8_t *)w0, (const uint8_t *)w1, acc);
        *sent = saved;
        i = k & ~3;
    }
#endif
    if (i < k) {
        s32_rows_c(xb, w0, w1, NULL, NULL, i, k, acc);
    }
}

/* What the per-block channel loop needs, passed by pointer: the loop lives in a function of its
 * own whose stack frame stays small (Xtensa's l32i reaches 1020 bytes: in the kernel's frame,
 * behind the x' block, every spilled scalar would cost three instructions). */

typedef struct s32_out_ctx {
    const int8_t *filter; /* the chunk's first weight row */
    const int16_t *filter_w16; /* the same widened (w as int16), or NULL: the pair loops' weights when set */
    const s32_rq *rq;     /* the chunk's requantisation constants and biases */
    int32_t k, nc, out_c;
    int32_t out_off, lo, hi;
    int32_t nb;           /* pixels a block: 4 (s32_pairs4) or 3 */
    int32_t fold;         /* the single-slice sums start at bias8 (s32_fold_bias), else at 0 */
    uint32_t *acc;        /* the block's sums, 4 * (NN_S32_CHUNK + 1) (the caller's: this frame stays small) */
} s32_out_ctx;

#if S32_ASM
/*
 * The requantisation of 3- or 4-pixel blocks with a ReLU clamp at the output offset (lo == out_off),
 * channel after channel in assembly: each channel's shortcut constants are loaded once (the bias
 * for each output: 13 registers, which -Os allocates too), its shift goes to SAR, and each of its
 * outputs is acc <= 0 -> out_off, the nn_rq32_out_relu shortcut below lim, or nn_rq32_pos past it
 * (S32_RQ_POS), then the clamp to hi. A channel without the shortcut (lim = 0) stops the loop
 * there, with cnt channels left (the caller does that channel in C and resumes). rq, a and y
 * advance with the channels.
 */
#define S32_RQ_OUT(P, ADDR, B)                                                                           \
    "l32i %[x], %[a], 4*" #P "\n\t"                                                                  \
    B                                                                                                 \
    "blti %[x], 1, 2" #P "f\n\t"                                                                     \
    "bge %[x], %[lim], 6" #P "f\n\t" /* S32_RQ_POS */                                                \
    "mull %[t], %[x], %[ml]\n\t"                                                                     \
    "mull %[x], %[x], %[mh]\n\t"                                                                     \
    "srli %[t], %[t], 16\n\t"                                                                        \
    "add %[x], %[x], %[t]\n\t"                                                                       \
    "add %[x], %[x], %[kk]\n\t"                                                                      \
    "srl %[x], %[x]\n"                                                                                \
    "7" #P ":\n\t"                                                                                   \
    "add %[x], %[x], %[off]\n\t"                                                                     \
    "bge %[hi], %[x], 3" #P "f\n\t"                                                                  \
    "mov %[x], %[hi]\n\t"                                                                            \
    "j 3" #P "f\n"                                                                                   \
    "2" #P ":\n\t"                                                                                   \
    "mov %[x], %[off]\n"                                                                             \
    "3" #P ":\n\t" ADDR                                                                              \
    "s8i %[x], a0, 0\n\t"
/*
 * Output P's sum past the shortcut (acc >= lim > 0), out of the loop's straight line (S32_POS3 /
 * S32_POS4 after the channel step): nn_rq32_pos in assembly. xh = acc >> 16 (lim), xl = acc & 0xFFFF
 * (kk), q = 2 xh mh + ((xh ml + xl mh + (xl ml >> 16) + 2^14) >> 15), every term as nn_rq32_pos
 * proves it in uint32; then y = (q + 2^(e-1)) >> e = (2^15 q + k) >> (15 + e) with k = 2^(14+e) (0 for
 * e = 0: y = q), the 47-bit numerator as a register pair (t:x) and SRC by SAR = s. lim and kk are
 * reloaded for the loop; the sum joins the shortcut's path at 7P (the offset and the clamp). A
 * channel without the shortcut (lim = 0) leaves the loop for C, as before.
 */
#define S32_RQ_POS(P)                                                                                    \
    "6" #P ":\n\t"                                                                                   \
    "beqz %[lim], 9f\n\t"                                                                            \
    "srli %[lim], %[x], 16\n\t"                                                                      \
    "extui %[kk], %[x], 0, 16\n\t"                                                                   \
    "mull %[t], %[kk], %[ml]\n\t"                                                                    \
    "srli %[t], %[t], 16\n\t"                                                                        \
    "mull %[x], %[lim], %[ml]\n\t"                                                                   \
    "add %[t], %[t], %[x]\n\t"                                                                       \
    "mull %[x], %[kk], %[mh]\n\t"                                                                    \
    "add %[t], %[t], %[x]\n\t"                                                                       \
    "addmi %[t], %[t], 0x4000\n\t"                                                                   \
    "srli %[t], %[t], 15\n\t"                                                                        \
    "mull %[x], %[lim], %[mh]\n\t"                                                                   \
    "addx2 %[t], %[x], %[t]\n\t" /* q */                                                             \
    "slli %[x], %[t], 15\n\t"                                                                        \
    "srli %[t], %[t], 17\n\t"                                                                        \
    "l32i %[kk], %[rq], %[o_k]\n\t"                                                                  \
    "add %[x], %[x], %[kk]\n\t"                                                                      \
    "bgeu %[x], %[kk], 8" #P "f\n\t"                                                                 \
    "addi %[t], %[t], 1\n"                                                                            \
    "8" #P ":\n\t"                                                                                   \
    "src %[x], %[t], %[x]\n\t"                                                                       \
    "l32i %[lim], %[rq], %[o_lim]\n\t"                                                               \
    "l32i %[kk], %[rq], %[o_kk]\n\t"                                                                 \
    "j 7" #P "b\n"
#define S32_POS3 S32_RQ_POS(0) S32_RQ_POS(1) S32_RQ_POS(2)
#define S32_POS4 S32_POS3 S32_RQ_POS(3)
/*
 * The same for other clamps (the linear bottlenecks: lo < out_off): nn_rq32_apply's shortcut in
 * assembly for |acc| <= 2^15 on channels where it holds with 1 <= e <= 15 (k != 0), then both
 * clamps: y = (T + k - [T < 0] 2^15) >> s with T = acc*mh + floor(acc*ml / 2^16) + 2^14 (the
 * [T < 0] 2^15 as (T >> 31) << 15). An accumulator outside [-2^15, 2^15) (the SLLI/SRAI pair
 * changes it) or a channel with k = 0 stops the loop as S32_REQUANT_N does.
 */
#define S32_RQ_LIN(P, ADDR, B)                                                                           \
    "l32i %[x], %[a], 4*" #P "\n\t"                                                                  \
    B                                                                                                 \
    "slli %[t], %[x], 16\n\t"                                                                        \
    "srai %[t], %[t], 16\n\t"                                                                        \
    "bne %[t], %[x], 9f\n\t"                                                                         \
    "mull %[t], %[x], %[ml]\n\t"                                                                     \
    "mull %[x], %[x], %[mh]\n\t"                                                                     \
    "srai %[t], %[t], 16\n\t"                                                                        \
    "add %[x], %[x], %[t]\n\t"                                                                       \
    "addmi %[x], %[x], 0x4000\n\t"                                                                   \
    "srai %[t], %[x], 31\n\t"                                                                        \
    "slli %[t], %[t], 15\n\t"                                                                        \
    "add %[x], %[x], %[t]\n\t"                                                                       \
    "add %[x], %[x], %[kq]\n\t"                                                                      \
    "sra %[x], %[x]\n\t"                                                                             \
    "add %[x], %[x], %[off]\n\t"                                                                     \
    "bge %[hi], %[x], 4" #P "f\n\t"                                                                  \
    "mov %[x], %[hi]\n"                                                                              \
    "4" #P ":\n\t"                                                                                   \
    "bge %[x], %[lo], 5" #P "f\n\t"                                                                  \
    "mov %[x], %[lo]\n"                                                                              \
    "5" #P ":\n\t" ADDR                                                                              \
    "s8i %[x], a0, 0\n\t"
/* one of a requantisation loop's six forms: the block width (nb, 4 or 3) selects M4 / M3, and what a
 * sum needs before the requantisation B: the shift back (scale 8: MUL16S sums of int8 weights) and the
 * bias when the sums do not start at it (biased 0), or nothing (exact sums with the bias: scale 0) */
#define S32_BY_BLOCK(M4, M3, ...)                                                                          \
    do {                                                                                                \
        if (scale == 0) {                                                                               \
            if (nb == 4) {                                                                              \
                M4(__VA_ARGS__, S32_EXACT);                                                             \
            } else {                                                                                    \
                M3(__VA_ARGS__, S32_EXACT);                                                             \
            }                                                                                           \
        } else if (nb == 4) {                                                                           \
            if (biased) {                                                                               \
                M4(__VA_ARGS__, S32_SHR8);                                                              \
            } else {                                                                                    \
                M4(__VA_ARGS__, S32_SHR8 S32_BIAS);                                                     \
            }                                                                                           \
        } else if (biased) {                                                                            \
            M3(__VA_ARGS__, S32_SHR8);                                                                  \
        } else {                                                                                        \
            M3(__VA_ARGS__, S32_SHR8 S32_BIAS);                                                         \
        }                                                                                               \
    } while (0)
/* B: the shift back of a MUL16S sum, the bias added in the loop (a chunk that does not fold it,
 * s32_fold_bias), or nothing */
#define S32_SHR8 "srai %[x], %[x], 8\n\t"
#define S32_BIAS "l32i %[t], %[rq], %[o_b]\n\t" "add %[x], %[x], %[t]\n\t"
#define S32_EXACT ""
/* pixel P's output address in a0 (free in these loops, saved by the caller's frame), a step each */
#define S32_ADDR0 "mov a0, %[y]\n\t"
#define S32_ADDR1 "add a0, a0, %[ys]\n\t"
#define S32_ADDR2 S32_ADDR1
#define S32_ADDR3 S32_ADDR1
/* a requantisation loop's step to the next channel (its constants, sums and output column) */
#define S32_RQ_NEXT(ASTEP) S32_RQ_STEP(ASTEP) "9:\n\t"
#define S32_RQ_STEP(ASTEP)                                                                               \
    "addi %[rq], %[rq], %[sz]\n\t"                                                                     \
    "addi %[a], %[a], " #ASTEP "\n\t"                                                                 \
    "addi %[y], %[y], 1\n\t"                                                                           \
    "addi %[cnt], %[cnt], -1\n\t"                                                                      \
    "j 1b\n"
#define S32_REQUANT_LIN_N(RQ, A, Y, YS, CNT, OFF, LO, HI, X, T, MH, ML, KQ, ASTEP, OUTS)                \
    __asm__ volatile("1:\n\t"                                                                         \
                     "beqz %[cnt], 9f\n\t"                                                            \
                     "l32i %[kq], %[rq], %[o_k]\n\t"                                                  \
                     "beqz %[kq], 9f\n\t" /* k = 0: no signed shortcut with e >= 1 */                 \
                     "l32i %[t], %[rq], %[o_s]\n\t"                                                   \
                     "ssr %[t]\n\t"                                                                   \
                     "l32i %[mh], %[rq], %[o_mh]\n\t"                                                 \
                     "l32i %[ml], %[rq], %[o_ml]\n\t"                                                 \
                     OUTS S32_RQ_NEXT(ASTEP)                                                          \
                     : [rq] "+r"(RQ), [a] "+r"(A), [y] "+r"(Y), [cnt] "+r"(CNT), [x] "=&r"(X),        \
                       [t] "=&r"(T), [mh] "=&r"(MH), [ml] "=&r"(ML), [kq] "=&r"(KQ)                   \
                     : [ys] "r"(YS), [off] "r"(OFF), [lo] "r"(LO), [hi] "r"(HI),                      \
                       [o_s] "i"(offsetof(s32_rq, s)), [o_mh] "i"(offsetof(s32_rq, mh)),          \
                       [o_ml] "i"(offsetof(s32_rq, ml)), [o_k] "i"(offsetof(s32_rq, k)),          \
                       [o_b] "i"(offsetof(s32_rq, bias)),                                               \
                       [sz] "i"(sizeof(s32_rq))                                                       \
                     : "a0", "memory")
/* a block's outputs of one channel: M (S32_RQ_OUT or S32_RQ_LIN) for pixels 0..2 or 0..3 */
#define S32_OUTS3(M, B) M(0, S32_ADDR0, B) M(1, S32_ADDR1, B) M(2, S32_ADDR2, B)
#define S32_OUTS4(M, B) S32_OUTS3(M, B) M(3, S32_ADDR3, B)
#define S32_REQUANT_LIN3(RQ, A, Y, YS, CNT, OFF, LO, HI, X, T, MH, ML, KQ, B)                           \
    S32_REQUANT_LIN_N(RQ, A, Y, YS, CNT, OFF, LO, HI, X, T, MH, ML, KQ, 12, S32_OUTS3(S32_RQ_LIN, B))
#define S32_REQUANT_LIN4(RQ, A, Y, YS, CNT, OFF, LO, HI, X, T, MH, ML, KQ, B)                           \
    S32_REQUANT_LIN_N(RQ, A, Y, YS, CNT, OFF, LO, HI, X, T, MH, ML, KQ, 16, S32_OUTS4(S32_RQ_LIN, B))
#define S32_REQUANT3(RQ, A, Y, YS, CNT, OFF, HI, X, T, MH, ML, LIM, KK, B)                              \
    S32_REQUANT_N(RQ, A, Y, YS, CNT, OFF, HI, X, T, MH, ML, LIM, KK, 12, S32_OUTS3(S32_RQ_OUT, B), S32_POS3)
#define S32_REQUANT4(RQ, A, Y, YS, CNT, OFF, HI, X, T, MH, ML, LIM, KK, B)                              \
    S32_REQUANT_N(RQ, A, Y, YS, CNT, OFF, HI, X, T, MH, ML, LIM, KK, 16, S32_OUTS4(S32_RQ_OUT, B), S32_POS4)
#define S32_REQUANT_N(RQ, A, Y, YS, CNT, OFF, HI, X, T, MH, ML, LIM, KK, ASTEP, OUTS, POS)             \
    __asm__ volatile("1:\n\t"                                                                         \
                     "beqz %[cnt], 9f\n\t"                                                            \
                     "l32i %[t], %[rq], %[o_s]\n\t"                                                   \
                     "ssr %[t]\n\t"                                                                   \
                     "l32i %[mh], %[rq], %[o_mh]\n\t"                                                 \
                     "l32i %[ml], %[rq], %[o_ml]\n\t"                                                 \
                     "l32i %[lim], %[rq], %[o_lim]\n\t"                                               \
                     "l32i %[kk], %[rq], %[o_kk]\n\t"                                                 \
                     OUTS S32_RQ_STEP(ASTEP) POS "9:\n\t"                                         \
                     : [rq] "+r"(RQ), [a] "+r"(A), [y] "+r"(Y), [cnt] "+r"(CNT), [x] "=&r"(X),        \
                       [t] "=&r"(T), [mh] "=&r"(MH), [ml] "=&r"(ML), [lim] "=&r"(LIM), [kk] "=&r"(KK)  \
                     : [ys] "r"(YS), [off] "r"(OFF), [hi] "r"(HI),                                   \
                       [o_s] "i"(offsetof(s32_rq, s)), [o_mh] "i"(offsetof(s32_rq, mh)),          \
                       [o_k] "i"(offsetof(s32_rq, k)),                                                \
                       [o_ml] "i"(offsetof(s32_rq, ml)), [o_lim] "i"(offsetof(s32_rq, lim)),      \
                       [o_kk] "i"(offsetof(s32_rq, kk)), [o_b] "i"(offsetof(s32_rq, bias)),                                                 \
                       [sz] "i"(sizeof(s32_rq))                                                       \
                     : "a0", "memory")
#endif

/* n outputs of one channel under a ReLU clamp in C (a sum past the assembly's shortcut, or every
 * block off Xtensa), out of line: inlined, its registers cost the assembly loops' glue more than the
 * call */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void s32_relu_channel(const s32_rq *rq, const int32_t *a, int32_t n, int32_t scale, int32_t b, int8_t *y,
                             ptrdiff_t step, int32_t out_off, int32_t lo, int32_t hi)
{
    int32_t p;
    for (p = 0; p < n; ++p) {
        y[p * step] = s32_out_relu(rq, (int32_t)((uint32_t)(a[p] >> scale) + (uint32_t)b), out_off, lo, hi);
    }
}

/*
 * The second pass of s32_channels: acc[nb j + p] holds channel j's sum for pixel p, 256 times
 * the reference's (scale 8) or exact (scale 0), with the bias in it (biased) or not; requantised
 * with the bias into y[p * out_c + j]. The assembly takes MUL16S sums and exact sums with the bias.
 */
#if defined(__GNUC__)
__attribute__((always_inline)) /* into s32_channels and s32_long (a call per block costs 0.1 M a MobileNet v2 run) */
#endif
static inline void s32_requant(const s32_out_ctx *o, const uint32_t *acc, int32_t np, int32_t scale, int biased,
                               int8_t *y)
{
    const int32_t nc = o->nc, nb = o->nb;
    /* the reference accumulators, (sum >> scale) + bias: their int32 values are proven by
     * the model reader, so the wrapping sums are exact */
    const int32_t out_off = o->out_off, lo = o->lo, hi = o->hi;
    const ptrdiff_t step = o->out_c;
    const int relu = lo >= out_off;
    const int32_t *a = (const int32_t *)(const void *)acc;
    const s32_rq *rq = o->rq;
    int32_t j = 0;
#if S32_ASM
    if (np == nb && (scale == 8 || biased) && lo == out_off) {
        while (j < nc) {
            int32_t cnt = nc - j, x, t, mh, ml, lim, kk;
            int8_t *yj = y + j;
            S32_BY_BLOCK(S32_REQUANT4, S32_REQUANT3, rq, a, yj, step, cnt, out_off, hi, x, t, mh, ml, lim, kk);
            j = nc - cnt;
            if (cnt > 0) { /* a channel with an output past the shortcut: in C */
                s32_relu_channel(rq, a, nb, scale, biased ? 0 : rq->bias, yj, step, out_off, lo, hi);
                ++j;
                ++rq;
                a += nb;
            }
        }
    } else if (np == nb && (scale == 8 || biased)) {
        while (j < nc) {
            int32_t cnt = nc - j, x, t, mh, ml, kq;
            int8_t *yj = y + j;
            S32_BY_BLOCK(S32_REQUANT_LIN4, S32_REQUANT_LIN3, rq, a, yj, step, cnt, out_off, lo, hi, x, t, mh, ml, kq);
            j = nc - cnt;
            if (cnt > 0) { /* a channel the shortcut does not serve: in C */
                const uint32_t b = biased ? 0u : (uint32_t)rq->bias;
                nn_rq32 q;
                int32_t p;
                s32_full(rq, &q);
                for (p = 0; p < nb; ++p) {
                    yj[p * step] = nn_rq32_out(&q, (int32_t)((uint32_t)(a[p] >> scale) + b), out_off, lo, hi, relu);
                }
                ++j;
                ++rq;
                a += nb;
            }
        }
    }
#endif
    for (; j < nc; ++j, a += nb, ++rq) {
        /* the bias: already in the sums when they started at it */
        const uint32_t b = biased ? 0u : (uint32_t)rq->bias;
        int32_t p;
        nn_rq32 q;
        if (relu) {
            s32_relu_channel(rq, a, np, scale, (int32_t)b, y + j, step, out_off, lo, hi);
            continue;
        }
        s32_full(rq, &q);
        for (p = 0; p < np; ++p) {
            y[j + p * step] = nn_rq32_out(&q, (int32_t)((uint32_t)(a[p] >> scale) + b), out_off, lo, hi, relu);
        }
    }
}

/*
 * Dot products of the block's np pixels with the chunk's channels, requantised into y (pixel p,
 * channel j at y[p * out_c + j]). Two passes: first every channel pair's sums into
 * acc[nb j + p] (256 times the sum of one slice, or the exact sum of several slices: scale), then
 * one loop requantises them, bias added, channel by channel (in assembly for a ReLU clamp).
 * nb = 4 (s32_pairs4, which the caller chose for the layer) or 3. s32_pairs4's 14 registers and
 * a0 are more than -Og's register allocator places: on Xtensa this function is compiled as at -O2
 * unless the build optimises for size (-Os allocates them).
 */
#if S32_ASM && defined(__GNUC__) && !defined(__OPTIMIZE_SIZE__) && !defined(__clang__)
__attribute__((noinline, optimize("O2")))
#elif defined(__GNUC__)
__attribute__((noinline))
#endif
static void s32_channels(const s32_out_ctx *o, int16_t *xb, int32_t np, int8_t *y)
{
    const int32_t k = o->k, nc = o->nc;
    uint32_t *const acc = o->acc;
    /* widened weights: exact sums of any window the x' block holds (int16 products, int32 sums) */
    const int wide = o->filter_w16 != NULL;
    int32_t j = 0, scale = wide ? 0 : 8, biased = o->fold;
#if S32_ASM
    if (s32_in_pairs(k, wide)) {
        /* every channel pair in assembly (an odd last channel as a pair with itself), the k % 4
         * rows first, the four-row groups to the sentinel at row k (the x' block's spare row) */
        const int32_t nb = o->nb, r = k & 3;
        int16_t *const sent = xb + 4 * k;
        const int16_t saved = *sent;
        s32_pairs_state st;
        /* the chunk's weight rows: widened (k int16 a row) when the caller has them, else int8 */
        const int32_t form = r + (wide ? 4 : 0);
        const uint8_t *const w = wide ? (const uint8_t *)o->filter_w16 : (const uint8_t *)o->filter;
        const ptrdiff_t row = wide ? 2 * k : k; /* bytes a weight row */
        *sent = S32_SENTINEL;
        st.acc = acc;
        st.xb = xb;
        st.k = (int32_t)row;
        st.pairs = nc >> 1;
        st.rq = o->rq;
        if (st.pairs > 0) {
            if (nb == 4) {
                s32_pairs4(&st, w, form);
            } else {
                s32_pairs(&st, w, form);
            }
        }
        if (nc & 1) { /* the odd last channel as a pair with itself */
            st.k = 0;
            st.pairs = 1;
            st.rq = o->rq + (nc - 1); /* its bias8, then rq[nc]'s (0: never stored) */
            if (nb == 4) {
                s32_pairs4(&st, w + (size_t)(nc - 1) * row, form);
            } else {
                s32_pairs(&st, w + (size_t)(nc - 1) * row, form);
            }
        }
        *sent = saved;
        j = nc;
    }
#endif
    for (; j < nc; j += 2) { /* nb == 3; on Xtensa only windows below 4 or past S32_SLICE rows (int8) */
        const int8_t *w0 = o->filter + (size_t)j * k;
        const int8_t *w1 = j + 1 < nc ? w0 + k : w0; /* an odd last channel: computed twice */
        const int16_t *v0 = o->filter_w16 != NULL ? o->filter_w16 + (size_t)j * k : NULL;
        const int16_t *v1 = v0 != NULL && j + 1 < nc ? v0 + k : v0;
        uint32_t t[6]; /* [p * 2 + r]: pixel p, channel j + r */
        int32_t p;
        if (k <= S32_SLICE || v0 != NULL) {
            t[0] = t[2] = t[4] = (uint32_t)o->rq[j].bias8; /* 0 unless the chunk folds its biases */
            t[1] = t[3] = t[5] = (uint32_t)o->rq[j + 1].bias8;
            s32_rows_c(xb, w0, w1, v0, v1, 0, k, t);
        } else {
            /* slices of at most 256 rows: each slice's shifted sum is exact */
            uint32_t part[6];
            int32_t s0;
            t[0] = t[1] = t[2] = t[3] = t[4] = t[5] = 0;
            for (s0 = 0; s0 < k; s0 += S32_SLICE) {
                const int32_t len = k - s0 < S32_SLICE ? k - s0 : S32_SLICE;
                s32_block3(xb + 4 * s0, w0 + s0, w1 + s0, len, part);
                for (p = 0; p < 6; ++p) {
                    t[p] += (uint32_t)((int32_t)part[p] >> 8);
                }
            }
            scale = 0;
            biased = 0;
        }
        for (p = 0; p < 3; ++p) {
            acc[3 * j + p] = t[2 * p];
            acc[3 * j + 3 + p] = t[2 * p + 1];
        }
    }
    s32_requant(o, acc, np, scale, biased, y);
}

/*
 * The pointwise window of np pixels (x, x + step, ...) into columns 0.. of the [k][4] block as
 * x + offset. With 4-aligned pixels and in_c a multiple of 4 (MobileNet layers in an aligned
 * arena) a pixel goes a word at a time: x ^ 0x80 turns each int8 into x + 128 as an unsigned
 * byte (EXTUI takes it out in one instruction), and offset - 128 is added back.
 */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
typedef uint32_t s32_word __attribute__((may_alias)); /* a word read of int8 data, allowed to alias it */
#define S32_WORDS 1
#else
#define S32_WORDS 0
#endif
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void fill_pointwise(const int8_t *x, ptrdiff_t step, int32_t np, int32_t in_c, int32_t off, int16_t *xb)
{
    int32_t p, i;
    const int words = S32_WORDS && ((in_c | (int32_t)step) & 3) == 0 && ((uintptr_t)x & 3u) == 0;
    for (p = 0; p < np; ++p, x += step) {
        int16_t *d = xb + p;
#if S32_WORDS
        if (words) {
            const s32_word *xw = (const s32_word *)(const void *)x;
            const int32_t off128 = off - 128;
            for (i = 0; i < in_c; i += 4, d += 16) {
                const uint32_t v = *xw++ ^ 0x80808080u; /* little-endian: byte j is channel i + j */
                d[0] = (int16_t)((int32_t)(v & 0xFFu) + off128);
                d[4] = (int16_t)((int32_t)((v >> 8) & 0xFFu) + off128);
                d[8] = (int16_t)((int32_t)((v >> 16) & 0xFFu) + off128);
                d[12] = (int16_t)((int32_t)(v >> 24) + off128);
            }
            continue;
        }
#endif
        for (i = 0; i < in_c; ++i) {
            d[4 * i] = (int16_t)(x[i] + off);
        }
    }
}

/*
 * A pointwise window longer than the x' block (k > NN_S32_KMAX, e.g. the 1280 inputs of a
 * MobileNet's FULLY_CONNECTED classifier): the block's np <= 3 pixels go through k in slices of
 * S32_SLICE rows, each widened into the x' block in turn; each slice's sums of a channel pair
 * (s32_block3: 256 times the slice's exact sum) are shifted back and added into acc[3 j + p],
 * whose total is the reference's sum (modulo 2^32, which the reader's int32 bound makes exact);
 * then s32_requant with scale 0.
 */
#if S32_ASM && defined(__GNUC__) && !defined(__OPTIMIZE_SIZE__) && !defined(__clang__)
__attribute__((noinline, optimize("O2")))
#elif defined(__GNUC__)
__attribute__((noinline))
#endif
static void s32_long(const s32_out_ctx *o, const int8_t *x, ptrdiff_t pstep, int32_t np, int32_t off, int16_t *xb,
                     int8_t *y)
{
    const int32_t k = o->k, nc = o->nc;
    uint32_t *const acc = o->acc;
    int32_t s0, j, p, i;
    for (j = 0; j < 3 * nc; ++j) {
        acc[j] = 0;
    }
    for (s0 = 0; s0 < k; s0 += S32_SLICE) {
        const int32_t len = k - s0 < S32_SLICE ? k - s0 : S32_SLICE;
        fill_pointwise(x + s0, pstep, np, len, off, xb);
        for (p = np; p < 3; ++p) { /* unused columns: zeros (computed, never stored) */
            for (i = 0; i < len; ++i) {
                xb[4 * i + p] = 0;
            }
        }
        for (j = 0; j < nc; j += 2) {
            const int8_t *w0 = o->filter + (size_t)j * k + s0;
            const int8_t *w1 = j + 1 < nc ? w0 + k : w0;
            uint32_t part[6]; /* [p * 2 + r]: pixel p, channel j + r */
            s32_block3(xb, w0, w1, len, part);
            for (p = 0; p < 3; ++p) {
                acc[3 * j + p] += (uint32_t)((int32_t)part[2 * p] >> 8);
                if (j + 1 < nc) {
                    acc[3 * j + 3 + p] += (uint32_t)((int32_t)part[2 * p + 1] >> 8);
                }
            }
        }
    }
    s32_requant(o, acc, np, 0, 0, y);
}

/*
 * Whether a chunk's single-slice sums may start at bias * 256 (the pair loops' s32_rq.bias8), so
 * that the requantisation adds no bias: the MUL16S sums are 256 times the reference's, exact while
 * |sum + bias| < 2^23. |sum| <= k * 128 * 255 for a window of k <= S32_SLICE inputs (k * 32640 <=
 * 8,355,840), so every |bias| < 2^23 - k * 32640 keeps it (MobileNets' biases are far below).
 */
static int s32_fold_bias(const int32_t *bias, int32_t nc, int32_t k)
{
    const int32_t room = k <= S32_SLICE ? (int32_t)(1 << 23) - k * 32640 : 0;
    int32_t j;
    if (room <= 0) {
        return 0;
    }
    for (j = 0; bias && j < nc; ++j) {
        if (bias[j] >= room || bias[j] <= -room) {
            return 0;
        }
    }
    return 1;
}

/* the kernel's loops, out of line with a small stack frame (the x' block and the constants are
 * the caller's: in one frame, every scalar spilled behind them costs three instructions) */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void s32_conv(s32_ctx *c, s32_out_ctx *o, s32_rq *rq, int16_t *xb, const nn_channel_quant *quant,
                     const int8_t *input, const int8_t *filter, const int16_t *filter_w16, const int32_t *bias,
                     int8_t *output)
{
    const nn_dims *input_dims = c->in, *output_dims = c->out;
    const int32_t in_c = input_dims->c, out_c = output_dims->c, out_w = output_dims->w, k = c->k;
    const int32_t off = c->p->input_offset;
    const ptrdiff_t pstep = (ptrdiff_t)c->p->stride_w * in_c;
    int32_t b, oy, ox, c0;
    for (c0 = 0; c0 < out_c; c0 += NN_S32_CHUNK) {
        o->nc = out_c - c0 < NN_S32_CHUNK ? out_c - c0 : NN_S32_CHUNK;
        o->filter = filter + (size_t)c0 * k;
        o->filter_w16 = filter_w16 != NULL ? filter_w16 + (size_t)c0 * k : NULL;
        /* widened weights: exact int32 sums, which may start at the bias (the reader's bound) */
        o->fold = filter_w16 != NULL ? 1 : s32_fold_bias(bias ? bias + c0 : NULL, o->nc, k);
        s32_prepare_chunk(rq, quant->multiplier + c0, quant->shift + c0, bias ? bias + c0 : NULL, o->nc, o->fold,
                          filter_w16 != NULL);
        rq[o->nc].bias8 = rq[o->nc + 1].bias8 = 0; /* read past an odd last channel and the last pair */
        for (b = 0; b < output_dims->n; ++b) {
            c->in_batch = input + (size_t)b * input_dims->h * input_dims->w * in_c;
            for (oy = 0; oy < output_dims->h; ++oy) {
                int8_t *y_row = output + (((size_t)b * output_dims->h + oy) * out_w) * out_c;
                for (ox = 0; ox < out_w;) {
                    const int32_t np = out_w - ox < o->nb ? out_w - ox : o->nb;
                    int32_t p, i;
                    if (c->pointwise && k > NN_S32_KMAX) {
                        s32_long(o, c->in_batch + ((size_t)(oy * c->p->stride_h) * input_dims->w +
                                                   (size_t)(ox * c->p->stride_w)) * in_c,
                                 pstep, np, off, xb, y_row + (size_t)ox * out_c + c0);
                        ox += np;
                        continue;
                    }
                    if (c->pointwise) {
                        fill_pointwise(c->in_batch + ((size_t)(oy * c->p->stride_h) * input_dims->w +
                                                      (size_t)(ox * c->p->stride_w)) * in_c,
                                       pstep, np, in_c, off, xb);
                    } else if (!fill_block_inside(c, oy, ox, np, xb)) {
                        for (p = 0; p < np; ++p) {
                            fill_window(c, oy, ox + p, xb, p);
                        }
                    }
                    for (p = np; p < o->nb; ++p) { /* unused columns: zeros (computed, never stored) */
                        for (i = 0; i < k; ++i) {
                            xb[4 * i + p] = 0;
                        }
                    }
                    s32_channels(o, xb, np, y_row + (size_t)ox * out_c + c0);
                    ox += np;
                }
            }
        }
    }
}

void nn_conv2d_s8_scalar(const nn_conv_params *params, const nn_channel_quant *quant,
                         const nn_dims *input_dims, const int8_t *input,
                         const nn_dims *filter_dims, const int8_t *filter,
                         const int32_t *bias,
                         const nn_dims *output_dims, int8_t *output)
{
    nn_conv2d_s8_scalar_w16(params, quant, input_dims, input, filter_dims, filter, NULL, bias, output_dims, output);
}

void nn_conv2d_s8_scalar_w16(const nn_conv_params *params, const nn_channel_quant *quant,
                              const nn_dims *input_dims, const int8_t *input,
                              const nn_dims *filter_dims, const int8_t *filter, const int16_t *filter_w16,
                              const int32_t *bias,
                              const nn_dims *output_dims, int8_t *output)
{
    const int32_t k = filter_dims->h * filter_dims->w * input_dims->c;
    int16_t xb[(NN_S32_KMAX + 4) * 4]; /* + a sentinel row */
    s32_rq rq[NN_S32_CHUNK + 2]; /* + the two entries the pair loops read past the chunk */
    uint32_t acc[4 * (NN_S32_CHUNK + 1)];
    s32_ctx c;
    s32_out_ctx o;
    nn_dims in_flat, out_flat;

    if (k > NN_S32_KMAX) { /* windows past the x' block read the int8 filter in slices */
        filter_w16 = NULL;
    }
    c.p = params;
    c.in = input_dims;
    c.f = filter_dims;
    c.out = output_dims;
    c.k = k;
    c.pointwise = filter_dims->h == 1 && filter_dims->w == 1 && params->pad_top == 0 && params->pad_left == 0 &&
                  (output_dims->h - 1) * params->stride_h < input_dims->h &&
                  (output_dims->w - 1) * params->stride_w < input_dims->w;
    if (c.pointwise && params->stride_h == 1 && params->stride_w == 1 && input_dims->h == output_dims->h &&
        input_dims->w == output_dims->w && output_dims->h > 1) {
        /* output pixel i reads input pixel i: the rows as one row of h * w pixels, so that blocks
         * run across rows (a 6x6 layer goes in 9 blocks of 4 pixels, not 12 of 3) */
        in_flat = *input_dims;
        out_flat = *output_dims;
        in_flat.w = out_flat.w = input_dims->h * input_dims->w;
        in_flat.h = out_flat.h = 1;
        c.in = &in_flat;
        c.out = &out_flat;
        output_dims = &out_flat;
    }
    if (k > NN_S32_KMAX && !c.pointwise) { /* larger windows than any MobileNet's: the reference's loops */
        nn_conv2d_s8(params, quant, input_dims, input, filter_dims, filter, bias, output_dims, output);
        return;
    }
    o.rq = rq;
    o.acc = acc;
    o.k = k;
    o.out_c = output_dims->c;
    o.out_off = params->output_offset;
    o.lo = params->act_min;
    o.hi = params->act_max;
    /* 4-pixel blocks (s32_pairs4) for rows of a multiple of 4 pixels and windows of one slice;
     * otherwise 3 (a 6-wide row in 4 + 2 would compute a quarter for nothing) */
    o.nb = S32_ASM && s32_in_pairs(k, filter_w16 != NULL) && (output_dims->w & 3) == 0 ? 4 : 3;
    s32_conv(&c, &o, rq, xb, quant, input, filter, filter_w16, bias, output);
}
