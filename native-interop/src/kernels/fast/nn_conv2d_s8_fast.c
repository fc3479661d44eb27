/*
 * nn_conv2d_s8_fast.c - CONV_2D, the fast twin of nn_conv2d_s8 (bit-identical output).
 *
 * Three paths:
 *  - 1x1 with every output pixel inside the input (pointwise: ~80% of a MobileNet's MACs):
 *    a matrix product of pixels x in_c by out_c rows of contiguous OHWI weights, in chunks of
 *    up to NN_FAST_CHUNK output channels (requantisation parameters prepared once per chunk).
 *    Each pair of pixels is first copied to the stack as int16 x + input_offset (one add per
 *    input value, shared by every output channel, so the accumulator is exactly the reference's
 *    and no per-call weight sums are needed: cheap to call on a single row or pixel, as the
 *    streaming executor does); then a 2-pixel x 3-channel register block walks the input
 *    channels: 5 loads feed 6 multiply-accumulates, no offset add and no branch per MAC.
 *  - other windows of at most NN_PW_SLICE values (kh * kw * in_c: 3x3 stems, small convs): the
 *    same machinery over im2col rows, each pixel's window gathered as x + input_offset with 0
 *    for taps outside the input (exactly the reference's skipped taps);
 *  - everything else (large windows): per output pixel, per in-bounds kernel row,
 *    one contiguous run over (kx, ic) (dilation_w == 1) or one run of in_c per tap, with 4 output
 *    channels sharing each (x + input_offset). Taps outside the input are never visited, so
 *    padding adds exactly zero.
 * Requantisation: nn_rq_out (nn_fast_util.h), the reference's double rounding re-arranged.
 */
#include "nn_kernels_fast.h"
#include "nn_fast_util.h"

typedef struct pw_ctx {
    int32_t input_offset;
    int32_t in_c; /* length of the dot product: input channels, or kh * kw * in_c (im2col) */
    int32_t out_c;
    int32_t output_offset;
    int32_t act_min, act_max;
    /* im2col mode (any window, kh * kw * in_c <= NN_PW_SLICE): pixel p of a run is output pixel
     * (in_y0 row, ox = p) and its window is gathered into the pair buffer; padded taps read 0
     * (in x + input_offset terms: exactly the reference's skipped taps) */
    int32_t im2col;
    const nn_conv_params *p;
    const nn_dims *in;
    const int8_t *in_batch;
    int32_t k_h, k_w, in_y0;
} pw_ctx;

/* Window of output pixel ox (row c->in_y0) as int16 x + input_offset, 0 outside the input. */
static void im2col_fill(const pw_ctx *c, int32_t ox, int16_t *dst)
{
    const nn_conv_params *p = c->p;
    const int32_t in_c = c->in->c;
    const int32_t in_x0 = ox * p->stride_w - p->pad_left;
    int32_t ky, kx, i;
    for (ky = 0; ky < c->k_h; ++ky) {
        const int32_t iy = c->in_y0 + ky * p->dilation_h;
        for (kx = 0; kx < c->k_w; ++kx) {
            const int32_t ix = in_x0 + kx * p->dilation_w;
            int16_t *d = dst + ((size_t)ky * c->k_w + kx) * in_c;
            if (iy < 0 || iy >= c->in->h || ix < 0 || ix >= c->in->w) {
                for (i = 0; i < in_c; ++i) {
                    d[i] = 0;
                }
            } else {
                const int8_t *x = c->in_batch + ((size_t)iy * c->in->w + ix) * in_c;
                for (i = 0; i < in_c; ++i) {
                    d[i] = (int16_t)(x[i] + c->input_offset);
                }
            }
        }
    }
}

/* Input channels a pixel slice holds widened to int16 on the stack (2 x 2 x 256 B). */
#ifndef NN_PW_SLICE
#define NN_PW_SLICE 256
#endif

