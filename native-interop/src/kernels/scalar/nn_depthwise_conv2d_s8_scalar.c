/*
 * nn_depthwise_conv2d_s8_scalar.c - DEPTHWISE_CONV_2D for a scalar 32-bit core (the board's
 * Xtensa), bit-identical to nn_depthwise_conv2d_s8.
 *
 * The input offset is folded: acc = bias + sum_taps w * (x + offset) = bias + sum w * x +
 * offset * sum w, where the second sum is over the in-bounds kernel rows' weights for the
 * interior columns (every kernel column inside the input), the same for a whole output row.
 *
 * 3x3 windows (no dilation across, stride 1 or 2) where at most the first column's first tap and
 * the last column's last tap fall outside the input (every SAME or VALID MobileNet layer) go a
 * whole output row of many channels at a time (dw3_batch): for each channel, each in-bounds kernel
 * row adds w0 x[i s] + w1 x[i s + 1] + w2 x[i s + 2] over the row (the inputs in registers, one
 * new input an output at stride 1 and two at stride 2, unrolled so that no register moves
 * remain: row3_s1, row3_s2, on Xtensa in assembly); a tap left or right of the input reads the
 * input zero point, whose w * zp cancels the folded w * offset exactly. Then one loop
 * requantises every channel of the row. Channel by channel inside one call, what a channel's
 * row costs beyond its taps is a few instructions: one call per channel and row cost more than
 * the taps of a 6-wide row (the 6x6 layers of a 96x96 MobileNet). With the filter also given
 * widened (nn_depthwise_conv2d_s8_scalar_w16: [ky][c][kx] int16), a channel's three weights of a
 * row are three loads (DW_W16) instead of three loads, two adds and six shifts (DW_W8).
 *
 * Other kernels keep one output row of one channel at a time, the row's accumulators in a stack
 * array, each in-bounds kernel row adding its taps to the interior columns, and the border
 * columns adding (x + offset) * w for in-bounds taps. Either way padding adds exactly zero, and
 * every partial sum is a sum of a subset of the reference's terms (products, bias, offset * w),
 * within the int32 bound the model reader proves. Requantisation: nn_rq32.h. Stack: the 3x3
 * path's NN_S32_DW_ACC sums (1.5 KB), the other path's NN_S32_DW_COLS sums and the weights.
 */
#include "nn_kernels_scalar.h"
#include "nn_rq32.h"

#ifndef NN_S32_DW_COLS
#define NN_S32_DW_COLS 64
#endif
/* larger windows (never in a MobileNet) take the reference kernel */
#define NN_S32_DW_MAX_K 16
#define NN_S32_DW_MAX_TAPS 64

/* x / stride for x >= 0: a shift for the usual strides (division is a library call on the board) */
static int32_t div_stride(int32_t x, int32_t stride)
{
    return stride == 1 ? x : stride == 2 ? x >> 1 : x / stride;
}

/* output columns [lo, hi) of [0, n) whose input column o * stride + base lies in [0, in_w):
 * nn_tap_range (nn_kernel_util.h) without its divisions, which cost 0.2 M instructions a
 * person_detect inference on the lx106 (a shortcut inside nn_tap_range cost x86 20 k instead) */
static void tap_range(int32_t n, int32_t stride, int32_t base, int32_t in_w, int32_t *lo, int32_t *hi)
{
    int32_t l = base >= 0 ? 0 : div_stride(-base + stride - 1, stride);
    int32_t h = in_w - 1 - base < 0 ? 0 : div_stride(in_w - 1 - base, stride) + 1;
    if (h > n) {
        h = n;
    }
    if (l > h) {
        l = h;
    }
    *lo = l;
    *hi = h;
}

/* The row loops stay out of line: inlined, they share the kernel's registers and spill. */
#if defined(__GNUC__)
#define S32_NOINLINE __attribute__((noinline))
#else
#define S32_NOINLINE
#endif

#if defined(__GNUC__)
#define S32_INLINE inline __attribute__((always_inline))
#else
#define S32_INLINE inline
#endif

#if defined(__XTENSA__) && defined(__OPTIMIZE__) && !defined(NN_S32_NO_ASM)
#define DW_ASM 1
#else
#define DW_ASM 0
#endif

/*
 * The 3-wide rows multiply in MUL16S form: an int8 input x is held as v = (x & 0xFF) << 8, whose
 * low 16 bits are 256 x as an int16 (a byte load and a shift: the lx106 has no sign-extending
 * byte load), and a weight as an int16, so one 16 x 16-bit multiply gives 256 x w. The row sums
 * are 256 times the reference's partial sums, |256 * sum of 9 x w| <= 9 * 2^22, and the
 * requantisation pass shifts them back exactly (a sum of multiples of 256).
 */
#define DW_V(p) ((int32_t)((uint32_t)(uint8_t) * (p) << 8))
#define DW_MUL(v, w) ((int32_t)(int16_t)(uint16_t)(v) * (int32_t)(w))

/* What one output row of one channel of a 3-wide kernel shares with the chunk's other rows. */
typedef struct dw3_ctx {
    ptrdiff_t xs;           /* bytes between horizontal neighbours of a channel */
    ptrdiff_t x0;           /* byte offset in the input row of the first input the row reads */
    ptrdiff_t y_step;       /* bytes between output columns (out_c) */
    int32_t n, sw, lz, rz;  /* columns, stride, zero point left of the input / right of it */
    int32_t vz;             /* the input zero point (-input_offset) in v form */
    int32_t off;            /* the input offset */
    int32_t mult;           /* the depth multiplier */
    int32_t out_off, act_min, act_max;
    ptrdiff_t fw_row;       /* widened filter (nn_depthwise_conv2d_s8_scalar_w16): elements a kernel row, 3 out_c */
} dw3_ctx;

