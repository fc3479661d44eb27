/*
 * test_kernels_conv.c - nn_conv2d_s8 against a naive int64 reference written from the BRIEF:
 * every output element of every random case is compared. Random shapes cover odd and even
 * sizes, strides 1-3, SAME / VALID / arbitrary paddings, dilation, 1x1 / 3x3 / odd kernels,
 * positive and negative shifts, multiplier 0, 0.5 multipliers (rounding ties), clamps, NULL bias.
 */
#include <stdlib.h>
#include <string.h>

#include "nanonet/nn_kernels.h"
#include "naive_reference.h"
#include "nn_test.h"

typedef struct conv_case {
    nn_conv_params p;
    nn_dims in, filt, out;
    int8_t *input, *filter, *output;
    int32_t *bias; /* may be NULL */
    int32_t *mult, *shift;
} conv_case;

static long g_outputs, g_inside;

/* Output size for padding mode: 0 VALID, 1 SAME, 2 random pads. Returns 0 if impossible. */
static int pick_geometry(uint32_t *st, int32_t in, int32_t k, int32_t stride, int32_t dil, int mode,
                         int32_t *pad_before, int32_t *out)
{
    const int32_t eff = (k - 1) * dil + 1;
    int32_t pb = 0, pa = 0;
    if (mode == 1) {
        const int32_t o = (in + stride - 1) / stride;
        int32_t total = (o - 1) * stride + eff - in;
        if (total < 0) {
            total = 0;
        }
        pb = total / 2;
        pa = total - pb;
    } else if (mode == 2) {
        pb = nn_test_rand_range(st, 0, eff - 1);
        pa = nn_test_rand_range(st, 0, eff - 1);
    }
    if (in + pb + pa < eff) {
        return 0;
    }
    *pad_before = pb;
    *out = (in + pb + pa - eff) / stride + 1;
    return 1;
}

static void ref_conv(const conv_case *c, int8_t *expected)
{
    int32_t b, oy, ox, oc, ky, kx, ic;
    for (b = 0; b < c->out.n; ++b)
        for (oy = 0; oy < c->out.h; ++oy)
            for (ox = 0; ox < c->out.w; ++ox)
                for (oc = 0; oc < c->out.c; ++oc) {
                    int64_t acc = c->bias ? c->bias[oc] : 0;
                    int32_t v;
                    for (ky = 0; ky < c->filt.h; ++ky)
                        for (kx = 0; kx < c->filt.w; ++kx) {
                            const int32_t iy = oy * c->p.stride_h - c->p.pad_top + ky * c->p.dilation_h;
                            const int32_t ix = ox * c->p.stride_w - c->p.pad_left + kx * c->p.dilation_w;
                            if (iy < 0 || iy >= c->in.h || ix < 0 || ix >= c->in.w) {
                                continue; /* padded tap: contributes zero */
                            }
                            for (ic = 0; ic < c->in.c; ++ic) {
                                const int64_t x = c->input[((b * c->in.h + iy) * c->in.w + ix) * c->in.c + ic];
                                const int64_t w = c->filter[((oc * c->filt.h + ky) * c->filt.w + kx) * c->filt.c + ic];
                                acc += w * (x + c->p.input_offset);
                            }
                        }
                    v = nnref_requant(acc, c->mult[oc], c->shift[oc]) + c->p.output_offset;
                    v = v < c->p.act_min ? c->p.act_min : (v > c->p.act_max ? c->p.act_max : v);
                    expected[((b * c->out.h + oy) * c->out.w + ox) * c->out.c + oc] = (int8_t)v;
                }
}

static void free_case(conv_case *c)
{
    free(c->input);
    free(c->filter);
    free(c->output);
    free(c->bias);
    free(c->mult);
    free(c->shift);
}

/* Runs the kernel and the reference on c; returns 1 if every element matched. */
static int run_case(conv_case *c, const char *what, int index)
{
    const size_t n_out = (size_t)c->out.n * c->out.h * c->out.w * c->out.c;
    int8_t *expected = (int8_t *)malloc(n_out);
    size_t i;
    int ok = 1;
    memset(c->output, 0x5A, n_out);
    nn_conv2d_s8(&c->p, &(nn_channel_quant){c->mult, c->shift}, &c->in, c->input, &c->filt, c->filter,
                 c->bias, &c->out, c->output);
    ref_conv(c, expected);
    for (i = 0; i < n_out; ++i) {
        g_outputs++;
        if (expected[i] > c->p.act_min && expected[i] < c->p.act_max) {
            g_inside++;
        }
        if (c->output[i] != expected[i]) {
            if (ok) {
                printf("  %s case %d: in %dx%dx%dx%d k %dx%d s %d,%d d %d,%d pad %d,%d out %dx%dx%d: "
                       "element %lu got %d expected %d\n",
                       what, index, (int)c->in.n, (int)c->in.h, (int)c->in.w, (int)c->in.c, (int)c->filt.h,
                       (int)c->filt.w, (int)c->p.stride_h, (int)c->p.stride_w, (int)c->p.dilation_h,
                       (int)c->p.dilation_w, (int)c->p.pad_top, (int)c->p.pad_left, (int)c->out.h,
                       (int)c->out.w, (int)c->out.c, (unsigned long)i, c->output[i], expected[i]);
            }
            ok = 0;
        }
    }
    NN_CHECK(ok);
    free(expected);
    return ok;
}