/* One input channel of the 2 x 3 block: 5 loads, 6 multiply-accumulates. */
#define PW_MAC_2X3(i)                                                                   \
    do {                                                                                \
        const int32_t xa = u[(i)], xb = u[NN_PW_SLICE + (i)];                           \
        int32_t f = w0[(i)];                                                            \
        a00 += f * xa;                                                                  \
        a10 += f * xb;                                                                  \
        f = w1[(i)];                                                                    \
        a01 += f * xa;                                                                  \
        a11 += f * xb;                                                                  \
        f = w2[(i)];                                                                    \
        a02 += f * xa;                                                                  \
        a12 += f * xb;                                                                  \
    } while (0)

/*
 * One run of n pixels (input pixel i at x + i * x_step, output pixel i at y + i * out_c; y points
 * at the chunk's first channel) for the nc output channels of the chunk whose weights start at w.
 * Pixels go in pairs (an odd last pixel is paired with itself and stored once). Each pair's
 * input channels are first widened to int16 on the stack, NN_PW_SLICE at a time: the copy is
 * shared by every output channel, and int16 x int8 products are what gcc's x86 vectoriser turns
 * into pmaddwd (without SSE4.1 the int8 sign extension otherwise costs more than the multiplies);
 * for a scalar core int16 and int8 loads cost the same. Register block: 2 pixels x 3 channels
 * (5 loads for 6 multiply-accumulates; 6 accumulators and 5 pointers fit 16 registers).
 */
static void pw_run(const pw_ctx *c, const int8_t *x, int32_t x_step, int32_t n, int8_t *y,
                   const int8_t *w, int32_t nc, const nn_rq_chunk *rq)
{
    const int32_t in_c = c->in_c;
    const int32_t out_c = c->out_c;
    /* locals: the int8 output stores could alias *c, which would force reloads */
    const int32_t out_off = c->output_offset, act_min = c->act_min, act_max = c->act_max;
    const int32_t in_off = c->input_offset;
    int16_t u[2 * NN_PW_SLICE]; /* the pair's two pixels, at constant offsets (no extra base register) */
    int32_t acc0[NN_FAST_CHUNK], acc1[NN_FAST_CHUNK];
    int8_t spare[NN_FAST_CHUNK];
    const int direct = in_c <= NN_PW_SLICE && !rq->any_left;
    int32_t p, s0, i, j;
    for (p = 0; p < n; p += 2) {
        const int8_t *x0 = x + (size_t)p * x_step;
        const int8_t *x1 = p + 1 < n ? x0 + x_step : x0;
        int8_t *y0 = y + (size_t)p * out_c;
        /* an odd last pixel is computed twice and stored once: its twin goes to a dummy row */
        int8_t *y1 = p + 1 < n ? y0 + out_c : spare;
        for (s0 = 0; s0 < in_c; s0 += NN_PW_SLICE) {
            const int32_t len = in_c - s0 < NN_PW_SLICE ? in_c - s0 : NN_PW_SLICE;
            const int32_t len16 = len & ~15;
            if (c->im2col) { /* one slice: len == in_c */
                im2col_fill(c, p, u);
                im2col_fill(c, p + 1 < n ? p + 1 : p, u + NN_PW_SLICE);
            } else {
                NN_UNROLL2
                for (i = 0; i < len; ++i) { /* x + input_offset in [-255, 255] */
                    u[i] = (int16_t)(x0[s0 + i] + in_off);
                    u[NN_PW_SLICE + i] = (int16_t)(x1[s0 + i] + in_off);
                }
            }
            for (j = 0; j + 3 <= nc; j += 3) {
                const int8_t *w0 = w + (size_t)j * in_c + s0;
                const int8_t *w1 = w0 + in_c;
                const int8_t *w2 = w1 + in_c;
                int32_t a00 = 0, a01 = 0, a02 = 0, a10 = 0, a11 = 0, a12 = 0;
                /* Two copies of one loop: the first runs a multiple of 16 times, which lets gcc -O2's
                 * very-cheap vectoriser take it without an epilogue; the second does the rest. */
                NN_UNROLL2
                for (i = 0; i < len16; ++i) {
                    PW_MAC_2X3(i);
                }
                for (; i < len; ++i) {
                    PW_MAC_2X3(i);
                }
                if (direct) { /* one slice, no left shifts: requantise straight from registers */
                    y0[j] = nn_rq_out_noleft(rq, j, a00, out_off, act_min, act_max);
                    y0[j + 1] = nn_rq_out_noleft(rq, j + 1, a01, out_off, act_min, act_max);
                    y0[j + 2] = nn_rq_out_noleft(rq, j + 2, a02, out_off, act_min, act_max);
                    y1[j] = nn_rq_out_noleft(rq, j, a10, out_off, act_min, act_max);
                    y1[j + 1] = nn_rq_out_noleft(rq, j + 1, a11, out_off, act_min, act_max);
                    y1[j + 2] = nn_rq_out_noleft(rq, j + 2, a12, out_off, act_min, act_max);
                } else if (s0 == 0) {
                    acc0[j] = a00;
                    acc0[j + 1] = a01;
                    acc0[j + 2] = a02;
                    acc1[j] = a10;
                    acc1[j + 1] = a11;
                    acc1[j + 2] = a12;
                } else { /* partial sums of one accumulator: no overflow (reader bound) */
                    acc0[j] += a00;
                    acc0[j + 1] += a01;
                    acc0[j + 2] += a02;
                    acc1[j] += a10;
                    acc1[j + 1] += a11;
                    acc1[j + 2] += a12;
                }
            }
            for (; j < nc; ++j) {
                const int8_t *wj = w + (size_t)j * in_c + s0;
                int32_t a0 = 0, a1 = 0;
                NN_UNROLL2
                for (i = 0; i < len16; ++i) {
                    a0 += wj[i] * u[i];
                    a1 += wj[i] * u[NN_PW_SLICE + i];
                }
                for (; i < len; ++i) {
                    a0 += wj[i] * u[i];
                    a1 += wj[i] * u[NN_PW_SLICE + i];
                }
                if (direct) {
                    y0[j] = nn_rq_out_noleft(rq, j, a0, out_off, act_min, act_max);
                    y1[j] = nn_rq_out_noleft(rq, j, a1, out_off, act_min, act_max);
                } else {
                    acc0[j] = s0 == 0 ? a0 : acc0[j] + a0;
                    acc1[j] = s0 == 0 ? a1 : acc1[j] + a1;
                }
            }
        }
        if (!direct) {
            nn_rq_store(rq, acc0, nc, y0, out_off, act_min, act_max);
            if (p + 1 < n) {
                nn_rq_store(rq, acc1, nc, y0 + out_c, out_off, act_min, act_max);
            }
        }
    }
}