/*
 * One 3-wide kernel row over n output columns:
 *   a[i] = (first ? 0 : a[i]) + 256 (w0 v[i s] + w1 v[i s + 1] + w2 v[i s + 2]),
 * where v is the input row (xs bytes between columns, starting at xp) preceded by the zero point
 * when lz (the first column's first tap is left of the input) and followed by it when rz (the
 * last column's last tap is right of it): w * zp cancels the folded w * offset, so such a tap adds
 * exactly nothing. The inputs stay in registers: stride 1 loads one new input an output, stride 2
 * two. These are the C form (row3_s1, row3_s2, every target but Xtensa); on Xtensa DW_PASS runs the
 * same rows for every channel in assembly, unrolled so that no register moves remain (gcc's
 * schedule of the C spills). (No / or %: even by a constant they are library calls on the lx106.)
 */
#if DW_ASM
/* output OFF of a group: s = (first ? 0 : a[OFF]) + A w0 + B w1 + C w2 */
#define DW_OUT_ADD(OFF, A, B, C)                                                                         \
    "l32i %[s], %[a], " #OFF "\n\t"                                                                     \
    "mul16s %[t], %[" #A "], %[w0]\n\t"                                                                 \
    "add %[s], %[s], %[t]\n\t" DW_OUT_REST(OFF, B, C)
#define DW_OUT_SET(OFF, A, B, C) "mul16s %[s], %[" #A "], %[w0]\n\t" DW_OUT_REST(OFF, B, C)
#define DW_OUT_REST(OFF, B, C)                                                                           \
    "mul16s %[t], %[" #B "], %[w1]\n\t"                                                                 \
    "add %[s], %[s], %[t]\n\t"                                                                          \
    "mul16s %[t], %[" #C "], %[w2]\n\t"                                                                 \
    "add %[s], %[s], %[t]\n\t"                                                                          \
    "s32i %[s], %[a], " #OFF "\n\t"
#define DW_LOAD(V)                                                                                       \
    "l8ui %[" #V "], %[xp], 0\n\t"                                                                      \
    "add %[xp], %[xp], %[xs]\n\t"                                                                       \
    "slli %[" #V "], %[" #V "], 8\n\t"
/*
 * One kernel row of every channel of a dw3_batch call in one assembly loop (dw3_passes): per
 * channel, its three weights (sign-extended from the filter), the zero point or the first inputs,
 * the row loop of row3_s1 / row3_s2, the last column when rz, and the weight sum after the row's
 * sums; the loop state lives in dw3_passes' frame and is reached through memory operands, so the
 * row loop keeps its 12 registers. BODY: DW_S1_BODY / DW_S2_BODY, FIRST: DW_OUT_SET (the row's
 * first kernel row) or DW_OUT_ADD.
 */
#define DW_S1_BODY(OUT)                                                                                  \
    "1:\n\t"                                                                                            \
    "blti %[cnt], 3, 2f\n\t" DW_LOAD(v2) OUT(0, v0, v1, v2) DW_LOAD(v0) OUT(4, v1, v2, v0)              \
    DW_LOAD(v1) OUT(8, v2, v0, v1)                                                                      \
    "addi %[a], %[a], 12\n\t"                                                                           \
    "addi %[cnt], %[cnt], -3\n\t"                                                                       \
    "j 1b\n"                                                                                            \
    "2:\n\t"                                                                                            \
    "beqz %[cnt], 3f\n\t" DW_LOAD(v2) OUT(0, v0, v1, v2)                                                \
    "mov %[v0], %[v1]\n\t"                                                                              \
    "mov %[v1], %[v2]\n\t"                                                                              \
    "addi %[a], %[a], 4\n\t"                                                                            \
    "addi %[cnt], %[cnt], -1\n\t"                                                                       \
    "j 2b\n"                                                                                            \
    "3:\n\t"                                                                                            \
    "l32i %[t], %[m_rz]\n\t"                                                                            \
    "beqz %[t], 5f\n\t"                                                                                 \
    "l32i %[v2], %[m_vz]\n\t" OUT(0, v0, v1, v2)                                                        \
    "addi %[a], %[a], 4\n"                                                                              \
    "5:\n\t"
#define DW_S2_BODY(OUT)                                                                                  \
    "1:\n\t"                                                                                            \
    "blti %[cnt], 2, 2f\n\t" DW_LOAD(v1) DW_LOAD(v2) OUT(0, v0, v1, v2) DW_LOAD(v1) DW_LOAD(v0)         \
    OUT(4, v2, v1, v0)                                                                                  \
    "addi %[a], %[a], 8\n\t"                                                                            \
    "addi %[cnt], %[cnt], -2\n\t"                                                                       \
    "j 1b\n"                                                                                            \
    "2:\n\t"                                                                                            \
    "beqz %[cnt], 3f\n\t" DW_LOAD(v1) DW_LOAD(v2) OUT(0, v0, v1, v2)                                    \
    "mov %[v0], %[v2]\n\t"                                                                              \
    "addi %[a], %[a], 4\n"                                                                              \
    "3:\n\t"                                                                                            \
    "l32i %[t], %[m_rz]\n\t"                                                                            \
    "beqz %[t], 5f\n\t"                                                                                 \
    "l8ui %[v1], %[xp], 0\n\t"                                                                          \
    "slli %[v1], %[v1], 8\n\t"                                                                          \
    "l32i %[v2], %[m_vz]\n\t" OUT(0, v0, v1, v2)                                                        \
    "addi %[a], %[a], 4\n"                                                                              \
    "5:\n\t"
#define DW_SUM_SET                                                                                       \
    "add %[s], %[w0], %[w1]\n\t"                                                                        \
    "add %[s], %[s], %[w2]\n\t"                                                                         \
    "s32i %[s], %[a], 0\n\t"
