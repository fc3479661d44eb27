/*
 * test_kernels_depthwise.c - nn_depthwise_conv2d_s8 against a naive int64 reference written
 * from the BRIEF (oc = ic * depth_multiplier + m, filter [kh][kw][out_c]); every output element
 * of every case is compared. Covers depth multipliers 1, 8 and others, dilation, strides 1-3,
 * SAME / VALID / arbitrary paddings, 1x1 / 3x3 / larger kernels, shifts of both signs,
 * multiplier 0 and 0.5 (ties), clamps, NULL bias, and the person_detect first layer geometry.
 */
#include <stdlib.h>
#include <string.h>

#include "nanonet/nn_kernels.h"
#include "naive_reference.h"
#include "nn_test.h"

typedef struct dw_case {
    nn_conv_params p;
    nn_dims in, filt, out;
    int8_t *input, *filter, *output;
    int32_t *bias;
    int32_t *mult, *shift;
} dw_case;

static long g_outputs, g_inside;

static int pick_geometry(uint32_t *st, int32_t in, int32_t k, int32_t stride, int32_t dil, int mode,
                         int32_t *pad_before, int32_t *out)
{
    const int32_t eff = (k - 1) * dil + 1;
    int32_t pb = 0, pa = 0;
    if (mode == 1) { /* SAME */
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

static void ref_depthwise(const dw_case *c, int8_t *expected)
{
    const int32_t mult = c->p.depth_multiplier;
    int32_t b, oy, ox, ic, m, ky, kx;
    for (b = 0; b < c->out.n; ++b)
        for (oy = 0; oy < c->out.h; ++oy)
            for (ox = 0; ox < c->out.w; ++ox)
                for (ic = 0; ic < c->in.c; ++ic)
                    for (m = 0; m < mult; ++m) {
                        const int32_t oc = ic * mult + m;
                        int64_t acc = c->bias ? c->bias[oc] : 0;
                        int32_t v;
                        for (ky = 0; ky < c->filt.h; ++ky)
                            for (kx = 0; kx < c->filt.w; ++kx) {
                                const int32_t iy = oy * c->p.stride_h - c->p.pad_top + ky * c->p.dilation_h;
                                const int32_t ix = ox * c->p.stride_w - c->p.pad_left + kx * c->p.dilation_w;
                                if (iy < 0 || iy >= c->in.h || ix < 0 || ix >= c->in.w) {
                                    continue;
                                }
                                acc += (int64_t)c->filter[(ky * c->filt.w + kx) * c->out.c + oc] *
                                       ((int64_t)c->input[((b * c->in.h + iy) * c->in.w + ix) * c->in.c + ic] +
                                        c->p.input_offset);
                            }
                        v = nnref_requant(acc, c->mult[oc], c->shift[oc]) + c->p.output_offset;
                        v = v < c->p.act_min ? c->p.act_min : (v > c->p.act_max ? c->p.act_max : v);
                        expected[((b * c->out.h + oy) * c->out.w + ox) * c->out.c + oc] = (int8_t)v;
                    }
}

static void free_case(dw_case *c)
{
    free(c->input);
    free(c->filter);
    free(c->output);
    free(c->bias);
    free(c->mult);
    free(c->shift);
}

static int run_case(dw_case *c, const char *what, int index)
{
    const size_t n_out = (size_t)c->out.n * c->out.h * c->out.w * c->out.c;
    int8_t *expected = (int8_t *)malloc(n_out);
    size_t i;
    int ok = 1;
    memset(c->output, 0x5A, n_out);
    nn_depthwise_conv2d_s8(&c->p, &(nn_channel_quant){c->mult, c->shift}, &c->in, c->input, &c->filt,
                           c->filter, c->bias, &c->out, c->output);
    ref_depthwise(c, expected);
    for (i = 0; i < n_out; ++i) {
        g_outputs++;
        if (expected[i] > c->p.act_min && expected[i] < c->p.act_max) {
            g_inside++;
        }
        if (c->output[i] != expected[i]) {
            if (ok) {
                printf("  %s case %d: in %dx%dx%dx%d mult %d k %dx%d s %d,%d d %d,%d pad %d,%d out %dx%dx%d: "
                       "element %lu got %d expected %d\n",
                       what, index, (int)c->in.n, (int)c->in.h, (int)c->in.w, (int)c->in.c,
                       (int)c->p.depth_multiplier, (int)c->filt.h, (int)c->filt.w, (int)c->p.stride_h,
                       (int)c->p.stride_w, (int)c->p.dilation_h, (int)c->p.dilation_w, (int)c->p.pad_top,
                       (int)c->p.pad_left, (int)c->out.h, (int)c->out.w, (int)c->out.c, (unsigned long)i,
                       c->output[i], expected[i]);
            }
            ok = 0;
        }
    }
    NN_CHECK(ok);
    free(expected);
    return ok;
}

static void alloc_fill(uint32_t *st, dw_case *c, int tiny)
{
    const size_t n_in = (size_t)c->in.n * c->in.h * c->in.w * c->in.c;
    const size_t n_f = (size_t)c->filt.h * c->filt.w * c->out.c;
    int32_t oc, r;
    size_t i;
    double typical;
    c->input = (int8_t *)malloc(n_in);
    c->filter = (int8_t *)malloc(n_f);
    c->output = (int8_t *)malloc((size_t)c->out.n * c->out.h * c->out.w * c->out.c);
    c->mult = (int32_t *)malloc(sizeof(int32_t) * (size_t)c->out.c);
    c->shift = (int32_t *)malloc(sizeof(int32_t) * (size_t)c->out.c);
    for (i = 0; i < n_in; ++i) {
        c->input[i] = (int8_t)(tiny ? nn_test_rand_range(st, -4, 4) : nn_test_rand_range(st, -128, 127));
    }
    for (i = 0; i < n_f; ++i) {
        c->filter[i] = (int8_t)(tiny ? nn_test_rand_range(st, -2, 2) : nn_test_rand_range(st, -128, 127));
    }
    c->bias = NULL;
    if (nn_test_rand(st) % 4u != 0) {
        c->bias = (int32_t *)malloc(sizeof(int32_t) * (size_t)c->out.c);
        for (oc = 0; oc < c->out.c; ++oc) {
            c->bias[oc] = tiny ? nn_test_rand_range(st, -8, 8) : nn_test_rand_range(st, -20000, 20000);
        }
    }
    for (r = 1; r * r < c->filt.h * c->filt.w; ++r) {
    }
    typical = (tiny ? 4.0 : 64.0 * 80.0) * r;
    for (oc = 0; oc < c->out.c; ++oc) {
        nnref_pick_requant(st, typical, &c->mult[oc], &c->shift[oc]);
    }
}

static int make_case(uint32_t *st, dw_case *c, int tiny)
{
    const int mode = (int)(nn_test_rand(st) % 3u);
    const int32_t ksel = (int32_t)(nn_test_rand(st) % 6u);
    const int32_t msel = (int32_t)(nn_test_rand(st) % 3u);
    int32_t kh = ksel < 1 ? 1 : (ksel < 4 ? 3 : nn_test_rand_range(st, 2, 7));
    int32_t kw = ksel < 1 ? 1 : (ksel < 4 ? 3 : nn_test_rand_range(st, 1, 7));
    const int32_t stride_h = nn_test_rand_range(st, 1, 3) == 3 ? 3 : nn_test_rand_range(st, 1, 2);
    const int32_t stride_w = nn_test_rand(st) % 4u == 0 ? nn_test_rand_range(st, 1, 3) : stride_h;
    const int32_t dil_h = nn_test_rand(st) % 3u == 0 ? nn_test_rand_range(st, 2, 3) : 1;
    const int32_t dil_w = nn_test_rand(st) % 3u == 0 ? nn_test_rand_range(st, 1, 3) : dil_h;
    int32_t zp_out;

    memset(c, 0, sizeof *c);
    if (tiny) {
        kh = kw = 1;
    }
    c->in.n = nn_test_rand_range(st, 1, 2);
    c->in.h = nn_test_rand_range(st, 1, 13);
    c->in.w = nn_test_rand_range(st, 1, 13);
    c->in.c = nn_test_rand_range(st, 1, 6);
    c->p.depth_multiplier = msel == 0 ? 1 : (msel == 1 ? 8 : nn_test_rand_range(st, 2, 3));
    c->p.stride_h = stride_h;
    c->p.stride_w = stride_w;
    c->p.dilation_h = dil_h;
    c->p.dilation_w = dil_w;
    if (!pick_geometry(st, c->in.h, kh, stride_h, dil_h, mode, &c->p.pad_top, &c->out.h) ||
        !pick_geometry(st, c->in.w, kw, stride_w, dil_w, mode, &c->p.pad_left, &c->out.w)) {
        return 0;
    }
    c->filt = (nn_dims){1, kh, kw, c->in.c * c->p.depth_multiplier};
    c->out.n = c->in.n;
    c->out.c = c->filt.c;
    c->p.input_offset = -(tiny ? nn_test_rand_range(st, -3, 3) : nn_test_rand_range(st, -128, 127));
    zp_out = nn_test_rand_range(st, -128, 127);
    c->p.output_offset = zp_out;
    nnref_pick_clamp(st, zp_out, &c->p.act_min, &c->p.act_max);
    alloc_fill(st, c, tiny);
    return 1;
}

static void test_depthwise_random(void)
{
    uint32_t st = 0xD3E7u;
    int done = 0, attempt, mult8 = 0, mult1 = 0, dilated = 0, positive_shift = 0, null_bias = 0;
    g_outputs = g_inside = 0;
    for (attempt = 0; done < 800 && attempt < 6000; ++attempt) {
        dw_case c;
        int32_t oc;
        if (!make_case(&st, &c, attempt % 5 == 4)) {
            continue;
        }
        mult8 += c.p.depth_multiplier == 8;
        mult1 += c.p.depth_multiplier == 1;
        dilated += c.p.dilation_h > 1 || c.p.dilation_w > 1;
        null_bias += c.bias == NULL;
        for (oc = 0; oc < c.out.c; ++oc) {
            positive_shift += c.shift[oc] > 0 && c.mult[oc] != 0;
        }
        if (!run_case(&c, "random", done)) {
            free_case(&c);
            return;
        }
        free_case(&c);
        done++;
    }
    NN_CHECK_EQ_INT(done, 800);
    NN_CHECK(mult8 > 100);
    NN_CHECK(mult1 > 100);
    NN_CHECK(dilated > 100);
    NN_CHECK(null_bias > 100);
    NN_CHECK(positive_shift > 20);
    NN_CHECK(g_inside * 3 > g_outputs);
    printf("  %ld outputs compared, %ld strictly inside the clamp range\n", g_outputs, g_inside);
}

static void test_depthwise_person_detect_first_layer(void)
{
    /* person_detect's first op: 96x96x1 input, 3x3 depthwise, multiplier 8, stride 2, SAME
     * (pad_top = pad_left = 0 per the BRIEF: out 48, total pad 1, all of it after), RELU6. */
    uint32_t st = 0x96u;
    dw_case c;
    int32_t pad;
    memset(&c, 0, sizeof c);
    c.in = (nn_dims){1, 96, 96, 1};
    c.p.depth_multiplier = 8;
    c.p.stride_h = c.p.stride_w = 2;
    c.p.dilation_h = c.p.dilation_w = 1;
    NN_CHECK(pick_geometry(&st, 96, 3, 2, 1, 1, &pad, &c.out.h));
    NN_CHECK_EQ_INT(pad, 0);
    NN_CHECK_EQ_INT(c.out.h, 48);
    c.out = (nn_dims){1, 48, 48, 8};
    c.filt = (nn_dims){1, 3, 3, 8};
    c.p.input_offset = 1; /* input zero point -1 */
    c.p.output_offset = -128;
    c.p.act_min = -128;
    c.p.act_max = 127;
    alloc_fill(&st, &c, 0);
    run_case(&c, "person_detect_l0", 0);
    free_case(&c);
}

int main(void)
{
    NN_RUN(test_depthwise_person_detect_first_layer);
    NN_RUN(test_depthwise_random);
    return nn_test_finish();
}