static void conv_pointwise(const nn_conv_params *params, const nn_channel_quant *quant,
                           const nn_dims *input_dims, const int8_t *input, const int8_t *filter,
                           const int32_t *bias, const nn_dims *output_dims, int8_t *output)
{
    const int32_t in_h = input_dims->h, in_w = input_dims->w, in_c = input_dims->c;
    const int32_t out_h = output_dims->h, out_w = output_dims->w, out_c = output_dims->c;
    const int32_t contiguous = params->stride_h == 1 && params->stride_w == 1 && in_h == out_h && in_w == out_w;
    pw_ctx c;
    int32_t oc0;
    c.im2col = 0;
    c.input_offset = params->input_offset;
    c.in_c = in_c;
    c.out_c = out_c;
    c.output_offset = params->output_offset;
    c.act_min = params->act_min;
    c.act_max = params->act_max;

    for (oc0 = 0; oc0 < out_c; oc0 += NN_FAST_CHUNK) {
        const int32_t nc = out_c - oc0 < NN_FAST_CHUNK ? out_c - oc0 : NN_FAST_CHUNK;
        const int8_t *w = filter + (size_t)oc0 * in_c;
        nn_rq_chunk rq;
        int32_t j;
        nn_rq_prepare(&rq, quant->multiplier + oc0, quant->shift + oc0, nc);
        for (j = 0; j < nc; ++j) { /* nn_rq_fold in the same pass */
            const int32_t cst = bias ? bias[oc0 + j] : 0; /* the input offset is added to x (pw_run) */
            rq.cst[j] = cst;
            rq.base[j] = (int64_t)cst * rq.mult[j] + ((int64_t)1 << 30);
        }
        if (contiguous) {
            pw_run(&c, input, in_c, output_dims->n * out_h * out_w, output + oc0, w, nc, &rq);
        } else {
            int32_t b, oy;
            for (b = 0; b < output_dims->n; ++b) {
                for (oy = 0; oy < out_h; ++oy) {
                    const int8_t *x = input + (((size_t)b * in_h + (size_t)oy * params->stride_h) * in_w) * in_c;
                    int8_t *y = output + (((size_t)b * out_h + oy) * out_w) * out_c;
                    pw_run(&c, x, params->stride_w * in_c, out_w, y + oc0, w, nc, &rq);
                }
            }
        }
    }
}