/* Fills a random case; tiny != 0 gives small weights and inputs (so real multipliers > 1 and
 * positive shifts). Returns 0 if the drawn geometry was impossible. */
static int make_case(uint32_t *st, conv_case *c, int tiny)
{
    const int mode = (int)(nn_test_rand(st) % 3u);
    const int32_t ksel = (int32_t)(nn_test_rand(st) % 6u);
    int32_t kh = ksel < 2 ? 1 : (ksel < 5 ? 3 : nn_test_rand_range(st, 2, 5));
    int32_t kw = ksel < 2 ? 1 : (ksel < 5 ? 3 : nn_test_rand_range(st, 1, 5));
    const int32_t stride_h = nn_test_rand_range(st, 1, 3) == 3 ? 3 : nn_test_rand_range(st, 1, 2);
    const int32_t stride_w = nn_test_rand(st) % 4u == 0 ? nn_test_rand_range(st, 1, 3) : stride_h;
    const int32_t dil_h = nn_test_rand(st) % 3u == 0 ? nn_test_rand_range(st, 2, 3) : 1;
    const int32_t dil_w = nn_test_rand(st) % 3u == 0 ? nn_test_rand_range(st, 1, 3) : dil_h;
    const int32_t wmax = tiny ? 2 : 127;
    int32_t zp_in, zp_out, oc, taps;
    size_t i, n_in, n_f;
    double typical;

    memset(c, 0, sizeof *c);
    c->in.n = nn_test_rand_range(st, 1, 2);
    c->in.h = nn_test_rand_range(st, 1, 12);
    c->in.w = nn_test_rand_range(st, 1, 12);
    c->in.c = tiny ? 1 : nn_test_rand_range(st, 1, 9);
    if (tiny) {
        kh = kw = 1;
    }
    c->filt.n = nn_test_rand_range(st, 1, 7);
    c->filt.h = kh;
    c->filt.w = kw;
    c->filt.c = c->in.c;
    c->p.stride_h = stride_h;
    c->p.stride_w = stride_w;
    c->p.dilation_h = dil_h;
    c->p.dilation_w = dil_w;
    c->p.depth_multiplier = 1;
    if (!pick_geometry(st, c->in.h, kh, stride_h, dil_h, mode, &c->p.pad_top, &c->out.h) ||
        !pick_geometry(st, c->in.w, kw, stride_w, dil_w, mode, &c->p.pad_left, &c->out.w)) {
        return 0;
    }
    c->out.n = c->in.n;
    c->out.c = c->filt.n;
    zp_in = tiny ? nn_test_rand_range(st, -3, 3) : nn_test_rand_range(st, -128, 127);
    zp_out = nn_test_rand_range(st, -128, 127);
    c->p.input_offset = -zp_in;
    c->p.output_offset = zp_out;
    nnref_pick_clamp(st, zp_out, &c->p.act_min, &c->p.act_max);

    n_in = (size_t)c->in.n * c->in.h * c->in.w * c->in.c;
    n_f = (size_t)c->filt.n * kh * kw * c->in.c;
    c->input = (int8_t *)malloc(n_in);
    c->filter = (int8_t *)malloc(n_f);
    c->output = (int8_t *)malloc((size_t)c->out.n * c->out.h * c->out.w * c->out.c);
    c->mult = (int32_t *)malloc(sizeof(int32_t) * (size_t)c->out.c);
    c->shift = (int32_t *)malloc(sizeof(int32_t) * (size_t)c->out.c);
    for (i = 0; i < n_in; ++i) {
        c->input[i] = (int8_t)(tiny ? nn_test_rand_range(st, -4, 4) : nn_test_rand_range(st, -128, 127));
    }
    for (i = 0; i < n_f; ++i) {
        c->filter[i] = (int8_t)nn_test_rand_range(st, -wmax - (tiny ? 0 : 1), wmax);
    }
    if (nn_test_rand(st) % 4u != 0) {
        c->bias = (int32_t *)malloc(sizeof(int32_t) * (size_t)c->out.c);
        for (oc = 0; oc < c->out.c; ++oc) {
            c->bias[oc] = tiny ? nn_test_rand_range(st, -8, 8) : nn_test_rand_range(st, -30000, 30000);
        }
    }
    taps = kh * kw * c->in.c;
    typical = tiny ? 4.0 : 64.0 * 80.0;
    for (i = 1; (int32_t)(i * i) < taps; ++i) {
    }
    typical *= (double)i; /* about sqrt(taps) */
    for (oc = 0; oc < c->out.c; ++oc) {
        nnref_pick_requant(st, typical, &c->mult[oc], &c->shift[oc]);
    }
    return 1;
}

