/*
 * test_kernels_misc.c - AVERAGE_POOL_2D, MEAN, FULLY_CONNECTED, ADD, PAD.
 * Random cases against naive int64 references written from the BRIEF / TFLM definitions
 * (every output element compared), hand-worked values, and bit-exact TFLM goldens
 * (../shared/golden/tensors) for pool, ADD and PAD.
 */
#include <stdlib.h>
#include <string.h>

#include "nanonet/nn_kernels.h"
#include "naive_reference.h"
#include "nn_test.h"

static int8_t *rand_bytes(uint32_t *st, size_t n, int32_t lo, int32_t hi)
{
    int8_t *p = (int8_t *)malloc(n ? n : 1);
    size_t i;
    for (i = 0; i < n; ++i) {
        p[i] = (int8_t)nn_test_rand_range(st, lo, hi);
    }
    return p;
}

static int32_t clamp(int64_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : (v > hi ? hi : (int32_t)v);
}

/* ---------------------------------------------------------------- AVERAGE_POOL_2D */

static void ref_avg_pool(const nn_pool_params *p, const nn_dims *in, const int8_t *x, const nn_dims *out,
                         int8_t *y)
{
    int32_t b, oy, ox, c, fy, fx;
    for (b = 0; b < out->n; ++b)
        for (oy = 0; oy < out->h; ++oy)
            for (ox = 0; ox < out->w; ++ox)
                for (c = 0; c < out->c; ++c) {
                    int64_t sum = 0, n = 0, q;
                    for (fy = 0; fy < p->filter_h; ++fy)
                        for (fx = 0; fx < p->filter_w; ++fx) {
                            const int32_t iy = oy * p->stride_h - p->pad_top + fy;
                            const int32_t ix = ox * p->stride_w - p->pad_left + fx;
                            if (iy >= 0 && iy < in->h && ix >= 0 && ix < in->w) {
                                sum += x[((b * in->h + iy) * in->w + ix) * in->c + c];
                                n++;
                            }
                        }
                    /* round half away from zero: floor((2|s| + n) / 2n) on the magnitude */
                    q = ((sum < 0 ? -sum : sum) * 2 + n) / (2 * n);
                    q = sum < 0 ? -q : q;
                    y[((b * out->h + oy) * out->w + ox) * out->c + c] = (int8_t)clamp(q, p->act_min, p->act_max);
                }
}