/* Exact per-tap accumulation for one output pixel, 4 channels at a time, then requantise. */
static void conv_pixel(const nn_conv_params *params, const nn_channel_quant *quant,
                       const nn_dims *input_dims, const int8_t *in_batch,
                       const nn_dims *filter_dims, const int8_t *filter, const int32_t *bias,
                       int32_t out_c, int32_t in_y0, int32_t in_x0, int8_t *out_px)
{
    const int32_t in_h = input_dims->h, in_w = input_dims->w, in_c = input_dims->c;
    const int32_t k_h = filter_dims->h, k_w = filter_dims->w;
    const int32_t dil_h = params->dilation_h, dil_w = params->dilation_w;
    const int32_t off = params->input_offset;
    const size_t f_stride = (size_t)k_h * k_w * in_c;
    int32_t ky_start, ky_end, kx_start, kx_end;
    int32_t run_len, runs, run_step_x;
    int32_t oc = 0;
    nn_tap_range(in_y0, dil_h, k_h, in_h, &ky_start, &ky_end);
    nn_tap_range(in_x0, dil_w, k_w, in_w, &kx_start, &kx_end);
    if (dil_w == 1) {
        run_len = (kx_end - kx_start) * in_c; /* kx and ic contiguous in input row and filter row */
        runs = kx_end > kx_start ? 1 : 0;
        run_step_x = 0;
    } else {
        run_len = in_c;
        runs = kx_end - kx_start;
        run_step_x = dil_w * in_c;
    }
    for (; oc < out_c; oc += 4) {
        const int32_t nb = out_c - oc < 4 ? out_c - oc : 4;
        const int8_t *f0 = filter + (size_t)oc * f_stride;
        const int8_t *f1 = nb > 1 ? f0 + f_stride : f0;
        const int8_t *f2 = nb > 2 ? f1 + f_stride : f1;
        const int8_t *f3 = nb > 3 ? f2 + f_stride : f2;
        int32_t a[4] = {0, 0, 0, 0};
        int32_t ky, r, i, k;
        for (ky = ky_start; runs > 0 && ky < ky_end; ++ky) {
            const int32_t iy = in_y0 + ky * dil_h;
            const int8_t *xrow = in_batch + ((size_t)iy * in_w + (in_x0 + kx_start * dil_w)) * in_c;
            const size_t frow = ((size_t)ky * k_w + kx_start) * in_c;
            for (r = 0; r < runs; ++r) {
                const int8_t *x = xrow + (size_t)r * run_step_x;
                const size_t fo = frow + (size_t)r * in_c;
                const int8_t *g0 = f0 + fo, *g1 = f1 + fo, *g2 = f2 + fo, *g3 = f3 + fo;
                int32_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
                for (i = 0; i < run_len; ++i) {
                    const int32_t xv = (int32_t)x[i] + off;
                    a0 += g0[i] * xv;
                    a1 += g1[i] * xv;
                    a2 += g2[i] * xv;
                    a3 += g3[i] * xv;
                }
                a[0] = a0;
                a[1] = a1;
                a[2] = a2;
                a[3] = a3;
            }
        }
        for (k = 0; k < nb; ++k) {
            const int32_t acc = a[k] + (bias ? bias[oc + k] : 0);
            out_px[oc + k] = nn_requant_clamp(acc, quant->multiplier[oc + k], quant->shift[oc + k],
                                              params->output_offset, params->act_min, params->act_max);
        }
    }
}