#define DW_SUM_ADD                                                                                       \
    "l32i %[s], %[a], 0\n\t"                                                                            \
    "add %[s], %[s], %[w0]\n\t"                                                                         \
    "add %[s], %[s], %[w1]\n\t"                                                                         \
    "add %[s], %[s], %[w2]\n\t"                                                                         \
    "s32i %[s], %[a], 0\n\t"
#define DW_SEXT(W)                                                                                       \
    "slli %[" #W "], %[" #W "], 24\n\t"                                                                 \
    "srai %[" #W "], %[" #W "], 24\n\t"
/* the next channel's input row: every channel (depth multiplier 1), or every mult-th (DW_NEXT_M) */
#define DW_NEXT_1                                                                                        \
    "l32i %[s], %[m_xr]\n\t"                                                                           \
    "addi %[s], %[s], 1\n\t"                                                                           \
    "s32i %[s], %[m_xr]\n\t"
#define DW_NEXT_M                                                                                        \
    "l32i %[t], %[m_mc]\n\t"                                                                           \
    "addi %[t], %[t], 1\n\t"                                                                           \
    "l32i %[s], %[m_mult]\n\t"                                                                         \
    "bne %[t], %[s], 13f\n\t"                                                                          \
    "movi %[t], 0\n\t" DW_NEXT_1                                                                      \
    "13:\n\t"                                                                                          \
    "s32i %[t], %[m_mc]\n\t"
/* the row's first inputs: the zero point when lz (the first column's first tap left of the input) */
#define DW_START_ANY                                                                                     \
    "l32i %[cnt], %[m_cnt0]\n\t"                                                                       \
    "l32i %[t], %[m_lz]\n\t"                                                                           \
    "beqz %[t], 11f\n\t"                                                                               \
    "l32i %[v0], %[m_vz]\n\t"                                                                          \
    "j 12f\n"                                                                                          \
    "11:\n\t" DW_LOAD(v0) "12:\n\t"
#define DW_START_LZ "l32i %[v0], %[m_vz]\n\t"
/*
 * A SAME row of 6 or 3 outputs at stride 1 (lz and rz: MobileNet v2's 6x6 and 3x3 layers)
 * unrolled: the loop's remainder steps and the rz tail cost more than these rows' taps.
 */
#define DW_S1_N6(OUT)                                                                                    \
    DW_LOAD(v2) OUT(0, v0, v1, v2) DW_LOAD(v0) OUT(4, v1, v2, v0) DW_LOAD(v1) OUT(8, v2, v0, v1)        \
    DW_LOAD(v2) OUT(12, v0, v1, v2) DW_LOAD(v0) OUT(16, v1, v2, v0)                                     \
    "l32i %[v1], %[m_vz]\n\t" OUT(20, v2, v0, v1) "addi %[a], %[a], 24\n\t"
#define DW_S1_N3(OUT)                                                                                    \
    DW_LOAD(v2) OUT(0, v0, v1, v2) DW_LOAD(v0) OUT(4, v1, v2, v0)                                       \
    "l32i %[v1], %[m_vz]\n\t" OUT(8, v2, v0, v1) "addi %[a], %[a], 12\n\t"
/* a channel's three weights of the kernel row: from the int8 filter (out_c apart, sign-extended), or
 * from the widened one (nn_depthwise_conv2d_s8_scalar_w16: three int16 together, no extension) */
#define DW_W8                                                                                            \
    "l32i %[s], %[m_fk]\n\t"                                                                           \
    "l32i %[t], %[m_fs]\n\t"                                                                           \
    "l8ui %[w0], %[s], 0\n\t"                                                                          \
    "add %[s], %[s], %[t]\n\t"                                                                         \
    "l8ui %[w1], %[s], 0\n\t"                                                                          \
    "add %[s], %[s], %[t]\n\t"                                                                         \
    "l8ui %[w2], %[s], 0\n\t" DW_SEXT(w0) DW_SEXT(w1) DW_SEXT(w2)                                      \
    "l32i %[s], %[m_fk]\n\t"                                                                           \
    "addi %[s], %[s], 1\n\t"                                                                           \
    "s32i %[s], %[m_fk]\n\t"
#define DW_W16                                                                                           \
    "l32i %[s], %[m_fk]\n\t"                                                                           \
    "l16si %[w0], %[s], 0\n\t"                                                                         \
    "l16si %[w1], %[s], 2\n\t"                                                                         \
    "l16si %[w2], %[s], 4\n\t"                                                                         \
    "addi %[s], %[s], 6\n\t"                                                                           \
    "s32i %[s], %[m_fk]\n\t"
#define DW_PASS(W, BODY, OUT, V1PRE, SUM, NEXT) DW_PASS_FROM(W, DW_START_ANY, BODY, OUT, V1PRE, SUM, NEXT)
#define DW_PASS_FROM(W, START, BODY, OUT, V1PRE, SUM, NEXT)                                              \
    __asm__ volatile("10:\n\t"                                                                          \
                     "l32i %[t], %[m_left]\n\t"                                                         \
                     "beqz %[t], 99f\n\t"                                                               \
                     "addi %[t], %[t], -1\n\t"                                                          \
                     "s32i %[t], %[m_left]\n\t" W                                                      \
                     "l32i %[xp], %[m_xr]\n\t"                                                          \
                     "l32i %[a], %[m_acc]\n\t"                                                          \
                     START V1PRE BODY(OUT) SUM                                                         \
                     "addi %[t], %[a], 4\n\t" /* past the sum slot: the next channel's sums */            \
                     "s32i %[t], %[m_acc]\n\t" NEXT                                                    \
                     "j 10b\n"                                                                          \
                     "99:\n\t"                                                                          \
                     : [a] "=&r"(a), [xp] "=&r"(xp), [cnt] "=&r"(cnt), [v0] "=&r"(v0), [v1] "=&r"(v1),  \
                       [v2] "=&r"(v2), [s] "=&r"(s), [t] "=&r"(t), [w0] "=&r"(w0), [w1] "=&r"(w1),      \
                       [w2] "=&r"(w2), [m_left] "+m"(st.left), [m_fk] "+m"(st.fk), [m_xr] "+m"(st.xr), \
                       [m_mc] "+m"(st.mc), [m_acc] "+m"(st.acc)                                        \
                     : [xs] "r"(xs), [m_fs] "m"(st.fs), [m_cnt0] "m"(st.cnt0), [m_lz] "m"(st.lz),     \
                       [m_rz] "m"(st.rz), [m_vz] "m"(st.vz), \
                       [m_mult] "m"(st.mult)                                                           \
                     : "memory")