static void test_avg_pool_random(void)
{
    uint32_t st = 0xA7E9u;
    int done = 0, attempt, ties = 0;
    for (attempt = 0; done < 400 && attempt < 4000; ++attempt) {
        nn_pool_params p;
        nn_dims in, out;
        int8_t *x, *y, *e;
        size_t n_out, i;
        int32_t pa_h, pa_w, zp;
        in.n = nn_test_rand_range(&st, 1, 2);
        in.h = nn_test_rand_range(&st, 1, 11);
        in.w = nn_test_rand_range(&st, 1, 11);
        in.c = nn_test_rand_range(&st, 1, 5);
        p.filter_h = nn_test_rand_range(&st, 1, 4);
        p.filter_w = nn_test_rand(&st) % 2u ? p.filter_h : nn_test_rand_range(&st, 1, 4);
        p.stride_h = nn_test_rand_range(&st, 1, 3);
        p.stride_w = nn_test_rand_range(&st, 1, 3);
        p.pad_top = nn_test_rand_range(&st, 0, p.filter_h - 1);
        p.pad_left = nn_test_rand_range(&st, 0, p.filter_w - 1);
        pa_h = nn_test_rand_range(&st, 0, p.filter_h - 1);
        pa_w = nn_test_rand_range(&st, 0, p.filter_w - 1);
        if (in.h + p.pad_top + pa_h < p.filter_h || in.w + p.pad_left + pa_w < p.filter_w ||
            p.pad_top >= in.h || p.pad_left >= in.w) {
            continue;
        }
        out.n = in.n;
        out.h = (in.h + p.pad_top + pa_h - p.filter_h) / p.stride_h + 1;
        out.w = (in.w + p.pad_left + pa_w - p.filter_w) / p.stride_w + 1;
        out.c = in.c;
        /* every window must hold an in-bounds position: last window starts inside */
        if ((out.h - 1) * p.stride_h - p.pad_top >= in.h || (out.w - 1) * p.stride_w - p.pad_left >= in.w) {
            continue;
        }
        zp = nn_test_rand_range(&st, -128, 127);
        nnref_pick_clamp(&st, zp, &p.act_min, &p.act_max);
        x = rand_bytes(&st, (size_t)in.n * in.h * in.w * in.c, -128, 127);
        if (done % 4 == 0) { /* few distinct values: frequent exact .5 averages */
            for (i = 0; i < (size_t)in.n * in.h * in.w * in.c; ++i) {
                x[i] = (int8_t)((x[i] & 3) - 2);
            }
        }
        n_out = (size_t)out.n * out.h * out.w * out.c;
        y = (int8_t *)malloc(n_out);
        e = (int8_t *)malloc(n_out);
        memset(y, 0x5A, n_out);
        nn_avg_pool_s8(&p, &in, x, &out, y);
        ref_avg_pool(&p, &in, x, &out, e);
        for (i = 0; i < n_out; ++i) {
            NN_CHECK_EQ_INT(y[i], e[i]);
            if (nn_test_case_failed) {
                printf("  case %d element %lu\n", done, (unsigned long)i);
                free(x), free(y), free(e);
                return;
            }
        }
        ties += done % 4 == 0;
        free(x), free(y), free(e);
        done++;
    }
    NN_CHECK_EQ_INT(done, 400);
    NN_CHECK(ties > 50);
}

static void test_avg_pool_known(void)
{
    /* 2x2 window, stride 2, no padding: averages of {1,2,3,4}=2.5->3, {-1,-2,-3,-4}=-2.5->-3,
     * {1,1,1,2}=1.25->1, {-1,-1,-1,-2}=-1.25->-1 */
    static const int8_t x[16] = {1, 2, -1, -2, 3, 4, -3, -4, 1, 1, -1, -1, 1, 2, -1, -2};
    int8_t y[4];
    nn_pool_params p = {2, 2, 2, 2, 0, 0, -128, 127};
    nn_dims in = {1, 4, 4, 1}, out = {1, 2, 2, 1};
    /* rows: [1 2 -1 -2] [3 4 -3 -4] [1 1 -1 -1] [1 2 -1 -2] */
    nn_avg_pool_s8(&p, &in, x, &out, y);
    NN_CHECK_EQ_INT(y[0], 3);
    NN_CHECK_EQ_INT(y[1], -3);
    NN_CHECK_EQ_INT(y[2], 1);
    NN_CHECK_EQ_INT(y[3], -1);
}

static void pool_golden(const char *model, int in_idx, int out_idx, int32_t stride, int32_t size)
{
    size_t n_in = 0, n_out = 0, i;
    int8_t *x = nnref_read_golden(model, in_idx, &n_in);
    int8_t *g = nnref_read_golden(model, out_idx, &n_out);
    int8_t y[256];
    nn_pool_params p = {stride, stride, 3, 3, 0, 0, -128, 127};
    nn_dims in = {1, size, size, 256}, out = {1, 1, 1, 256};
    NN_CHECK(x && g);
    if (x && g) {
        NN_CHECK_EQ_INT(n_in, (size_t)size * size * 256);
        NN_CHECK_EQ_INT(n_out, 256);
        nn_avg_pool_s8(&p, &in, x, &out, y);
        for (i = 0; i < 256; ++i) {
            NN_CHECK_EQ_INT(y[i], g[i]);
        }
    }
    free(x);
    free(g);
}

