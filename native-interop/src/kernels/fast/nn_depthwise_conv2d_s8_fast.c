/*
 * nn_depthwise_conv2d_s8_fast.c - DEPTHWISE_CONV_2D, the fast twin of nn_depthwise_conv2d_s8
 * (bit-identical output).
 *
 * Channels are the innermost loop (NHWC: contiguous in input, filter [kh][kw][out_c] and
 * output), in chunks of up to NN_FAST_CHUNK output channels. Per chunk, once per call: the
 * folded constant bias + input_offset * (sum of the channel's taps) and the requantisation
 * parameters. Per output pixel, acc = constant + sum over all taps of w * x, then requantise:
 *  - interior pixels with depth multiplier 1 read the input in place;
 *  - every other pixel first copies its window into a small stack patch [kh][kw][chunk]:
 *    taps outside the input are filled with the input zero point, so that w * zp cancels the
 *    folded w * input_offset exactly (padding adds exactly zero, as in the reference), and
 *    with depth multiplier m each input channel is repeated m times, so that the patch lines
 *    up with the filter's output channels;
 *  - 3x3 windows: 9 multiply-accumulates per channel in registers; other windows tap by tap;
 *  - fewer than 16 channels (dividing 16; e.g. a first layer of 8): 16 / out_c neighbouring
 *    pixels share one 16-lane row (dw_packed), so that the channel loop still vectorises.
 * The three paths are separate functions so that the stack holds only one path's buffers.
 * Windows over NN_DW_MAX_TAPS taps or depth multipliers over NN_FAST_CHUNK (neither seen in
 * MobileNets) use the reference kernel.
 */
#include <string.h>

#include "nn_kernels_fast.h"
#include "nn_fast_util.h"

/* Kept out of line: dw_acc_* because, inlined into the packed path with n = 16 known, gcc -O2
 * unrolls instead of vectorising; dw_packed so that its stack frame does not add to the main one. */
#if defined(__GNUC__)
#define NN_DW_NOINLINE __attribute__((noinline))
#else
#define NN_DW_NOINLINE
#endif

#define NN_DW_MAX_TAPS 25 /* 5x5: a patch of at most 25 x NN_FAST_CHUNK bytes on the stack */

/* acc[j] = sum over the 9 taps of a 3x3 window (input row stride rs, column stride cs) of w * x,
 * for channels j < n. The filter is a stack copy with the constant tap stride NN_FAST_CHUNK, so
 * its 9 rows are one base register plus constant displacements (on x86-64, 9 more pointers
 * would not fit the registers next to the input's 9). */
NN_DW_NOINLINE static void dw_acc_3x3(const int8_t *x, size_t rs, size_t cs, const int8_t *w, int32_t n,
                                      int32_t *restrict acc)
{
    const size_t ws = NN_FAST_CHUNK;
    const int8_t *x0 = x, *x1 = x + cs, *x2 = x + 2 * cs;
    const int8_t *x3 = x + rs, *x4 = x3 + cs, *x5 = x3 + 2 * cs;
    const int8_t *x6 = x + 2 * rs, *x7 = x6 + cs, *x8 = x6 + 2 * cs;
    const int8_t *w0 = w, *w1 = w + ws, *w2 = w + 2 * ws, *w3 = w + 3 * ws, *w4 = w + 4 * ws;
    const int8_t *w5 = w + 5 * ws, *w6 = w + 6 * ws, *w7 = w + 7 * ws, *w8 = w + 8 * ws;
    const int32_t n16 = n & ~15;
    const int32_t n8 = n & ~7;
    int32_t j = 0;
#define DW_MAC9(j)                                                                                      \
    (w0[j] * x0[j] + w1[j] * x1[j] + w2[j] * x2[j] + w3[j] * x3[j] + w4[j] * x4[j] + w5[j] * x5[j] + \
     w6[j] * x6[j] + w7[j] * x7[j] + w8[j] * x8[j])
    /* multiples of 16 and 8 first (gcc -O2's very-cheap vectoriser takes them), then the rest */
    NN_UNROLL2
    for (; j < n16; ++j) {
        acc[j] = DW_MAC9(j);
    }
    for (; j < n8; ++j) {
        acc[j] = DW_MAC9(j);
    }
    for (; j < n; ++j) {
        acc[j] = DW_MAC9(j);
    }
#undef DW_MAC9
}

