/* kernel_cases.c - the board's kernels against the reference kernels, on the emulated core.
 *
 * The scalar kernels' Xtensa assembly only runs here (hosts build the same block in C), so this
 * is where it is held equal to the reference: random CONV_2D cases (pointwise and windows up to
 * 5x5, dot-product lengths on both sides of every multiple of 4 and of the 256-row slices, 1-3
 * pixel blocks, odd channel counts, windows past the 512-input x' block, ReLU sums around the
 * requantisation shortcuts' 2^15 and 2^16; also with the filter widened, conv2d_w16), FULLY_CONNECTED, random DEPTHWISE_CONV_2D cases (3x3 at strides 1 and 2 with
 * every padding, other windows, dilations, depth multipliers 1/2/8, ReLU and other clamps; also with
 * the filter widened, depthwise_conv2d_w16), ADD
 * over every pair of int8 inputs, and the 32-bit requantisation against
 * nn_multiply_by_quantized_multiplier. Each group is one case
 * line ("ok     kernels <group>" or "FAILED kernels <group>: <first difference>"). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "nanonet/nn_kernel_table.h"
#include "nanonet/nn_kernels.h"
#include "nanonet/nn_requant.h"
#include "../../native-interop/src/kernels/scalar/nn_rq32.h"
#include "kernel_cases.h"
#include "xt_support.h"

static uint32_t rng = 0x2545F491u;

static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* uniform in [lo, hi] (small ranges: the modulo bias does not matter here) */
static int32_t range(int32_t lo, int32_t hi)
{
    return lo + (int32_t)(next() % (uint32_t)(hi - lo + 1));
}

static int32_t multiplier(void)
{
    const int32_t r = range(0, 9);
    return r == 0 ? 0 : r == 1 ? 0x40000000 : r == 2 ? INT32_MAX : (int32_t)(0x40000000u + (next() & 0x3FFFFFFFu));
}

typedef struct conv_case {
    nn_conv_params p;
    nn_dims in, f, out;
    int8_t *x, *w, *y_ref, *y;
    int32_t *bias, *mult, *shift;
    int depthwise;
} conv_case;

static int32_t out_size(int32_t in, int32_t k, int32_t stride, int32_t dil, int32_t before, int32_t after)
{
    const int32_t span = (k - 1) * dil + 1;
    return in + before + after < span ? 0 : (in + before + after - span) / stride + 1;
}