static void test_avg_pool_golden(void)
{
    /* person_detect op 27: AVERAGE_POOL_2D t050 [1,3,3,256] -> t027 [1,1,1,256], 3x3 stride 2
     * VALID, no activation; vww op 27: t084 -> t085, 3x3 stride 3 VALID. */
    pool_golden("tflm_person_detect_int8", 50, 27, 2, 3);
    pool_golden("mlperf_tiny_vww_96_int8", 84, 85, 3, 3);
}

/* ---------------------------------------------------------------- MEAN */

/* TFLM int8 MEAN over H, W from its definition: equal scales and zero points -> truncating
 * integer mean of the raw values; otherwise the 1/N factor folded into the multiplier. */
static void ref_mean(const nn_mean_params *p, const nn_dims *in, const int8_t *x, int8_t *y)
{
    const int64_t n = (int64_t)in->h * in->w;
    const int same = p->multiplier == (1 << 30) && p->shift == 1 && p->input_offset == -p->output_offset;
    int32_t b, c, i;
    int32_t s = 0, m2 = 0, sh2 = 0;
    if (!same) {
        while (((int64_t)1 << (s + 1)) <= n) {
            s++;
        }
        if (s > 32) {
            s = 32;
        }
        if (s > 31 + p->shift) {
            s = 31 + p->shift;
        }
        m2 = (int32_t)(((int64_t)p->multiplier * ((int64_t)1 << s)) / n);
        sh2 = p->shift - s;
    }
    for (b = 0; b < in->n; ++b)
        for (c = 0; c < in->c; ++c) {
            int64_t sum = 0;
            for (i = 0; i < in->h * in->w; ++i) {
                sum += x[((int64_t)b * in->h * in->w + i) * in->c + c];
            }
            if (same) {
                y[b * in->c + c] = (int8_t)(sum / n); /* C division truncates toward zero */
            } else {
                y[b * in->c + c] = (int8_t)clamp(
                    (int64_t)nnref_requant(sum + (int64_t)p->input_offset * n, m2, sh2) + p->output_offset, -128, 127);
            }
        }
}

static void test_mean_known(void)
{
    static const int8_t x[4] = {-3, 3, -2, 2}; /* [1,1,2,2]: channel 0 = {-3,-2}, channel 1 = {3,2} */
    int8_t y[2];
    nn_mean_params p = {5, -5, 1 << 30, 1};
    nn_dims in = {1, 1, 2, 2};
    /* same scale and zero point: truncation toward zero, not rounding: channel 0 (-3 + -2) / 2
     * = -2.5 -> -2, channel 1 (3 + 2) / 2 = 2.5 -> 2 */
    nn_mean_hw_s8(&p, &in, x, y);
    NN_CHECK_EQ_INT(y[0], -2);
    NN_CHECK_EQ_INT(y[1], 2);
    /* different zero points take the requantising path even with equal scales (in zp 0,
     * out zp 1, (2^30, 1) = 1.0): N = 2, s = 1, m' = 2^30, shift' = 0;
     * channel 0: SRDHM(-5, 2^30) = -2.5 rounded half up = -2, + 1 -> -1;
     * channel 1: SRDHM(5, 2^30) = 2.5 -> 3, + 1 -> 4 */
    p.input_offset = 0;
    p.output_offset = 1;
    nn_mean_hw_s8(&p, &in, x, y);
    NN_CHECK_EQ_INT(y[0], -1);
    NN_CHECK_EQ_INT(y[1], 4);
}