#endif

/* a[0] = (first ? 0 : a[0]) + A w0 + B w1 + C w2, the C form of one output */
#define DW_ONE(A, B, C) (first ? 0 : *a) + DW_MUL(A, w0) + DW_MUL(B, w1) + DW_MUL(C, w2)

static S32_INLINE void row3_s1(int32_t *a, const int8_t *xp, const dw3_ctx *c, int32_t w0, int32_t w1, int32_t w2,
                              int first)
{
    const ptrdiff_t xs = c->xs;
    int32_t cnt = c->n - c->rz;
    int32_t v0, v1, v2;
    if (c->lz) {
        v0 = c->vz;
    } else {
        v0 = DW_V(xp);
        xp += xs;
    }
    v1 = DW_V(xp);
    xp += xs;
    for (; cnt > 0; --cnt) {
        v2 = DW_V(xp);
        xp += xs;
        *a = DW_ONE(v0, v1, v2);
        ++a;
        v0 = v1;
        v1 = v2;
    }
    if (c->rz) {
        *a = DW_ONE(v0, v1, c->vz);
    }
}

static S32_INLINE void row3_s2(int32_t *a, const int8_t *xp, const dw3_ctx *c, int32_t w0, int32_t w1, int32_t w2,
                              int first)
{
    const ptrdiff_t xs = c->xs;
    int32_t cnt = c->n - c->rz;
    int32_t v0, v1, v2;
    if (c->lz) {
        v0 = c->vz;
    } else {
        v0 = DW_V(xp);
        xp += xs;
    }
    for (; cnt > 0; --cnt) {
        v1 = DW_V(xp);
        xp += xs;
        v2 = DW_V(xp);
        xp += xs;
        *a = DW_ONE(v0, v1, v2);
        ++a;
        v0 = v2;
    }
    if (c->rz) {
        v1 = DW_V(xp);
        *a = DW_ONE(v0, v1, c->vz);
    }
}

/* acc[i] += w x[i * step] for i in [0, n) (any kernel width, stride or dilation) */
static S32_NOINLINE void row_tap(int32_t *a, const int8_t *xp, ptrdiff_t step, int32_t n, int32_t w)
{
    int32_t i;
    for (i = 0; i < n; ++i) {
        a[i] += *xp * w;
        xp += step;
    }
}

/* sums of one dw3_batch call: channels x (columns + 1); 400 takes the 8 channels of a 48-wide
 * row of a depth multiplier of 8 (the first layer of person_detect) */
#ifndef NN_S32_DW_ACC
#define NN_S32_DW_ACC 400
#endif

/* the channel loop of one kernel row in dw3_batch: ROW (row3_s1 / row3_s2) with FIRST constant; the
 * weights from the int8 filter (fk) or the widened one (fwk, when not NULL) */
#define DW_CHANNELS(ROW, FIRST)                                                                          \
    for (j = 0, m = 0; j < nch; ++j, a += n + 1, ++fk, fwk = fwk != NULL ? fwk + 3 : NULL) {             \
        const int32_t w0 = fwk != NULL ? fwk[0] : fk[0];                                                 \
        const int32_t w1 = fwk != NULL ? fwk[1] : fk[fs];                                                \
        const int32_t w2 = fwk != NULL ? fwk[2] : fk[2 * fs];                                            \
        ROW(a, xr, c, w0, w1, w2, FIRST);                                                                \
        a[n] = (FIRST ? 0 : a[n]) + w0 + w1 + w2; /* the in-bounds rows' weight sum */                   \
        if (++m == mult) { /* the next input channel */                                                  \
            m = 0;                                                                                       \
            ++xr;                                                                                        \
        }                                                                                                \
    }

/*
 * One output row of nch channels, depth multiplier 1 (every MobileNet depthwise layer), 3-wide
 * rows: channel by channel, each in-bounds kernel row adds its taps into the channel's slice of
 * acc (the first sets it), then one loop requantises every channel with init = bias + offset *
 * the in-bounds rows' weight sum. The channel loop is inside, so what one channel's row costs
 * beyond its taps is a few instructions (a call per channel and row cost more than the taps of a
 * 6-wide row). rows[ky]: kernel row ky's input row at the first channel, or NULL outside the
 * input; f: the filter at the first channel; y: the output row at the first channel.
 */
/* the loop state of one DW_PASS, in dw3_passes' frame */
typedef struct dw_pass_state {
    int32_t left;      /* channels left */
    const int8_t *fk;  /* the next channel's first weight of the kernel row */
    const int8_t *xr;  /* the next channel's input row (at the chunk's first column) */
    int32_t mc;        /* outputs of the current input channel done (depth multiplier) */
    int32_t *acc;      /* the next channel's sums */
    int32_t fs;        /* out_c: between a channel's taps in the filter */
    int32_t cnt0;      /* columns before the last when rz, else all */
    int32_t lz, rz, vz, mult;
} dw_pass_state;