/* A random case within what the model reader accepts; 0 when the sizes did not fit. */
static int make_case(conv_case *c, int depthwise, int pointwise, int long_k)
{
    static const int32_t ks[4] = {1, 2, 3, 5};
    static const int32_t mults[4] = {1, 1, 2, 8};
    const int32_t mult = depthwise ? mults[range(0, 3)] : 1;
    int32_t kh, kw, pb_h, pb_w, pa_h, pa_w, i, n_out, taps, small, mid;
    size_t nx, nw, ny;
    memset(c, 0, sizeof *c);
    c->depthwise = depthwise;
    c->in.n = range(0, 5) == 0 ? 2 : 1;
    c->in.h = range(1, 9);
    c->in.w = long_k == 3 ? 4 * range(1, 3) - range(0, 1) : range(1, 11); /* mode 3: whole 3- or 4-pixel blocks */
    c->in.c = long_k == 3 ? (depthwise ? range(16, 48) : range(32, 64)) : long_k == 2 ? range(500, 1300) : long_k ? range(250, 300) : depthwise ? range(1, 20) : range(1, 48);
    kh = pointwise ? 1 : long_k == 3 ? 3 : ks[range(0, 3)];
    kw = pointwise ? 1 : long_k == 3 ? 3 : (range(0, 2) ? kh : ks[range(0, 3)]);
    if (!depthwise && !pointwise && kh * kw * c->in.c > 500) {
        return 0;
    }
    c->p.stride_h = range(1, 2);
    c->p.stride_w = range(1, 2);
    c->p.dilation_h = pointwise || range(0, 3) ? 1 : 2;
    c->p.dilation_w = pointwise || range(0, 3) ? 1 : 2;
    pb_h = pointwise ? 0 : range(0, kh - 1);
    pb_w = pointwise ? 0 : range(0, kw - 1);
    pa_h = pointwise ? 0 : range(0, kh - 1);
    pa_w = pointwise ? 0 : range(0, kw - 1);
    c->p.pad_top = pb_h;
    c->p.pad_left = pb_w;
    c->p.depth_multiplier = mult;
    c->out.n = c->in.n;
    c->out.h = out_size(c->in.h, kh, c->p.stride_h, c->p.dilation_h, pb_h, pa_h);
    c->out.w = out_size(c->in.w, kw, c->p.stride_w, c->p.dilation_w, pb_w, pa_w);
    c->out.c = depthwise ? c->in.c * mult : range(1, 40);
    if (c->out.h < 1 || c->out.w < 1) {
        return 0;
    }
    /* every window needs an in-bounds tap (the reader's rule pad_before < window) */
    if (pb_h > (kh - 1) * c->p.dilation_h || pb_w > (kw - 1) * c->p.dilation_w) {
        return 0;
    }
    c->f.n = depthwise ? 1 : c->out.c;
    c->f.h = kh;
    c->f.w = kw;
    c->f.c = depthwise ? c->out.c : c->in.c;
    c->p.input_offset = range(0, 5) == 0 ? (range(0, 1) ? -127 : 128) : range(-127, 128);
    c->p.output_offset = range(-128, 127);
    c->p.act_min = range(0, 1) ? -128 : range(-128, 0);
    if (range(0, 3) == 0) {
        c->p.act_min = c->p.output_offset; /* ReLU / ReLU6 */
    }
    if (long_k == 3) {
        c->p.act_min = c->p.output_offset; /* mode 3: ReLU, whose sums of 32-64 full-range products often pass 2^15 */
    }
    c->p.act_max = range(0, 1) ? 127 : range(c->p.act_min, 127);
    nx = (size_t)c->in.n * c->in.h * c->in.w * c->in.c;
    nw = (size_t)c->f.n * kh * kw * c->f.c;
    ny = (size_t)c->out.n * c->out.h * c->out.w * c->out.c;
    n_out = c->out.c;
    c->x = (int8_t *)pool_alloc(nx);
    c->w = (int8_t *)pool_alloc(nw);
    c->y_ref = (int8_t *)pool_alloc(ny);
    c->y = (int8_t *)pool_alloc(ny);
    c->bias = (int32_t *)pool_alloc((size_t)n_out * 4u);
    c->mult = (int32_t *)pool_alloc((size_t)n_out * 4u);
    c->shift = (int32_t *)pool_alloc((size_t)n_out * 4u);
    if (!c->x || !c->w || !c->y_ref || !c->y || !c->bias || !c->mult || !c->shift) {
        return 0;
    }
    for (i = 0; i < (int32_t)nx; ++i) {
        c->x[i] = (int8_t)(range(0, 7) == 0 ? (range(0, 1) ? -128 : 127) : range(-128, 127));
    }
    /* a third of the cases with small weights and biases: sums inside [-2^15, 2^15), which the
     * requantisation shortcuts serve (with full-range weights most sums of long windows are past it);
     * a third with full-range weights and small biases: sums around the shortcuts' 2^15 and 2^16 */
    small = long_k != 3 && range(0, 2) == 0;
    mid = !small && range(0, 1) == 0;
    for (i = 0; i < (int32_t)nw; ++i) {
        c->w[i] = (int8_t)(small ? range(-3, 3) : range(0, 7) == 0 ? (range(0, 1) ? -128 : 127) : range(-127, 127));
    }
    taps = kh * kw * (depthwise ? 1 : c->in.c);
    for (i = 0; i < n_out; ++i) {
        /* (taps * 32640 + |bias|) * 2^left within int32, as the reader demands */
        const int32_t left = range(0, 5) == 0 ? range(1, 2) : 0;
        c->shift[i] = left > 0 ? left : long_k == 3 ? range(-10, -5) : range(-16, 0);
        c->mult[i] = multiplier();
        c->bias[i] = small || mid ? range(-4000, 4000) : range(-(1 << 20), 1 << 20);
        if ((int64_t)(taps * 32640 + (1 << 20)) << left > INT32_MAX - 128) {
            c->shift[i] = range(-16, 0);
        }
    }
    return 1;
}