static void test_mean_random(void)
{
    uint32_t st = 0x3EA7u;
    int k;
    long same_cases = 0;
    for (k = 0; k < 600; ++k) {
        nn_dims in;
        nn_mean_params p;
        int8_t *x, y[2 * 16], e[2 * 16];
        double in_scale, out_scale;
        int32_t zp_in, zp_out, i, n_out;
        in.n = nn_test_rand_range(&st, 1, 2);
        in.h = nn_test_rand_range(&st, 1, k < 10 ? 40 : 9);
        in.w = nn_test_rand_range(&st, 1, k < 10 ? 40 : 9);
        in.c = nn_test_rand_range(&st, 1, 16);
        zp_in = nn_test_rand_range(&st, -128, 127);
        in_scale = (double)(float)(0.001 + (double)nn_test_rand_range(&st, 1, 100000) / 1e6);
        if (k % 4 == 0) { /* MCUNet-style: same scale and zero point */
            out_scale = in_scale;
            zp_out = zp_in;
            same_cases++;
        } else {
            out_scale = (double)(float)(in_scale * (0.25 + (double)nn_test_rand_range(&st, 0, 1000) / 500.0));
            zp_out = nn_test_rand_range(&st, -128, 127);
        }
        p.input_offset = -zp_in;
        p.output_offset = zp_out;
        nnref_quantize_multiplier(in_scale / out_scale, &p.multiplier, &p.shift);
        NN_CHECK((k % 4 == 0) == (p.multiplier == (1 << 30) && p.shift == 1));
        x = rand_bytes(&st, (size_t)in.n * in.h * in.w * in.c, -128, 127);
        nn_mean_hw_s8(&p, &in, x, y);
        ref_mean(&p, &in, x, e);
        n_out = in.n * in.c;
        for (i = 0; i < n_out; ++i) {
            /* bit-exact against the definition, and within 1 of the real mean requantised */
            double real = 0.0, q;
            int32_t j, b = i / in.c, c = i % in.c, want;
            for (j = 0; j < in.h * in.w; ++j) {
                real += (double)(x[((int64_t)b * in.h * in.w + j) * in.c + c] - zp_in);
            }
            q = real / (in.h * in.w) * in_scale / out_scale + zp_out;
            want = clamp((int64_t)(q < 0 ? q - 0.5 : q + 0.5), -128, 127);
            NN_CHECK_EQ_INT(y[i], e[i]);
            NN_CHECK(y[i] - want <= 1 && want - y[i] <= 1);
        }
        free(x);
        if (nn_test_case_failed) {
            printf("  case %d: %dx%dx%dx%d m %ld s %ld\n", k, (int)in.n, (int)in.h, (int)in.w, (int)in.c,
                   (long)p.multiplier, (long)p.shift);
            return;
        }
    }
    NN_CHECK(same_cases > 100);
}

/* ---------------------------------------------------------------- FULLY_CONNECTED */

static void test_fully_connected_random(void)
{
    uint32_t st = 0xFC01u;
    int k;
    long inside = 0, total = 0;
    for (k = 0; k < 400; ++k) {
        const int32_t batches = nn_test_rand_range(&st, 1, 3);
        const int32_t in_depth = k < 10 ? nn_test_rand_range(&st, 500, 1300) : nn_test_rand_range(&st, 1, 64);
        const int32_t out_depth = nn_test_rand_range(&st, 1, 12);
        const int per_tensor = k % 3 == 0;
        int8_t *x = rand_bytes(&st, (size_t)batches * in_depth, -128, 127);
        int8_t *w = rand_bytes(&st, (size_t)in_depth * out_depth, -127, 127);
        int32_t *bias = k % 5 == 0 ? NULL : (int32_t *)malloc(sizeof(int32_t) * (size_t)out_depth);
        int32_t mult[12], shift[12], r, o, b, i;
        int8_t y[3 * 12];
        nn_fc_params p;
        p.input_offset = -nn_test_rand_range(&st, -128, 127);
        p.output_offset = nn_test_rand_range(&st, -128, 127);
        nnref_pick_clamp(&st, p.output_offset, &p.act_min, &p.act_max);
        for (r = 1; r * r < in_depth; ++r) {
        }
        for (o = 0; o < out_depth; ++o) {
            if (bias) {
                bias[o] = nn_test_rand_range(&st, -40000, 40000);
            }
            if (o == 0 || !per_tensor) {
                nnref_pick_requant(&st, 73.0 * 90.0 * r, &mult[o], &shift[o]);
            } else {
                mult[o] = mult[0];
                shift[o] = shift[0];
            }
        }
        nn_fully_connected_s8(&p, &(nn_channel_quant){mult, shift}, batches, in_depth, out_depth, x, w, bias, y);
        for (b = 0; b < batches; ++b)
            for (o = 0; o < out_depth; ++o) {
                int64_t acc = bias ? bias[o] : 0;
                int32_t v;
                for (i = 0; i < in_depth; ++i) {
                    acc += (int64_t)w[(int64_t)o * in_depth + i] * ((int64_t)x[(int64_t)b * in_depth + i] + p.input_offset);
                }
                v = clamp((int64_t)nnref_requant(acc, mult[o], shift[o]) + p.output_offset, p.act_min, p.act_max);
                NN_CHECK_EQ_INT(y[b * out_depth + o], v);
                total++;
                inside += v > p.act_min && v < p.act_max;
            }
        free(x), free(w), free(bias);
        if (nn_test_case_failed) {
            printf("  case %d\n", k);
            return;
        }
    }
    NN_CHECK(inside * 3 > total);
}