/* Any window: tap by tap. */
NN_DW_NOINLINE static void dw_acc_taps(const int8_t *x, size_t rs, size_t cs, int32_t k_h, int32_t k_w, const int8_t *w,
                        size_t ws, int32_t n, int32_t *restrict acc)
{
    const int32_t n16 = n & ~15;
    int32_t ky, kx, j;
    for (j = 0; j < n; ++j) {
        acc[j] = 0;
    }
    for (ky = 0; ky < k_h; ++ky) {
        for (kx = 0; kx < k_w; ++kx) {
            const int8_t *xt = x + (size_t)ky * rs + (size_t)kx * cs;
            const int8_t *wt = w + ((size_t)ky * k_w + kx) * ws;
            for (j = 0; j < n16; ++j) {
                acc[j] += wt[j] * xt[j];
            }
            for (; j < n; ++j) {
                acc[j] += wt[j] * xt[j];
            }
        }
    }
}

/* Fills patch[t * pstride + 0 .. noc) with the window of tap t of the pixel whose window starts
 * at (in_y0, in_x0): input channels repeated mult times, the zero point outside the input. */
static void dw_fill_patch(const nn_conv_params *p, const nn_dims *in, const int8_t *in_batch, int32_t k_h,
                          int32_t k_w, int32_t in_y0, int32_t in_x0, int32_t ic0, int32_t nic, int8_t zp,
                          int8_t *patch, size_t pstride)
{
    const int32_t mult = p->depth_multiplier;
    const int32_t noc = nic * mult;
    const size_t col = (size_t)p->dilation_w * in->c;
    int32_t ky0, ky1, kx0, kx1, ky, kx, i, m;
    nn_tap_range(in_y0, p->dilation_h, k_h, in->h, &ky0, &ky1);
    nn_tap_range(in_x0, p->dilation_w, k_w, in->w, &kx0, &kx1);
    for (ky = 0; ky < k_h; ++ky) {
        int8_t *dst_row = patch + (size_t)ky * k_w * pstride;
        const int8_t *row;
        if (ky < ky0 || ky >= ky1 || kx0 >= kx1) { /* the whole kernel row is padding */
            for (kx = 0; kx < k_w; ++kx) {
                memset(dst_row + (size_t)kx * pstride, zp, (size_t)noc);
            }
            continue;
        }
        for (kx = 0; kx < kx0; ++kx) {
            memset(dst_row + (size_t)kx * pstride, zp, (size_t)noc);
        }
        for (kx = kx1; kx < k_w; ++kx) {
            memset(dst_row + (size_t)kx * pstride, zp, (size_t)noc);
        }
        /* tap kx of this kernel row reads row + (kx - kx0) * col */
        row = in_batch + ((size_t)(in_y0 + ky * p->dilation_h) * in->w + (in_x0 + kx0 * p->dilation_w)) * in->c + ic0;
        if (mult == 1) {
            for (kx = kx0; kx < kx1; ++kx) {
                memcpy(dst_row + (size_t)kx * pstride, row + (size_t)(kx - kx0) * col, (size_t)noc);
            }
        } else if (nic == 1 && mult == 8) { /* a 1 -> 8 channel first layer: one 8-byte store a tap */
            for (kx = kx0; kx < kx1; ++kx) {
                const uint64_t v = (uint64_t)(uint8_t)row[(size_t)(kx - kx0) * col] * 0x0101010101010101u;
                memcpy(dst_row + (size_t)kx * pstride, &v, 8);
            }
        } else if ((mult & 7) == 0) {
            /* each input byte repeated in 8-byte stores */
            for (kx = kx0; kx < kx1; ++kx) {
                const int8_t *px = row + (size_t)(kx - kx0) * col;
                int8_t *dst = dst_row + (size_t)kx * pstride;
                for (i = 0; i < nic; ++i) {
                    const uint64_t v = (uint64_t)(uint8_t)px[i] * 0x0101010101010101u;
                    for (m = 0; m < mult; m += 8) {
                        memcpy(dst + i * mult + m, &v, 8);
                    }
                }
            }
        } else {
            for (kx = kx0; kx < kx1; ++kx) {
                const int8_t *px = row + (size_t)(kx - kx0) * col;
                int8_t *dst = dst_row + (size_t)kx * pstride;
                for (i = 0; i < nic; ++i) {
                    for (m = 0; m < mult; ++m) {
                        dst[i * mult + m] = px[i];
                    }
                }
            }
        }
    }
}