/* widened: CONV_2D through conv2d_w16 with the filter also given as int16 (nn_model_widen's form) */
static int run_group_w(const char *group, int depthwise, int pointwise, int long_k, int count, int widened)
{
    const nn_kernel_table *kt = nn_scalar_kernels();
    int done = 0, tries = 0;
    while (done < count && tries < 20 * count) {
        conv_case c;
        nn_channel_quant q;
        size_t ny, i;
        const int32_t *bias;
        ++tries;
        pool_reset();
        if (!make_case(&c, depthwise, pointwise, long_k)) {
            continue;
        }
        q.multiplier = c.mult;
        q.shift = c.shift;
        bias = range(0, 7) == 0 ? NULL : c.bias;
        ny = (size_t)c.out.n * c.out.h * c.out.w * c.out.c;
        memset(c.y_ref, 0x55, ny);
        memset(c.y, 0x2A, ny);
        if (depthwise && widened) { /* 3x3 filters regrouped [ky][c][kx] as int16 (nn_model_widen's form) */
            const int32_t ch = c.f.c;
            int16_t *w16 = NULL;
            if (c.f.h == 3 && c.f.w == 3) {
                int32_t ky, kx, j;
                w16 = (int16_t *)(void *)pool_alloc(2u * 9u * (size_t)ch);
                if (w16 == NULL) {
                    continue;
                }
                for (ky = 0; ky < 3; ++ky) {
                    for (j = 0; j < ch; ++j) {
                        for (kx = 0; kx < 3; ++kx) {
                            w16[(ky * ch + j) * 3 + kx] = c.w[(ky * 3 + kx) * ch + j];
                        }
                    }
                }
            }
            nn_depthwise_conv2d_s8(&c.p, &q, &c.in, c.x, &c.f, c.w, bias, &c.out, c.y_ref);
            kt->depthwise_conv2d_w16(&c.p, &q, &c.in, c.x, &c.f, c.w, w16, bias, &c.out, c.y);
        } else if (depthwise) {
            nn_depthwise_conv2d_s8(&c.p, &q, &c.in, c.x, &c.f, c.w, bias, &c.out, c.y_ref);
            kt->depthwise_conv2d(&c.p, &q, &c.in, c.x, &c.f, c.w, bias, &c.out, c.y);
        } else if (widened) {
            const size_t nw = (size_t)c.f.n * c.f.h * c.f.w * c.f.c;
            int16_t *w16 = (int16_t *)(void *)pool_alloc(2u * nw);
            if (w16 == NULL) {
                continue;
            }
            for (i = 0; i < nw; ++i) {
                w16[i] = (int16_t)c.w[i];
            }
            nn_conv2d_s8(&c.p, &q, &c.in, c.x, &c.f, c.w, bias, &c.out, c.y_ref);
            kt->conv2d_w16(&c.p, &q, &c.in, c.x, &c.f, c.w, w16, bias, &c.out, c.y);
        } else {
            nn_conv2d_s8(&c.p, &q, &c.in, c.x, &c.f, c.w, bias, &c.out, c.y_ref);
            kt->conv2d(&c.p, &q, &c.in, c.x, &c.f, c.w, bias, &c.out, c.y);
        }
        for (i = 0; i < ny; ++i) {
            if (c.y[i] != c.y_ref[i]) {
                put_str("FAILED kernels "); put_str(group); put_str(": case "); put_int(done);
                put_str(" in "); put_int(c.in.n); put_str("x"); put_int(c.in.h); put_str("x"); put_int(c.in.w);
                put_str("x"); put_int(c.in.c); put_str(" k "); put_int(c.f.h); put_str("x"); put_int(c.f.w);
                put_str(" s "); put_int(c.p.stride_h); put_str(","); put_int(c.p.stride_w);
                put_str(" pad "); put_int(c.p.pad_top); put_str(","); put_int(c.p.pad_left);
                put_str(" out c "); put_int(c.out.c); put_str(": element "); put_int((long)i);
                put_str(" got "); put_int(c.y[i]); put_str(", reference "); put_int(c.y_ref[i]);
                flush_line();
                return 0;
            }
        }
        ++done;
    }
    if (done < count) {
        put_str("FAILED kernels "); put_str(group); put_str(": only "); put_int(done); put_str(" cases fitted");
        flush_line();
        return 0;
    }
    put_str("ok     kernels "); put_str(group); put_str(" ("); put_int(done); put_str(" cases)");
    flush_line();
    return 1;
}