/* Windows of at most NN_PW_SLICE values (stems: 3x3 x 1..3 channels, small convs): gathered per
 * pixel pair, then the pointwise machinery runs over the OHWI filter rows of kh * kw * in_c. */
static void conv_im2col(const nn_conv_params *params, const nn_channel_quant *quant,
                        const nn_dims *input_dims, const int8_t *input,
                        const nn_dims *filter_dims, const int8_t *filter, const int32_t *bias,
                        const nn_dims *output_dims, int8_t *output)
{
    const int32_t out_h = output_dims->h, out_w = output_dims->w, out_c = output_dims->c;
    const int32_t k = filter_dims->h * filter_dims->w * input_dims->c;
    pw_ctx c;
    int32_t oc0;
    c.im2col = 1;
    c.p = params;
    c.in = input_dims;
    c.k_h = filter_dims->h;
    c.k_w = filter_dims->w;
    c.input_offset = params->input_offset;
    c.in_c = k;
    c.out_c = out_c;
    c.output_offset = params->output_offset;
    c.act_min = params->act_min;
    c.act_max = params->act_max;
    for (oc0 = 0; oc0 < out_c; oc0 += NN_FAST_CHUNK) {
        const int32_t nc = out_c - oc0 < NN_FAST_CHUNK ? out_c - oc0 : NN_FAST_CHUNK;
        nn_rq_chunk rq;
        int32_t j, b, oy;
        nn_rq_prepare(&rq, quant->multiplier + oc0, quant->shift + oc0, nc);
        for (j = 0; j < nc; ++j) {
            rq.cst[j] = bias ? bias[oc0 + j] : 0;
        }
        nn_rq_fold(&rq, nc);
        for (b = 0; b < output_dims->n; ++b) {
            c.in_batch = input + (size_t)b * input_dims->h * input_dims->w * input_dims->c;
            for (oy = 0; oy < out_h; ++oy) {
                c.in_y0 = oy * params->stride_h - params->pad_top;
                pw_run(&c, input, 0, out_w, output + (((size_t)b * out_h + oy) * out_w) * out_c + oc0,
                       filter + (size_t)oc0 * k, nc, &rq);
            }
        }
    }
}

void nn_conv2d_s8_fast(const nn_conv_params *params, const nn_channel_quant *quant,
                       const nn_dims *input_dims, const int8_t *input,
                       const nn_dims *filter_dims, const int8_t *filter,
                       const int32_t *bias,
                       const nn_dims *output_dims, int8_t *output)
{
    const int32_t in_h = input_dims->h, in_w = input_dims->w, in_c = input_dims->c;
    const int32_t out_h = output_dims->h, out_w = output_dims->w, out_c = output_dims->c;
    int32_t b, oy, ox;

    if (filter_dims->h == 1 && filter_dims->w == 1 && params->pad_top == 0 && params->pad_left == 0 &&
        (int64_t)(out_h - 1) * params->stride_h < in_h && (int64_t)(out_w - 1) * params->stride_w < in_w) {
        conv_pointwise(params, quant, input_dims, input, filter, bias, output_dims, output);
        return;
    }
    if ((int64_t)filter_dims->h * filter_dims->w * in_c <= NN_PW_SLICE) {
        conv_im2col(params, quant, input_dims, input, filter_dims, filter, bias, output_dims, output);
        return;
    }
    for (b = 0; b < output_dims->n; ++b) {
        const int8_t *in_batch = input + (size_t)b * in_h * in_w * in_c;
        for (oy = 0; oy < out_h; ++oy) {
            const int32_t in_y0 = oy * params->stride_h - params->pad_top;
            for (ox = 0; ox < out_w; ++ox) {
                const int32_t in_x0 = ox * params->stride_w - params->pad_left;
                int8_t *out_px = output + (((size_t)b * out_h + oy) * out_w + ox) * out_c;
                conv_pixel(params, quant, input_dims, in_batch, filter_dims, filter, bias, out_c, in_y0, in_x0,
                           out_px);
            }
        }
    }
}