/* ---------------------------------------------------------------- ADD */

/* TFLM int8 ADD Prepare (left_shift 20), host side. */
static void add_params(float s1, int32_t zp1, float s2, int32_t zp2, float so, int32_t zpo, nn_add_params *p)
{
    const double twice_max = 2.0 * (double)(s1 > s2 ? s1 : s2);
    p->left_shift = 20;
    p->input1_offset = -zp1;
    p->input2_offset = -zp2;
    p->output_offset = zpo;
    nnref_quantize_multiplier((double)s1 / twice_max, &p->input1_multiplier, &p->input1_shift);
    nnref_quantize_multiplier((double)s2 / twice_max, &p->input2_multiplier, &p->input2_shift);
    nnref_quantize_multiplier(twice_max / ((double)(1 << 20) * (double)so), &p->output_multiplier, &p->output_shift);
    p->act_min = -128;
    p->act_max = 127;
}

static int32_t ref_add_one(const nn_add_params *p, int8_t a, int8_t b)
{
    const int64_t sa = ((int64_t)a + p->input1_offset) * ((int64_t)1 << p->left_shift);
    const int64_t sb = ((int64_t)b + p->input2_offset) * ((int64_t)1 << p->left_shift);
    const int64_t sum = (int64_t)nnref_requant(sa, p->input1_multiplier, p->input1_shift) +
                        nnref_requant(sb, p->input2_multiplier, p->input2_shift);
    return clamp((int64_t)nnref_requant(sum, p->output_multiplier, p->output_shift) + p->output_offset, p->act_min,
                 p->act_max);
}

static void test_add_random(void)
{
    uint32_t st = 0xADD0u;
    int k;
    for (k = 0; k < 300; ++k) {
        const int32_t size = nn_test_rand_range(&st, 1, 300);
        const float s1 = (float)((double)nn_test_rand_range(&st, 1, 100000) / 1e6);
        const float s2 = k % 10 == 0 ? s1 : (float)((double)nn_test_rand_range(&st, 1, 100000) / 1e6);
        const float so = (float)(((double)s1 + (double)s2) * (0.3 + (double)nn_test_rand_range(&st, 0, 100) / 100.0));
        int8_t *a = rand_bytes(&st, (size_t)size, -128, 127);
        int8_t *b = rand_bytes(&st, (size_t)size, -128, 127);
        int8_t *y = (int8_t *)malloc((size_t)size);
        nn_add_params p;
        int32_t i;
        add_params(s1, nn_test_rand_range(&st, -128, 127), s2, nn_test_rand_range(&st, -128, 127), so,
                   nn_test_rand_range(&st, -128, 127), &p);
        nnref_pick_clamp(&st, p.output_offset, &p.act_min, &p.act_max);
        NN_CHECK(p.input1_shift <= 0 && p.input2_shift <= 0 && p.output_shift <= 0);
        nn_add_s8(&p, size, a, b, y);
        for (i = 0; i < size; ++i) {
            NN_CHECK_EQ_INT(y[i], ref_add_one(&p, a[i], b[i]));
        }
        free(a), free(b), free(y);
        if (nn_test_case_failed) {
            printf("  case %d\n", k);
            return;
        }
    }
}