static S32_NOINLINE void dw3_passes(const dw3_ctx *c, const int8_t *const *rows, const int8_t *f, const int16_t *fw,
                                    int32_t nch, int32_t *acc)
{
    const int32_t n = c->n;
    const ptrdiff_t fs = c->y_step; /* out_c: between a channel's taps in the filter */
    int32_t j, ky, first = 1;
#if DW_ASM
    const ptrdiff_t xs = c->xs;
    dw_pass_state st;
    int32_t *a, cnt, v0, v1, v2, s, t, w0, w1, w2;
    const int8_t *xp;
    st.fs = (int32_t)fs;
    st.cnt0 = n - c->rz;
    st.lz = c->lz;
    st.rz = c->rz;
    st.vz = c->vz;
    st.mult = c->mult;
    for (ky = 0; ky < 3; ++ky) {
        if (rows[ky] == NULL) {
            continue;
        }
        st.left = nch;
        st.fk = fw != NULL ? (const int8_t *)(const void *)(fw + ky * c->fw_row) : f + 3 * ky * fs;
        st.xr = rows[ky] + c->x0;
        st.mc = 0;
        st.acc = acc;
#define DW_PASSES(W, NEXT)                                                                                  \
    if (c->sw == 1) {                                                                                    \
        if (first) {                                                                                     \
            DW_PASS(W, DW_S1_BODY, DW_OUT_SET, DW_LOAD(v1), DW_SUM_SET, NEXT);                              \
        } else {                                                                                         \
            DW_PASS(W, DW_S1_BODY, DW_OUT_ADD, DW_LOAD(v1), DW_SUM_ADD, NEXT);                              \
        }                                                                                                \
    } else {                                                                                             \
        if (first) {                                                                                     \
            DW_PASS(W, DW_S2_BODY, DW_OUT_SET, "", DW_SUM_SET, NEXT);                                       \
        } else {                                                                                         \
            DW_PASS(W, DW_S2_BODY, DW_OUT_ADD, "", DW_SUM_ADD, NEXT);                                       \
        }                                                                                                \
    }
#define DW_ALL(W) \
        if (st.mult == 1 && c->sw == 1 && c->lz && c->rz && (n == 6 || n == 3)) { \
            if (n == 6) { \
                if (first) { \
                    DW_PASS_FROM(W, DW_START_LZ, DW_S1_N6, DW_OUT_SET, DW_LOAD(v1), DW_SUM_SET, DW_NEXT_1); \
                } else { \
                    DW_PASS_FROM(W, DW_START_LZ, DW_S1_N6, DW_OUT_ADD, DW_LOAD(v1), DW_SUM_ADD, DW_NEXT_1); \
                } \
            } else if (first) { \
                DW_PASS_FROM(W, DW_START_LZ, DW_S1_N3, DW_OUT_SET, DW_LOAD(v1), DW_SUM_SET, DW_NEXT_1); \
            } else { \
                DW_PASS_FROM(W, DW_START_LZ, DW_S1_N3, DW_OUT_ADD, DW_LOAD(v1), DW_SUM_ADD, DW_NEXT_1); \
            } \
        } else if (st.mult == 1) { \
            DW_PASSES(W, DW_NEXT_1) \
        } else { \
            DW_PASSES(W, DW_NEXT_M) \
        }
        if (fw != NULL) {
            DW_ALL(DW_W16)
        } else {
            DW_ALL(DW_W8)
        }
#undef DW_ALL
#undef DW_PASSES
        first = 0;
    }
    (void)a; (void)cnt; (void)v0; (void)v1; (void)v2; (void)s; (void)t; (void)w0; (void)w1; (void)w2; (void)xp;
#else
    const int32_t mult = c->mult;
    int32_t m;
    for (ky = 0; ky < 3; ++ky) {
        const int8_t *xr = rows[ky];
        const int8_t *fk = f + 3 * ky * fs;
        const int16_t *fwk = fw != NULL ? fw + ky * c->fw_row : NULL;
        int32_t *a = acc;
        if (xr == NULL) {
            continue;
        }
        xr += c->x0;
        if (c->sw == 1) {
            if (first) {
                DW_CHANNELS(row3_s1, 1)
            } else {
                DW_CHANNELS(row3_s1, 0)
            }
        } else {
            if (first) {
                DW_CHANNELS(row3_s2, 1)
            } else {
                DW_CHANNELS(row3_s2, 0)
            }
        }
        first = 0;
    }
#endif
    if (first) { /* no kernel row inside the input (never in a MobileNet) */
        for (j = 0; j < nch * (n + 1); ++j) {
            acc[j] = 0;
        }
    }
}

/* the requantisation of dw3_batch: channel j's row from acc + j (n + 1), its in-bounds rows'
 * weight sum after it; init = bias + offset * that sum */
#if DW_ASM
/* the loop state of dw3_requant_asm, in its caller's frame */
typedef struct dw_rq_state {
    int32_t left;         /* channels left */
    const int32_t *mp;    /* the next channel's multiplier */
    const int32_t *sp;    /* its shift */
    const int32_t *bp;    /* its bias (NULL: none) */
    const int32_t *acc;   /* its sums (n of them, then the weight sum) */
    int8_t *y;            /* its first output */
    int32_t n, ioff;      /* outputs a channel, the input offset */
} dw_rq_state;

/*
 * ReLU clamps (lo == out_off) on Xtensa: every channel of the batch in one assembly loop, each
 * channel's shortcut constants (nn_rq32_prepare_shortcut) computed from its multiplier and shift
 * in registers and init = bias + offset * the weight sum, then nn_rq32_relu_run's output loop.
 * Stops at a channel the shortcut does not serve (e outside [0, 15], or an output >= 2^16) with
 * the state at that channel; the caller does it in C and calls again. Per channel this is about
 * 50 instructions, against 80 for the C loop (a row is 3 or 6 outputs in most layers).
 */