/*
 * Few channels (out_c < 16, dividing 16): P = 16 / out_c neighbouring output pixels of a row are
 * computed as one 16-lane row. Their windows go side by side into a patch [taps][16], the
 * filter and the per-channel constants are repeated P times, and the P pixels' outputs are
 * contiguous (NHWC), so the 16 results are stored in one run.
 */
NN_DW_NOINLINE static void dw_packed(const nn_conv_params *params, const nn_channel_quant *quant, const nn_dims *in,
                      const int8_t *input, int32_t k_h, int32_t k_w, const int8_t *filter, const int32_t *bias,
                      const nn_dims *out, int8_t *output)
{
    const int32_t out_c = out->c;
    const int32_t lanes = 16;
    const int32_t pix = lanes / out_c;
    const int32_t taps = k_h * k_w;
    const int8_t zp = (int8_t)(-params->input_offset);
    const int32_t out_off = params->output_offset, act_min = params->act_min, act_max = params->act_max;
    nn_rq_chunk rq;
    int8_t w16[9 * NN_FAST_CHUNK > NN_DW_MAX_TAPS * 16 ? 9 * NN_FAST_CHUNK : NN_DW_MAX_TAPS * 16];
    const int32_t wstride = k_h == 3 && k_w == 3 ? NN_FAST_CHUNK : lanes; /* dw_acc_3x3's layout */
    int8_t patch[NN_DW_MAX_TAPS * 16];
    int32_t qm[16], qs[16];
    int32_t acc[16];
    const int in_place = params->stride_w == 1 && params->depth_multiplier == 1;
    int32_t y_lo, y_hi, x_lo, x_hi;
    int32_t j, t, b, oy, ox, p;
    nn_interior_range(out->h, params->stride_h, params->pad_top, params->dilation_h, k_h, in->h, &y_lo, &y_hi);
    nn_interior_range(out->w, params->stride_w, params->pad_left, params->dilation_w, k_w, in->w, &x_lo, &x_hi);
    for (j = 0; j < lanes; ++j) {
        const int32_t oc = j % out_c;
        int32_t s = 0;
        if (taps == 9) { /* 3x3 (or 9 taps in one row or column): straight line */
            const int8_t *wj = filter + oc;
            const size_t oc_n = (size_t)out_c;
            const int8_t v0 = wj[0], v1 = wj[oc_n], v2 = wj[2 * oc_n], v3 = wj[3 * oc_n], v4 = wj[4 * oc_n];
            const int8_t v5 = wj[5 * oc_n], v6 = wj[6 * oc_n], v7 = wj[7 * oc_n], v8 = wj[8 * oc_n];
            s = (int32_t)v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8;
            w16[j] = v0;
            w16[wstride + j] = v1;
            w16[2 * wstride + j] = v2;
            w16[3 * wstride + j] = v3;
            w16[4 * wstride + j] = v4;
            w16[5 * wstride + j] = v5;
            w16[6 * wstride + j] = v6;
            w16[7 * wstride + j] = v7;
            w16[8 * wstride + j] = v8;
        } else {
            for (t = 0; t < taps; ++t) {
                w16[t * wstride + j] = filter[(size_t)t * out_c + oc];
                s += filter[(size_t)t * out_c + oc];
            }
        }
        qm[j] = quant->multiplier[oc];
        qs[j] = quant->shift[oc];
        rq.cst[j] = nn_add_wrap(bias ? bias[oc] : 0, params->input_offset * s);
    }
    nn_rq_prepare(&rq, qm, qs, lanes);
    nn_rq_fold(&rq, lanes);
    memset(patch, 0, sizeof(patch));
    for (b = 0; b < out->n; ++b) {
        const int8_t *in_batch = input + (size_t)b * in->h * in->w * in->c;
        for (oy = 0; oy < out->h; ++oy) {
            const int32_t in_y0 = oy * params->stride_h - params->pad_top;
            int8_t *out_row = output + ((size_t)b * out->h + oy) * out->w * out_c;
            for (ox = 0; ox < out->w; ox += pix) {
                const int32_t np = out->w - ox < pix ? out->w - ox : pix;
                const int32_t n = np * out_c;
                int8_t *y = out_row + (size_t)ox * out_c;
                const int8_t *src = patch;
                size_t rs = (size_t)k_w * lanes, cs = (size_t)lanes;
                if (in_place && oy >= y_lo && oy < y_hi && ox >= x_lo && ox + pix <= x_hi) {
                    /* stride_w 1, depth multiplier 1, all P windows inside: lane p * C + c of tap
                     * (ky, kx) is input pixel (iy, ix + p) channel c, contiguous in place */
                    src = in_batch + ((size_t)in_y0 * in->w + (ox - params->pad_left)) * in->c;
                    rs = (size_t)params->dilation_h * in->w * in->c;
                    cs = (size_t)params->dilation_w * in->c;
                } else {
                    for (p = 0; p < np; ++p) {
                        dw_fill_patch(params, in, in_batch, k_h, k_w, in_y0,
                                      (ox + p) * params->stride_w - params->pad_left, 0, in->c, zp, patch + p * out_c,
                                      (size_t)lanes);
                    }
                }
                if (k_h == 3 && k_w == 3) {
                    dw_acc_3x3(src, rs, cs, w16, lanes, acc);
                } else {
                    dw_acc_taps(src, rs, cs, k_h, k_w, w16, (size_t)wstride, lanes, acc);
                }
                nn_rq_store(&rq, acc, n, y, out_off, act_min, act_max);
            }
        }
    }
}