typedef struct add_golden {
    int in1, in2, out;
    float s1, s2, so;
    int32_t zp1, zp2, zpo;
} add_golden;

static void test_add_golden(void)
{
    /* ei_mobilenetv2_035_96_gray_int8.tflite, every ADD (fused activation NONE): operator inputs
     * (input1, input2) -> output tensor indices, with each tensor's quantization scale and zero
     * point as stored in the .tflite (read once with a python3 flatbuffer parser). */
    static const add_golden cases[] = {
        {118, 121, 122, 0.045343734323978424f, 0.04607143998146057f, 0.06152030825614929f, 11, -26, -6},
        {126, 129, 130, 0.03619048744440079f, 0.0545957088470459f, 0.05485842376947403f, -8, -15, -3},
        {130, 133, 134, 0.05485842376947403f, 0.03484194725751877f, 0.07286889106035233f, -3, -5, -5},
        {138, 141, 142, 0.049694281071424484f, 0.022113032639026642f, 0.05662141367793083f, -2, 0, 4},
        {142, 145, 146, 0.05662141367793083f, 0.02280758135020733f, 0.059949882328510284f, 4, 7, 10},
        {146, 149, 150, 0.059949882328510284f, 0.028889503329992294f, 0.059373024851083755f, 10, -12, 4},
        {153, 156, 157, 0.044697172939777374f, 0.028728466480970383f, 0.05733897536993027f, -1, 7, -19},
        {157, 160, 161, 0.05733897536993027f, 0.034017376601696014f, 0.0734531432390213f, -19, -2, -11},
        {165, 168, 169, 0.03962891176342964f, 0.02910531498491764f, 0.055340781807899475f, 15, 10, -1},
        {169, 172, 173, 0.055340781807899475f, 0.031828623265028f, 0.06578534096479416f, -1, -16, 6},
    };
    size_t k;
    long compared = 0;
    for (k = 0; k < sizeof cases / sizeof cases[0]; ++k) {
        const add_golden *c = &cases[k];
        size_t n1 = 0, n2 = 0, no = 0, i;
        int8_t *a = nnref_read_golden("ei_mobilenetv2_035_96_gray_int8", c->in1, &n1);
        int8_t *b = nnref_read_golden("ei_mobilenetv2_035_96_gray_int8", c->in2, &n2);
        int8_t *g = nnref_read_golden("ei_mobilenetv2_035_96_gray_int8", c->out, &no);
        int8_t *y = NULL;
        nn_add_params p;
        NN_CHECK(a && b && g && n1 == no && n2 == no);
        if (a && b && g && n1 == no && n2 == no) {
            y = (int8_t *)malloc(no);
            add_params(c->s1, c->zp1, c->s2, c->zp2, c->so, c->zpo, &p);
            nn_add_s8(&p, (int32_t)no, a, b, y);
            for (i = 0; i < no; ++i) {
                NN_CHECK_EQ_INT(y[i], g[i]);
                compared++;
            }
        }
        free(a), free(b), free(g), free(y);
        if (nn_test_case_failed) {
            printf("  golden ADD t%03d + t%03d -> t%03d\n", c->in1, c->in2, c->out);
            return;
        }
    }
    printf("  %ld golden ADD outputs compared\n", compared);
    NN_CHECK(compared > 4608);
}

/* ---------------------------------------------------------------- PAD */