static void test_conv_random(void)
{
    uint32_t st = 0xC0417u;
    int done = 0, attempt, positive_shift = 0, null_bias = 0, dilated = 0, strided = 0;
    g_outputs = g_inside = 0;
    for (attempt = 0; done < 600 && attempt < 5000; ++attempt) {
        conv_case c;
        int32_t oc;
        if (!make_case(&st, &c, attempt % 5 == 4)) {
            continue;
        }
        for (oc = 0; oc < c.out.c; ++oc) {
            positive_shift += c.shift[oc] > 0 && c.mult[oc] != 0;
        }
        null_bias += c.bias == NULL;
        dilated += c.p.dilation_h > 1 || c.p.dilation_w > 1;
        strided += c.p.stride_h > 1;
        if (!run_case(&c, "random", done)) {
            free_case(&c);
            return;
        }
        free_case(&c);
        done++;
    }
    NN_CHECK_EQ_INT(done, 600);
    NN_CHECK(positive_shift > 20);
    NN_CHECK(null_bias > 50);
    NN_CHECK(dilated > 50);
    NN_CHECK(strided > 100);
    /* the comparison is informative: a good share of outputs is not clamped */
    NN_CHECK(g_inside * 3 > g_outputs);
    printf("  %ld outputs compared, %ld strictly inside the clamp range\n", g_outputs, g_inside);
}

static void test_conv_ties(void)
{
    /* multiplier 0.5 and shift -1 on a 1x1 conv of one channel with weight 1: acc = x + offset,
     * so every odd accumulator is a tie for SRDHM and many results tie again in the shift. */
    uint32_t st = 0x7135u;
    conv_case c;
    int32_t i;
    long ties_before = nnref_tie_count;
    memset(&c, 0, sizeof c);
    c.in = (nn_dims){1, 1, 256, 1};
    c.filt = (nn_dims){1, 1, 1, 1};
    c.out = c.in;
    c.p = (nn_conv_params){1, 1, 1, 1, 0, 0, 1, 0, 0, -128, 127};
    c.input = (int8_t *)malloc(256);
    c.filter = (int8_t *)malloc(1);
    c.output = (int8_t *)malloc(256);
    c.mult = (int32_t *)malloc(sizeof(int32_t));
    c.shift = (int32_t *)malloc(sizeof(int32_t));
    for (i = 0; i < 256; ++i) {
        c.input[i] = (int8_t)(i - 128);
    }
    c.filter[0] = 1;
    c.mult[0] = (int32_t)1 << 30;
    c.shift[0] = -1;
    run_case(&c, "ties", 0);
    /* hand-worked: x = 1 -> 0.25 exactly, but double rounding gives 1; x = -1 -> 0; x = 3 -> 1 */
    NN_CHECK_EQ_INT(c.output[129], 1);
    NN_CHECK_EQ_INT(c.output[127], 0);
    NN_CHECK_EQ_INT(c.output[131], 1);
    NN_CHECK_EQ_INT(c.output[130], 1);  /* 2 -> 0.5 -> away from zero: 1 */
    NN_CHECK_EQ_INT(c.output[126], -1); /* -2 -> -0.5 -> -1 */
    NN_CHECK(nnref_tie_count - ties_before > 100);
    (void)st;
    free_case(&c);
}

static void test_conv_known_small(void)
{
    /* 3x3 input, 3x3 kernel of ones, SAME padding (pad 1), multiplier 1.0 (2^30, shift 1),
     * input offset 0: each output is the sum of its in-bounds neighbourhood. */
    static const int8_t in[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    static const int8_t expect[9] = {12, 21, 16, 27, 45, 33, 24, 39, 28};
    int8_t filt[9], out[9];
    int32_t mult = (int32_t)1 << 30, shift = 1;
    nn_conv_params p = {1, 1, 1, 1, 1, 1, 1, 0, 0, -128, 127};
    nn_dims din = {1, 3, 3, 1}, dfl = {1, 3, 3, 1}, dout = {1, 3, 3, 1};
    int i;
    for (i = 0; i < 9; ++i) {
        filt[i] = 1;
    }
    nn_conv2d_s8(&p, &(nn_channel_quant){&mult, &shift}, &din, in, &dfl, filt, NULL, &dout, out);
    for (i = 0; i < 9; ++i) {
        NN_CHECK_EQ_INT(out[i], expect[i]);
    }
}

int main(void)
{
    NN_RUN(test_conv_known_small);
    NN_RUN(test_conv_ties);
    NN_RUN(test_conv_random);
    return nn_test_finish();
}