static S32_INLINE void dw3_requant_asm(dw_rq_state *st, int32_t out_off, int32_t hi, ptrdiff_t ys)
{
    int32_t t, x, kk, mh, ml, cnt, add, lim;
    const int32_t *a;
    int8_t *y;
    __asm__ volatile("10:\n\t"
                     "l32i %[t], %[m_left]\n\t"
                     "beqz %[t], 99f\n\t"
                     "l32i %[x], %[m_sp]\n\t"
                     "l32i %[x], %[x], 0\n\t"
                     "neg %[x], %[x]\n\t" /* e; the shortcut needs 0 <= e <= 15 */
                     "bgeui %[x], 16, 99f\n\t"
                     "movi %[kk], 0\n\t"
                     "beqz %[x], 11f\n\t"
                     "addi %[t], %[x], 14\n\t"
                     "ssl %[t]\n\t"
                     "movi %[kk], 1\n\t"
                     "sll %[kk], %[kk]\n" /* 2^(14 + e) */
                     "11:\n\t"
                     "addmi %[kk], %[kk], 0x4000\n\t"
                     "addi %[t], %[x], 15\n\t"
                     "ssr %[t]\n\t" /* s = 15 + e in SAR for the channel's outputs */
                     "l32i %[x], %[m_mp]\n\t"
                     "l32i %[x], %[x], 0\n\t"
                     "srai %[mh], %[x], 16\n\t"
                     "extui %[ml], %[x], 0, 16\n\t"
                     "l32i %[a], %[m_acc]\n\t"
                     "l32i %[cnt], %[m_n]\n\t"
                     "addx4 %[x], %[cnt], %[a]\n\t"
                     "l32i %[x], %[x], 0\n\t"
                     "l32i %[t], %[m_ioff]\n\t"
                     "mull %[add], %[x], %[t]\n\t"
                     "l32i %[t], %[m_bp]\n\t"
                     "beqz %[t], 12f\n\t"
                     "l32i %[t], %[t], 0\n\t"
                     "add %[add], %[add], %[t]\n"
                     "12:\n\t"
                     "l32i %[y], %[m_y]\n\t"
                     "movi %[lim], 1\n\t"
                     "slli %[lim], %[lim], 16\n"
                     NN_RQ32_RELU_LOOP("kk", "cnt", "99f", "4f")
                     "4:\n\t" /* the channel is done: the next one */
                     "l32i %[t], %[m_left]\n\t"
                     "addi %[t], %[t], -1\n\t"
                     "s32i %[t], %[m_left]\n\t"
                     "l32i %[t], %[m_sp]\n\t"
                     "addi %[t], %[t], 4\n\t"
                     "s32i %[t], %[m_sp]\n\t"
                     "l32i %[t], %[m_mp]\n\t"
                     "addi %[t], %[t], 4\n\t"
                     "s32i %[t], %[m_mp]\n\t"
                     "l32i %[t], %[m_bp]\n\t"
                     "beqz %[t], 5f\n\t"
                     "addi %[t], %[t], 4\n\t"
                     "s32i %[t], %[m_bp]\n"
                     "5:\n\t"
                     "addi %[t], %[a], 4\n\t" /* past the weight sum: the next channel's sums */
                     "s32i %[t], %[m_acc]\n\t"
                     "l32i %[t], %[m_y]\n\t"
                     "addi %[t], %[t], 1\n\t"
                     "s32i %[t], %[m_y]\n\t"
                     "j 10b\n"
                     "99:\n\t"
                     : [t] "=&r"(t), [x] "=&r"(x), [kk] "=&r"(kk), [mh] "=&r"(mh), [ml] "=&r"(ml), [a] "=&r"(a),
                       [cnt] "=&r"(cnt), [add] "=&r"(add), [y] "=&r"(y), [lim] "=&r"(lim),
                       [m_left] "+m"(st->left), [m_sp] "+m"(st->sp), [m_mp] "+m"(st->mp), [m_bp] "+m"(st->bp),
                       [m_acc] "+m"(st->acc), [m_y] "+m"(st->y)
                     : [off] "r"(out_off), [hi] "r"(hi), [ys] "r"(ys), [m_n] "m"(st->n), [m_ioff] "m"(st->ioff)
                     : "memory");
    (void)t; (void)x; (void)kk; (void)mh; (void)ml; (void)a; (void)cnt; (void)add; (void)y; (void)lim;
}
#endif

static S32_NOINLINE void dw3_requant_rows(const dw3_ctx *c, const int32_t *bias, const nn_channel_quant *quant,
                                          int32_t nch, const int32_t *acc, int8_t *y)
{
    const int32_t n = c->n, off = c->off, out_off = c->out_off, lo = c->act_min, hi = c->act_max;
    const ptrdiff_t fs = c->y_step; /* out_c: between a channel's outputs */
    int32_t j = 0;
#if DW_ASM
    if (lo == out_off) {
        dw_rq_state st;
        st.left = nch;
        st.mp = quant->multiplier;
        st.sp = quant->shift;
        st.bp = bias;
        st.acc = acc;
        st.y = y;
        st.n = n;
        st.ioff = off;
        for (;;) {
            dw3_requant_asm(&st, out_off, hi, fs);
            if (st.left == 0) {
                return;
            }
            /* a channel the shortcut does not serve (all of it: its outputs are stored again) */
            j = nch - st.left;
            nn_rq32_store_relu_ms(quant->multiplier[j], quant->shift[j], st.acc, n,
                                  (bias ? bias[j] : 0) + off * st.acc[n], st.y, fs, out_off, lo, hi);
            --st.left;
            ++st.mp;
            ++st.sp;
            st.bp = bias ? st.bp + 1 : NULL;
            st.acc += n + 1;
            ++st.y;
        }
    }
#endif
    for (; j < nch; ++j, acc += n + 1) {
        /* |offset * sum| <= 128 * 9 * 128: part of the reference's sum */
        const int32_t init = (bias ? bias[j] : 0) + off * acc[n];
        int8_t *yj = y + j;
        if (lo >= out_off) {
            /* a row is 3 or 6 outputs in most layers: the channel's constants as the outputs need them */
            nn_rq32_store_relu_ms(quant->multiplier[j], quant->shift[j], acc, n, init, yj, fs, out_off, lo, hi);
        } else {
            int32_t i;
            nn_rq32 r;
            nn_rq32_prepare(&r, quant->multiplier[j], quant->shift[j]);
            for (i = 0; i < n; ++i, yj += fs) {
                *yj = nn_rq32_out(&r, (acc[i] >> 8) + init, out_off, lo, hi, 0);
            }
        }
    }
}