static int run_group(const char *group, int depthwise, int pointwise, int long_k, int count)
{
    return run_group_w(group, depthwise, pointwise, long_k, count, 0);
}

/* FULLY_CONNECTED (a 1x1 CONV_2D of the scalar kernels, in slices past 512 inputs) against
 * nn_fully_connected_s8: batches 1-10, depths 1-1400, with and without bias, ReLU and other clamps */
static int fc_group(int count)
{
    const nn_kernel_table *kt = nn_scalar_kernels();
    int done;
    for (done = 0; done < count; ++done) {
        const int32_t batches = range(1, 10);
        const int32_t in_depth = done < count / 4 ? range(1, 16) : range(1, 1400);
        const int32_t out_depth = range(1, 37);
        const size_t nx = (size_t)batches * in_depth, nw = (size_t)out_depth * in_depth, ny = (size_t)batches * out_depth;
        int8_t *x, *w, *y_ref, *y;
        int32_t *bias, *mult, *shift, i;
        nn_fc_params p;
        nn_channel_quant q;
        const int32_t *b;
        pool_reset();
        x = (int8_t *)pool_alloc(nx);
        w = (int8_t *)pool_alloc(nw);
        y_ref = (int8_t *)pool_alloc(ny);
        y = (int8_t *)pool_alloc(ny);
        bias = (int32_t *)pool_alloc((size_t)out_depth * 4u);
        mult = (int32_t *)pool_alloc((size_t)out_depth * 4u);
        shift = (int32_t *)pool_alloc((size_t)out_depth * 4u);
        if (!x || !w || !y_ref || !y || !bias || !mult || !shift) {
            put_str("FAILED kernels fully_connected: case "); put_int(done); put_str(" does not fit the pool");
            flush_line();
            return 0;
        }
        for (i = 0; i < (int32_t)nx; ++i) {
            x[i] = (int8_t)range(-128, 127);
        }
        for (i = 0; i < (int32_t)nw; ++i) {
            w[i] = (int8_t)range(-127, 127);
        }
        for (i = 0; i < out_depth; ++i) {
            bias[i] = range(-(1 << 20), 1 << 20);
            mult[i] = multiplier();
            shift[i] = range(-18, -6);
        }
        p.input_offset = range(-127, 128);
        p.output_offset = range(-128, 127);
        p.act_min = range(0, 1) ? -128 : p.output_offset;
        p.act_max = range(0, 1) ? 127 : range(p.act_min, 127);
        q.multiplier = mult;
        q.shift = shift;
        b = range(0, 5) == 0 ? NULL : bias;
        memset(y_ref, 0x55, ny);
        memset(y, 0x2A, ny);
        nn_fully_connected_s8(&p, &q, batches, in_depth, out_depth, x, w, b, y_ref);
        kt->fully_connected(&p, &q, batches, in_depth, out_depth, x, w, b, y);
        for (i = 0; i < (int32_t)ny; ++i) {
            if (y[i] != y_ref[i]) {
                put_str("FAILED kernels fully_connected: case "); put_int(done); put_str(" batches "); put_int(batches);
                put_str(" in "); put_int(in_depth); put_str(" out "); put_int(out_depth); put_str(": element ");
                put_int(i); put_str(" got "); put_int(y[i]); put_str(", reference "); put_int(y_ref[i]);
                flush_line();
                return 0;
            }
        }
    }
    put_str("ok     kernels fully_connected ("); put_int(done); put_str(" cases)");
    flush_line();
    return 1;
}

/* ADD exhaustively over every pair of int8 inputs, for parameter sets of the ranges TFLM's
 * Prepare gives (left shift 20, input multipliers below 1/2, output rescale 2^-15..2^-21) */
