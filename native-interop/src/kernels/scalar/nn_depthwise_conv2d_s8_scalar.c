/*
 * nn_depthwise_conv2d_s8_scalar.c - DEPTHWISE_CONV_2D for a scalar 32-bit core (the board's
 * Xtensa), bit-identical to nn_depthwise_conv2d_s8.
 *
 * One output channel and one output row at a time, the row's accumulators in a stack array;
 * each in-bounds kernel row ky adds its taps. The channel's weights are sign-extended once per
 * call (the lx106 has no sign-extending byte load). The input offset is folded:
 *   acc = bias + sum_taps w * (x + offset) = bias + sum w * x + offset * sum w,
 * and for the interior columns (every kernel column inside the input) the second sum is the
 * sum of the in-bounds kernel rows' weights, the same for the whole row. So the interior loops
 * add w * x only: a 3-wide kernel row (no dilation) in one pass with the inputs in registers,
 * one new input an output at stride 1 and two at stride 2, unrolled so that no register moves
 * remain (dw3_unit, row3_s1, row3_s2). There the fold covers every column: a tap left of or
 * right of the input (at most the first column's first and the last column's last: every
 * SAME or VALID MobileNet layer) reads the input zero point, and w * zp cancels the folded
 * w * offset exactly. Other kernels, and 3-wide rows overhanging further, fold the interior
 * columns only, and their border columns add (x + offset) * w for in-bounds taps. Either way
 * padding adds exactly zero, and every partial sum is a sum of a subset of the reference's
 * terms (products, bias, offset * w), within the int32 bound the model reader proves.
 * Requantisation: nn_rq32.h. Stack: NN_S32_DW_COLS accumulators and the channel's weights.
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

/*
 * One 3-wide kernel row over n output columns: acc[i] += w0 v[i s] + w1 v[i s + 1] + w2 v[i s + 2],
 * where v is the input row (xs bytes between columns, starting at xp) preceded by the zero point
 * zp when lz (the first column's first tap is left of the input) and followed by zp when rz
 * (the last column's last tap is right of it). The inputs stay in registers: stride 1 loads one
 * new input an output, stride 2 two, and the loops are unrolled so that no register moves remain.
 * (No / or % here: even by a constant they are library calls on a core without a high multiply.)
 */
/* What one output row of one channel of a 3-wide kernel shares with the chunk's other rows. */
typedef struct dw3_ctx {
    ptrdiff_t xs;           /* bytes between horizontal neighbours of a channel */
    ptrdiff_t x0;           /* byte offset in the input row of the first input the row reads */
    ptrdiff_t y_step;       /* bytes between output columns (out_c) */
    int32_t n, sw, lz, rz;  /* columns, stride, zero point left of the input / right of it */
    int32_t zp;             /* the input zero point, -input_offset */
    int32_t out_off, act_min, act_max, relu;
} dw3_ctx;

static S32_NOINLINE void row3_s1(int32_t *a, const int8_t *xp, const dw3_ctx *c, const int32_t *w)
{
    const ptrdiff_t xs = c->xs;
    const int32_t lz = c->lz, rz = c->rz, zp = c->zp, w0 = w[0], w1 = w[1], w2 = w[2];
    int32_t n = c->n;
    int32_t v0, v1, v2;
    if (lz) {
        v0 = zp;
    } else {
        v0 = *xp;
        xp += xs;
    }
    v1 = *xp;
    xp += xs;
    n -= rz;
    for (; n >= 3; n -= 3) {
        v2 = *xp;
        xp += xs;
        a[0] += v0 * w0 + v1 * w1 + v2 * w2;
        v0 = *xp;
        xp += xs;
        a[1] += v1 * w0 + v2 * w1 + v0 * w2;
        v1 = *xp;
        xp += xs;
        a[2] += v2 * w0 + v0 * w1 + v1 * w2;
        a += 3;
    }
    for (; n > 0; --n) {
        v2 = *xp;
        xp += xs;
        *a++ += v0 * w0 + v1 * w1 + v2 * w2;
        v0 = v1;
        v1 = v2;
    }
    if (rz) {
        *a += v0 * w0 + v1 * w1 + zp * w2;
    }
}

static S32_NOINLINE void row3_s2(int32_t *a, const int8_t *xp, const dw3_ctx *c, const int32_t *w)
{
    const ptrdiff_t xs = c->xs;
    const int32_t lz = c->lz, rz = c->rz, zp = c->zp, w0 = w[0], w1 = w[1], w2 = w[2];
    int32_t n = c->n;
    int32_t v0, v1, v2;
    if (lz) {
        v0 = zp;
    } else {
        v0 = *xp;
        xp += xs;
    }
    n -= rz;
    for (; n >= 2; n -= 2) {
        v1 = *xp;
        v2 = xp[xs];
        xp += 2 * xs;
        a[0] += v0 * w0 + v1 * w1 + v2 * w2;
        v1 = *xp;
        v0 = xp[xs];
        xp += 2 * xs;
        a[1] += v2 * w0 + v1 * w1 + v0 * w2;
        a += 2;
    }
    if (n > 0) {
        v1 = *xp;
        v2 = xp[xs];
        xp += 2 * xs;
        *a++ += v0 * w0 + v1 * w1 + v2 * w2;
        v0 = v2;
    }
    if (rz) {
        *a += v0 * w0 + *xp * w1 + zp * w2;
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

/*
 * One output row of one channel, 3-wide kernel rows: acc = init (bias + offset * the in-bounds
 * rows' weight sum, for every column), each in-bounds kernel row (rows[ky] != NULL) adds its
 * three taps, a tap outside the input reading zp (w * zp cancels the folded w * offset), then
 * requantise into y. Out of line with its own small frame.
 */
static S32_NOINLINE void dw3_unit(const dw3_ctx *c, const int8_t *const *rows, const int32_t *w, int32_t init,
                                  const nn_rq32 *rq, int8_t *y)
{
    int32_t acc[NN_S32_DW_COLS];
    const int32_t n = c->n;
    int32_t i, ky;
    for (i = 0; i < n; ++i) {
        acc[i] = init;
    }
    for (ky = 0; ky < 3; ++ky) {
        const int8_t *x_row = rows[ky];
        if (x_row == NULL) {
            continue;
        }
        if (c->sw == 1) {
            row3_s1(acc, x_row + c->x0, c, w + 3 * ky);
        } else {
            row3_s2(acc, x_row + c->x0, c, w + 3 * ky);
        }
    }
    nn_rq32_store(rq, acc, n, y, c->y_step, c->out_off, c->act_min, c->act_max, c->relu);
}

void nn_depthwise_conv2d_s8_scalar(const nn_conv_params *params, const nn_channel_quant *quant,
                                   const nn_dims *input_dims, const int8_t *input,
                                   const nn_dims *filter_dims, const int8_t *filter,
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
                d3.zp = -off;
                d3.out_off = out_off;
                d3.act_min = lo_clamp;
                d3.act_max = hi_clamp;
                d3.relu = relu;
            }
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
                    if (fast3) {
                        const int8_t *rows[3];
                        for (ky = 0; ky < 3; ++ky) {
                            const int32_t iy = oy * sh - params->pad_top + ky * dh;
                            rows[ky] = iy >= 0 && iy < in_h ? in_b + (size_t)iy * in_w * in_c : NULL;
                        }
                        /* |offset * sum w| <= 128 * 9 * 128: part of the reference's sum */
                        dw3_unit(&d3, rows, wv, bv + off * wsum, &rq, y);
                        continue;
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