/* the two passes of dw3_batch, each with a small frame of its own behind the sums */
static void dw3_batch(const dw3_ctx *c, const int8_t *const *rows, const int8_t *f, const int16_t *fw,
                      const int32_t *bias, const nn_channel_quant *quant, int32_t nch, int8_t *y)
{
    int32_t acc[NN_S32_DW_ACC];
    dw3_passes(c, rows, f, fw, nch, acc);
    dw3_requant_rows(c, bias, quant, nch, acc, y);
}

void nn_depthwise_conv2d_s8_scalar(const nn_conv_params *params, const nn_channel_quant *quant,
                                   const nn_dims *input_dims, const int8_t *input,
                                   const nn_dims *filter_dims, const int8_t *filter,
                                   const int32_t *bias,
                                   const nn_dims *output_dims, int8_t *output)
{
    nn_depthwise_conv2d_s8_scalar_w16(params, quant, input_dims, input, filter_dims, filter, NULL, bias, output_dims,
                                      output);
}

void nn_depthwise_conv2d_s8_scalar_w16(const nn_conv_params *params, const nn_channel_quant *quant,
                                       const nn_dims *input_dims, const int8_t *input,
                                       const nn_dims *filter_dims, const int8_t *filter, const int16_t *filter_w16,
                                       const int32_t *bias,
                                       const nn_dims *output_dims, int8_t *output)
{
    const int32_t in_h = input_dims->h, in_w = input_dims->w, in_c = input_dims->c;
    const int32_t out_h = output_dims->h, out_w = output_dims->w, out_c = output_dims->c;
    const int32_t kh = filter_dims->h, kw = filter_dims->w, mult = params->depth_multiplier;
    const int32_t sh = params->stride_h, sw = params->stride_w, dh = params->dilation_h, dw = params->dilation_w;
    const int32_t off = params->input_offset, out_off = params->output_offset;
    const int32_t lo_clamp = params->act_min, hi_clamp = params->act_max;
    const int relu = lo_clamp >= out_off; /* nn_rq32_out: accumulators <= 0 give act_min */
    const ptrdiff_t xs = in_c; /* bytes between horizontally neighbouring inputs of one channel */
    const int row3 = kw == 3 && dw == 1 && (sw == 1 || sw == 2);
    int32_t acc[NN_S32_DW_COLS];
    int32_t wv[NN_S32_DW_MAX_TAPS];  /* the channel's weights, [ky][kx] */
    int32_t wrow[NN_S32_DW_MAX_K];   /* their sums per kernel row */
    int32_t tap_lo[NN_S32_DW_MAX_K], tap_hi[NN_S32_DW_MAX_K];
    dw3_ctx d3;
    int fast3;
    int32_t per, ic_per;
    int32_t b, oy, oc, c0, ky, kx, i, ic, m;

    if (kh > NN_S32_DW_MAX_K || kw > NN_S32_DW_MAX_K || kh * kw > NN_S32_DW_MAX_TAPS) {
        nn_depthwise_conv2d_s8(params, quant, input_dims, input, filter_dims, filter, bias, output_dims, output);
        return;
    }
    for (c0 = 0; c0 < out_w; c0 += NN_S32_DW_COLS) {
        const int32_t n = out_w - c0 < NN_S32_DW_COLS ? out_w - c0 : NN_S32_DW_COLS;
        const int32_t base = c0 * sw - params->pad_left; /* input column of tap 0 of column c0 */
        int32_t lo = 0, hi = n; /* interior: every kernel column inside the input */
        /* tap ranges depend on neither the row nor the channel: once per chunk (a division is a
         * library call on the board) */
        for (kx = 0; kx < kw; ++kx) {
            tap_range(n, sw, base + kx * dw, in_w, &tap_lo[kx], &tap_hi[kx]);
            lo = tap_lo[kx] > lo ? tap_lo[kx] : lo;
            hi = tap_hi[kx] < hi ? tap_hi[kx] : hi;
        }
        if (lo >= hi) {
            lo = hi = 0;
        }
        /* 3-wide rows where at most the first column's first tap and the last column's last tap
         * fall outside the input (every SAME or VALID MobileNet layer): the row loops */
        fast3 = 0;
        if (row3 && kh == 3 && base >= -1) {
            const int32_t last = (n - 1) * sw + base; /* input column of the last column's tap 0 */
            if (last + 2 <= in_w && last + 1 < in_w) {
                fast3 = 1;
                d3.xs = xs;
                d3.lz = base == -1;
                d3.rz = last + 2 == in_w;
                d3.x0 = (ptrdiff_t)(base + d3.lz) * xs;
                d3.y_step = out_c;
                d3.n = n;
                d3.sw = sw;
                d3.vz = (int32_t)((uint32_t)(uint8_t)(int8_t)-off << 8); /* -off is an int8 zero point */
                d3.off = off;
                d3.mult = mult;
                d3.out_off = out_off;
                d3.act_min = lo_clamp;
                d3.act_max = hi_clamp;
                d3.fw_row = (ptrdiff_t)3 * out_c;
            }
        }
        /* output channels per dw3_batch call: mult * 2^k, the most whose sums fit NN_S32_DW_ACC
         * (a multiple of the multiplier, so that each call starts at an input channel's first
         * output; no division, which is a library call on the board) */
        per = 0;
        ic_per = 1;
        if (fast3 && mult * (n + 1) <= NN_S32_DW_ACC) {
            per = mult;
            while (2 * per * (n + 1) <= NN_S32_DW_ACC && per < out_c) {
                per *= 2;
                ic_per *= 2;
            }
        }
        if (per > 0) {
            for (b = 0; b < output_dims->n; ++b) {
                const int8_t *in_b = input + (size_t)b * in_h * in_w * in_c;
                for (oy = 0; oy < out_h; ++oy) {
                    const int8_t *rows[3];
                    int8_t *y = output + (((size_t)b * out_h + oy) * out_w + c0) * out_c;
                    for (ky = 0; ky < 3; ++ky) {
                        const int32_t iy = oy * sh - params->pad_top + ky * dh;
                        rows[ky] = iy >= 0 && iy < in_h ? in_b + (size_t)iy * in_w * in_c : NULL;
                    }
                    for (oc = 0, ic = 0; oc < out_c; oc += per, ic += ic_per) {
                        const int32_t nch = out_c - oc < per ? out_c - oc : per;
                        const int8_t *rc[3];
                        nn_channel_quant qc;
                        qc.multiplier = quant->multiplier + oc;
                        qc.shift = quant->shift + oc;
                        for (ky = 0; ky < 3; ++ky) {
                            rc[ky] = rows[ky] ? rows[ky] + ic : NULL;
                        }
                        dw3_batch(&d3, rc, filter + oc, filter_w16 != NULL && kh == 3 ? filter_w16 + 3 * oc : NULL,
                                  bias ? bias + oc : NULL, &qc, nch, y + oc);
                    }
                }
            }
            continue;
        }
        /* ic = oc / mult, counted (no division): m = oc % mult */
        for (oc = 0, ic = 0, m = 0; oc < out_c; ++oc, m = m + 1 == mult ? 0 : m + 1, ic += m == 0) {
            const int32_t bv = bias ? bias[oc] : 0;
            nn_rq32 rq;
            nn_rq32_prepare(&rq, quant->multiplier[oc], quant->shift[oc]);
            {
                const int8_t *fp = filter + oc; /* tap t of the channel at fp[t * out_c] */
                for (ky = 0; ky < kh; ++ky) {
                    int32_t s = 0;
                    for (kx = 0; kx < kw; ++kx) {
                        const int32_t w = *fp;
                        fp += out_c;
                        wv[ky * kw + kx] = w;
                        s += w;
                    }
                    wrow[ky] = s;
                }
            }
            for (b = 0; b < output_dims->n; ++b) {
                const int8_t *in_b = input + (size_t)b * in_h * in_w * in_c + ic;
                for (oy = 0; oy < out_h; ++oy) {
                    int8_t *y = output + (((size_t)b * out_h + oy) * out_w + c0) * out_c + oc;
                    int32_t wsum = 0;
                    for (ky = 0; ky < kh; ++ky) {
                        const int32_t iy = oy * sh - params->pad_top + ky * dh;
                        wsum += iy >= 0 && iy < in_h ? wrow[ky] : 0;
                    }
                    {
                        /* |offset * sum w| <= 128 * kh * kw * 128: part of the reference's sum,
                         * folded into the interior columns only */
                        const int32_t interior = bv + off * wsum;
                        for (i = 0; i < lo; ++i) {
                            acc[i] = bv;
                        }
                        for (; i < hi; ++i) {
                            acc[i] = interior;
                        }
                        for (; i < n; ++i) {
                            acc[i] = bv;
                        }
                    }
                    for (ky = 0; ky < kh; ++ky) {
                        const int32_t iy = oy * sh - params->pad_top + ky * dh;
                        const int32_t *w = wv + ky * kw;
                        const int8_t *x_row;
                        if (iy < 0 || iy >= in_h) {
                            continue;
                        }
                        x_row = in_b + (size_t)iy * in_w * in_c;
                        if (hi > lo) {
                            const int8_t *x0 = x_row + (ptrdiff_t)(lo * sw + base) * xs;
                            for (kx = 0; kx < kw; ++kx) {
                                row_tap(acc + lo, x0 + (ptrdiff_t)kx * dw * xs, (ptrdiff_t)sw * xs, hi - lo, w[kx]);
                            }
                        }
                        /* border columns: in-bounds taps only, with the offset */
                        for (kx = 0; kx < kw; ++kx) {
                            const int32_t wk = w[kx];
                            const int8_t *xk = x_row + (ptrdiff_t)(base + kx * dw) * xs;
                            const int32_t l = tap_lo[kx], h = tap_hi[kx];
                            const int32_t e1 = lo < h ? lo : h; /* [l, e1) left of the interior */
                            const int32_t s2 = hi > l ? hi : l; /* [s2, h) right of it */
                            for (i = l; i < e1; ++i) {
                                acc[i] += (xk[(ptrdiff_t)i * sw * xs] + off) * wk;
                            }
                            for (i = s2; i < h; ++i) {
                                acc[i] += (xk[(ptrdiff_t)i * sw * xs] + off) * wk;
                            }
                        }
                    }
                    nn_rq32_store(&rq, acc, n, y, out_c, out_off, lo_clamp, hi_clamp, relu);
                }
            }
        }
    }
}