static void test_pad_random(void)
{
    uint32_t st = 0x9AD0u;
    int k;
    for (k = 0; k < 300; ++k) {
        nn_pad_params p;
        nn_dims in, out;
        int8_t *x, *y;
        int32_t i, n, h, w, c;
        in.n = nn_test_rand_range(&st, 1, 2);
        in.h = nn_test_rand_range(&st, 1, 7);
        in.w = nn_test_rand_range(&st, 1, 7);
        in.c = nn_test_rand_range(&st, 1, 5);
        for (i = 0; i < 4; ++i) {
            p.before[i] = nn_test_rand_range(&st, 0, i == 0 ? 1 : 3);
            p.after[i] = nn_test_rand_range(&st, 0, i == 0 ? 1 : 3);
        }
        p.pad_value = (int8_t)nn_test_rand_range(&st, -128, 127);
        out.n = in.n + p.before[0] + p.after[0];
        out.h = in.h + p.before[1] + p.after[1];
        out.w = in.w + p.before[2] + p.after[2];
        out.c = in.c + p.before[3] + p.after[3];
        x = rand_bytes(&st, (size_t)in.n * in.h * in.w * in.c, -128, 127);
        y = (int8_t *)malloc((size_t)out.n * out.h * out.w * out.c);
        memset(y, 0x5A, (size_t)out.n * out.h * out.w * out.c);
        nn_pad_s8(&p, &in, x, &out, y);
        for (n = 0; n < out.n; ++n)
            for (h = 0; h < out.h; ++h)
                for (w = 0; w < out.w; ++w)
                    for (c = 0; c < out.c; ++c) {
                        const int32_t a = n - p.before[0], b = h - p.before[1], d = w - p.before[2], e = c - p.before[3];
                        const int inside = a >= 0 && a < in.n && b >= 0 && b < in.h && d >= 0 && d < in.w && e >= 0 &&
                                           e < in.c;
                        const int8_t want = inside ? x[((a * in.h + b) * in.w + d) * in.c + e] : p.pad_value;
                        NN_CHECK_EQ_INT(y[((n * out.h + h) * out.w + w) * out.c + c], want);
                    }
        free(x), free(y);
        if (nn_test_case_failed) {
            printf("  case %d\n", k);
            return;
        }
    }
}

static void test_pad_golden(void)
{
    /* ei_mobilenetv2 op 4: PAD t115 [1,48,48,48] -> t116 [1,49,49,48]; paddings tensor t002 =
     * [[0,0],[0,1],[0,1],[0,0]]; pad value = zero point -128. */
    size_t ni = 0, no = 0, i;
    int8_t *x = nnref_read_golden("ei_mobilenetv2_035_96_gray_int8", 115, &ni);
    int8_t *g = nnref_read_golden("ei_mobilenetv2_035_96_gray_int8", 116, &no);
    nn_pad_params p = {{0, 0, 0, 0}, {0, 1, 1, 0}, -128};
    nn_dims in = {1, 48, 48, 48}, out = {1, 49, 49, 48};
    NN_CHECK(x && g && ni == 48 * 48 * 48 && no == 49 * 49 * 48);
    if (x && g && ni == 48 * 48 * 48 && no == 49 * 49 * 48) {
        int8_t *y = (int8_t *)malloc(no);
        nn_pad_s8(&p, &in, x, &out, y);
        for (i = 0; i < no; ++i) {
            NN_CHECK_EQ_INT(y[i], g[i]);
        }
        free(y);
    }
    free(x);
    free(g);
}

int main(void)
{
    NN_RUN(test_avg_pool_known);
    NN_RUN(test_avg_pool_random);
    NN_RUN(test_avg_pool_golden);
    NN_RUN(test_mean_known);
    NN_RUN(test_mean_random);
    NN_RUN(test_fully_connected_random);
    NN_RUN(test_add_random);
    NN_RUN(test_add_golden);
    NN_RUN(test_pad_random);
    NN_RUN(test_pad_golden);
    return nn_test_finish();
}