static int add_group(void)
{
    static int8_t x1[65536], x2[65536], y_ref[65536], y[65536];
    int32_t set, i;
    for (i = 0; i < 65536; ++i) {
        x1[i] = (int8_t)(i & 0xFF);
        x2[i] = (int8_t)(i >> 8);
    }
    for (set = 0; set < 6; ++set) {
        nn_add_params p;
        p.input1_offset = range(-127, 128);
        p.input2_offset = range(-127, 128);
        p.output_offset = range(-128, 127);
        p.left_shift = set == 5 ? 16 : 20;
        p.input1_multiplier = (int32_t)(0x40000000u + (next() & 0x3FFFFFFFu));
        p.input2_multiplier = (int32_t)(0x40000000u + (next() & 0x3FFFFFFFu));
        p.output_multiplier = (int32_t)(0x40000000u + (next() & 0x3FFFFFFFu));
        p.input1_shift = range(-3, -1);
        p.input2_shift = range(-3, -1);
        p.output_shift = range(-21, -15) + (20 - p.left_shift);
        p.act_min = range(0, 1) ? -128 : p.output_offset;
        p.act_max = 127;
        nn_add_s8(&p, 65536, x1, x2, y_ref);
        nn_scalar_kernels()->add(&p, 65536, x1, x2, y);
        for (i = 0; i < 65536; ++i) {
            if (y[i] != y_ref[i]) {
                put_str("FAILED kernels add: set "); put_int(set); put_str(" x1 "); put_int(x1[i]);
                put_str(" x2 "); put_int(x2[i]); put_str(" got "); put_int(y[i]); put_str(", reference ");
                put_int(y_ref[i]);
                flush_line();
                return 0;
            }
        }
    }
    put_str("ok     kernels add (6 x 65536 input pairs)");
    flush_line();
    return 1;
}

static int requant_group(void)
{
    static const int32_t xs[] = {0, 1, -1, INT32_MAX, INT32_MIN, INT32_MIN + 1, 1 << 30, -(1 << 30), 32767, -32768,
                                 32768, -32769, 65535, -65536};
    int32_t i, shift;
    for (shift = -31; shift <= 30; ++shift) {
        for (i = 0; i < (int32_t)(sizeof xs / sizeof xs[0]); ++i) {
            const int32_t m = multiplier();
            if (nn_rq32_requant(xs[i], m, shift) != nn_multiply_by_quantized_multiplier(xs[i], m, shift)) {
                put_str("FAILED kernels requant32: x "); put_int(xs[i]); put_str(" m "); put_int(m);
                put_str(" shift "); put_int(shift);
                flush_line();
                return 0;
            }
        }
    }
    for (i = 0; i < 200000; ++i) {
        const int32_t x = (int32_t)next() >> range(0, 31);
        const int32_t m = multiplier();
        const int32_t sh = range(-31, 30);
        if (nn_rq32_requant(x, m, sh) != nn_multiply_by_quantized_multiplier(x, m, sh)) {
            put_str("FAILED kernels requant32: x "); put_int(x); put_str(" m "); put_int(m);
            put_str(" shift "); put_int(sh);
            flush_line();
            return 0;
        }
    }
    put_str("ok     kernels requant32 (200868 arguments)");
    flush_line();
    return 1;
}

void xt_kernel_cases(unsigned *passed, unsigned *failed)
{
    int ok[16];
    int i;
    ok[6] = add_group();
    ok[0] = requant_group();
    ok[1] = run_group("conv_pointwise", 0, 1, 0, 400);
    ok[2] = run_group("conv_windows", 0, 0, 0, 300);
    ok[3] = run_group("conv_long_k", 0, 1, 1, 40);
    ok[7] = run_group("conv_longer_k", 0, 1, 2, 30);
    ok[4] = run_group("depthwise", 1, 0, 0, 600);
    ok[5] = run_group("depthwise_1x1", 1, 1, 0, 100);
    ok[8] = fc_group(60);
    ok[9] = run_group("conv_relu_wide_sums", 0, 1, 3, 300);
    ok[10] = run_group("depthwise_relu_wide_sums", 1, 0, 3, 800);
    ok[11] = run_group_w("conv_pointwise_widened", 0, 1, 0, 300, 1);
    ok[12] = run_group_w("conv_windows_widened", 0, 0, 0, 200, 1);
    ok[13] = run_group_w("conv_relu_wide_sums_widened", 0, 1, 3, 200, 1);
    ok[14] = run_group_w("depthwise_widened", 1, 0, 0, 400, 1);
    ok[15] = run_group_w("depthwise_relu_wide_sums_widened", 1, 0, 3, 400, 1);
    for (i = 0; i < 16; ++i) {
        if (ok[i]) {
            ++*passed;
        } else {
            ++*failed;
        }
    }
}