/* The general path: channel chunks, in place inside, patches at the border. */
NN_DW_NOINLINE static void dw_chunked(const nn_conv_params *params, const nn_channel_quant *quant,
                                      const nn_dims *input_dims, const int8_t *input,
                                      const nn_dims *filter_dims, const int8_t *filter,
                                      const int32_t *bias,
                                      const nn_dims *output_dims, int8_t *output)
{
    const int32_t in_h = input_dims->h, in_w = input_dims->w, in_c = input_dims->c;
    const int32_t k_h = filter_dims->h, k_w = filter_dims->w;
    const int32_t out_h = output_dims->h, out_w = output_dims->w, out_c = output_dims->c;
    const int32_t mult = params->depth_multiplier;
    const int32_t dil_h = params->dilation_h, dil_w = params->dilation_w;
    const int32_t taps = k_h * k_w;
    const int32_t chunk = mult <= NN_FAST_CHUNK ? NN_FAST_CHUNK / mult : 0; /* input channels a chunk */
    const int is3x3 = k_h == 3 && k_w == 3;
    const int8_t zp = (int8_t)(-params->input_offset); /* input zero point, in [-128, 127] */
    /* locals: the int8 output stores could alias *params, which would force reloads */
    const int32_t out_off = params->output_offset, act_min = params->act_min, act_max = params->act_max;
    int32_t y_lo, y_hi, x_lo, x_hi, ic0, b, oy, ox;

    nn_interior_range(out_h, params->stride_h, params->pad_top, dil_h, k_h, in_h, &y_lo, &y_hi);
    nn_interior_range(out_w, params->stride_w, params->pad_left, dil_w, k_w, in_w, &x_lo, &x_hi);
    if (mult != 1) {
        y_lo = y_hi = 0; /* every pixel goes through the patch */
    }

    for (ic0 = 0; ic0 < in_c; ic0 += chunk) {
        const int32_t nic = in_c - ic0 < chunk ? in_c - ic0 : chunk;
        const int32_t oc0 = ic0 * mult;
        const int32_t noc = nic * mult;
        const int8_t *w = filter + oc0;
        nn_rq_chunk rq;
        int32_t acc[NN_FAST_CHUNK];
        int8_t patch[NN_DW_MAX_TAPS * NN_FAST_CHUNK];
        int8_t w9[9 * NN_FAST_CHUNK]; /* 3x3: the chunk's filter with tap stride NN_FAST_CHUNK */
        int32_t j, t;
        nn_rq_prepare(&rq, quant->multiplier + oc0, quant->shift + oc0, noc);
        if (is3x3) { /* straight line: the 9 taps copied to w9 and summed */
            const size_t oc = (size_t)out_c;
            for (j = 0; j < noc; ++j) {
                const int8_t *wj = w + j;
                const int8_t v0 = wj[0], v1 = wj[oc], v2 = wj[2 * oc], v3 = wj[3 * oc], v4 = wj[4 * oc];
                const int8_t v5 = wj[5 * oc], v6 = wj[6 * oc], v7 = wj[7 * oc], v8 = wj[8 * oc];
                const int32_t s = (int32_t)v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8;
                w9[j] = v0;
                w9[NN_FAST_CHUNK + j] = v1;
                w9[2 * NN_FAST_CHUNK + j] = v2;
                w9[3 * NN_FAST_CHUNK + j] = v3;
                w9[4 * NN_FAST_CHUNK + j] = v4;
                w9[5 * NN_FAST_CHUNK + j] = v5;
                w9[6 * NN_FAST_CHUNK + j] = v6;
                w9[7 * NN_FAST_CHUNK + j] = v7;
                w9[8 * NN_FAST_CHUNK + j] = v8;
                /* |s| <= 128 * 9: the product fits int32 */
                rq.cst[j] = nn_add_wrap(bias ? bias[oc0 + j] : 0, params->input_offset * s);
                rq.base[j] = (int64_t)rq.cst[j] * rq.mult[j] + ((int64_t)1 << 30); /* nn_rq_fold */
            }
        } else {
            for (j = 0; j < noc; ++j) {
                int32_t s = 0;
                for (t = 0; t < taps; ++t) {
                    s += w[(size_t)t * out_c + j];
                }
                /* |s| <= 128 * taps: the product fits int32 */
                rq.cst[j] = nn_add_wrap(bias ? bias[oc0 + j] : 0, params->input_offset * s);
            }
            nn_rq_fold(&rq, noc);
        }
        for (b = 0; b < output_dims->n; ++b) {
            const int8_t *in_batch = input + (size_t)b * in_h * in_w * in_c;
            for (oy = 0; oy < out_h; ++oy) {
                const int32_t in_y0 = oy * params->stride_h - params->pad_top;
                const int row_inside = oy >= y_lo && oy < y_hi;
                int8_t *out_row = output + ((size_t)b * out_h + oy) * out_w * out_c;
                for (ox = 0; ox < out_w; ++ox) {
                    const int32_t in_x0 = ox * params->stride_w - params->pad_left;
                    int8_t *y = out_row + (size_t)ox * out_c + oc0;
                    const int8_t *src;
                    size_t rs, cs;
                    if (row_inside && ox >= x_lo && ox < x_hi) {
                        src = in_batch + ((size_t)in_y0 * in_w + in_x0) * in_c + ic0;
                        rs = (size_t)dil_h * in_w * in_c;
                        cs = (size_t)dil_w * in_c;
                    } else {
                        dw_fill_patch(params, input_dims, in_batch, k_h, k_w, in_y0, in_x0, ic0, nic, zp, patch,
                                      (size_t)noc);
                        src = patch;
                        rs = (size_t)k_w * noc;
                        cs = (size_t)noc;
                    }
                    if (is3x3) {
                        dw_acc_3x3(src, rs, cs, w9, noc, acc);
                    } else {
                        dw_acc_taps(src, rs, cs, k_h, k_w, w, (size_t)out_c, noc, acc);
                    }
                    nn_rq_store(&rq, acc, noc, y, out_off, act_min, act_max);
                }
            }
        }
    }
}

void nn_depthwise_conv2d_s8_fast(const nn_conv_params *params, const nn_channel_quant *quant,
                                 const nn_dims *input_dims, const int8_t *input,
                                 const nn_dims *filter_dims, const int8_t *filter,
                                 const int32_t *bias,
                                 const nn_dims *output_dims, int8_t *output)
{
    const int32_t out_c = output_dims->c;
    if (params->depth_multiplier > NN_FAST_CHUNK || filter_dims->h * filter_dims->w > NN_DW_MAX_TAPS) {
        nn_depthwise_conv2d_s8(params, quant, input_dims, input, filter_dims, filter, bias, output_dims, output);
    } else if (out_c < 16 && 16 % out_c == 0) {
        dw_packed(params, quant, input_dims, input, filter_dims->h, filter_dims->w, filter, bias, output_dims, output);
    } else {
        dw_chunked(params, quant, input_dims, input, filter_dims, filter, bias, output_dims, output);
    }
}
