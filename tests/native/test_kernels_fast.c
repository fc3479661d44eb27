/*
 * test_kernels_fast.c - the fast kernels (src/kernels/fast/, the default kernel table) equal
 * their reference twins bit for bit: the fast requantisation over random and extreme
 * arguments; CONV_2D and DEPTHWISE_CONV_2D over many random shapes and parameters (odd/even
 * sizes, strides 1-2, paddings, dilations, 1x1/3x3/5x5, depth multipliers 1/2/8, chunk
 * boundaries, clamps, extreme zero points and shifts); and every tensor of the three shipped
 * models run through the executor with nn_reference_kernels() vs nn_default_kernels().
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nanonet/nn_executor.h"
#include "nanonet/nn_kernel_table.h"
#include "nanonet/nn_kernels.h"
#include "nanonet/nn_model.h"
#include "nanonet/nn_requant.h"
#include "nn_test.h"

#include "../../native-interop/src/kernels/fast/nn_fast_util.h"
#include "../../native-interop/src/kernels/fast/nn_kernels_fast.h"
#include "../../native-interop/src/kernels/scalar/nn_kernels_scalar.h"
#include "../../native-interop/src/kernels/scalar/nn_rq32.h"

static int32_t rnd(uint32_t *s, int32_t lo, int32_t hi) { return nn_test_rand_range(s, lo, hi); }

static int32_t rand_multiplier(uint32_t *s) { return nn_test_rand_multiplier(s); }

static void test_requant_fast_equals_reference(void)
{
    uint32_t s = 12345u;
    static const int32_t xs[] = {0, 1, -1, 2, -2, INT32_MAX, INT32_MIN, INT32_MIN + 1, 1 << 30, -(1 << 30),
                                 32767, -32768, 123456789, -123456789};
    int32_t shift, i, k;
    for (shift = -31; shift <= 30; shift++) {
        for (i = 0; i < (int32_t)(sizeof(xs) / sizeof(xs[0])); i++) {
            for (k = 0; k < 8; k++) {
                const int32_t m = rand_multiplier(&s);
                NN_CHECK_EQ_INT(nn_requant_fast(xs[i], m, shift), nn_multiply_by_quantized_multiplier(xs[i], m, shift));
            }
        }
    }
    for (i = 0; i < 2000000; i++) {
        const int32_t x = (int32_t)nn_test_rand(&s) >> rnd(&s, 0, 31);
        const int32_t m = rand_multiplier(&s);
        const int32_t sh = rnd(&s, -31, 30);
        const int32_t a = nn_requant_fast(x, m, sh), b = nn_multiply_by_quantized_multiplier(x, m, sh);
        if (a != b) {
            NN_CHECK_EQ_INT(a, b);
            break;
        }
    }
}

static void test_requant_chunk_equals_reference(void)
{
    uint32_t s = 777u;
    int32_t mult[NN_FAST_CHUNK], shift[NN_FAST_CHUNK];
    nn_rq_chunk rq;
    int32_t round, j, k;
    for (round = 0; round < 4000; round++) {
        for (j = 0; j < NN_FAST_CHUNK; j++) {
            mult[j] = rand_multiplier(&s);
            shift[j] = round < 62 ? round - 31 : rnd(&s, -31, 30);
        }
        nn_rq_prepare(&rq, mult, shift, NN_FAST_CHUNK);
        for (k = 0; k < 64; k++) {
            const int32_t x = k < 4 ? (k < 2 ? INT32_MAX - k : INT32_MIN + k - 2)
                                    : (int32_t)nn_test_rand(&s) >> rnd(&s, 0, 31);
            const int32_t off = rnd(&s, -128, 127);
            const int32_t lo = rnd(&s, -128, 0), hi = rnd(&s, 0, 127);
            j = rnd(&s, 0, NN_FAST_CHUNK - 1);
            {
                const int32_t r = nn_multiply_by_quantized_multiplier(x, mult[j], shift[j]);
                int32_t v, expect, got;
                if (r > INT32_MAX - 128 || r < INT32_MIN + 128) {
                    continue; /* + output offset would overflow in the reference kernels too */
                }
                v = r + off;
                expect = v < lo ? lo : (v > hi ? hi : v);
                got = nn_rq_out(&rq, j, x, off, lo, hi);
                if (got != expect) {
                    printf("  x %d mult %d shift %d\n", (int)x, (int)mult[j], (int)shift[j]);
                    NN_CHECK_EQ_INT(got, expect);
                    return;
                }
            }
        }
    }
}

/* nn_rq_store (both its loops: with and without left shifts) against the reference. */
static void test_requant_store_equals_reference(void)
{
    uint32_t s = 31337u;
    int32_t mult[NN_FAST_CHUNK], shift[NN_FAST_CHUNK], acc[NN_FAST_CHUNK];
    int8_t y[NN_FAST_CHUNK];
    nn_rq_chunk rq;
    int32_t round, j;
    for (round = 0; round < 20000; round++) {
        const int32_t n = rnd(&s, 1, NN_FAST_CHUNK);
        const int32_t off = rnd(&s, -128, 127);
        const int32_t lo = rnd(&s, -128, 0), hi = rnd(&s, 0, 127);
        const int with_left = round & 1;
        for (j = 0; j < n; j++) {
            mult[j] = rand_multiplier(&s);
            shift[j] = with_left ? rnd(&s, -31, 8) : rnd(&s, -31, 0);
        }
        nn_rq_prepare(&rq, mult, shift, n);
        for (j = 0; j < n; j++) {
            /* keep |acc << left| < 2^31 and the requantised value away from int32's ends */
            const int32_t left = shift[j] > 0 ? shift[j] : 0;
            acc[j] = ((int32_t)nn_test_rand(&s) >> rnd(&s, 1, 31)) >> left;
            rq.cst[j] = rnd(&s, -1000, 1000);
        }
        nn_rq_fold(&rq, n);
        nn_rq_store(&rq, acc, n, y, off, lo, hi);
        for (j = 0; j < n; j++) {
            const int32_t v = nn_multiply_by_quantized_multiplier(acc[j] + rq.cst[j], mult[j], shift[j]) + off;
            const int32_t expect = v < lo ? lo : (v > hi ? hi : v);
            if (y[j] != expect) {
                NN_CHECK_EQ_INT(y[j], expect);
                return;
            }
        }
    }
}

/* ------------------------------------------------------------------ random convolutions */

typedef struct conv_case {
    nn_conv_params p;
    nn_dims in, f, out;
    int8_t *x, *w, *y_ref, *y_fast;
    int32_t *bias, *mult, *shift;
} conv_case;

static int32_t out_size(int32_t in, int32_t k, int32_t stride, int32_t dil, int32_t pad_before, int32_t pad_after)
{
    const int32_t eff = (k - 1) * dil + 1;
    const int32_t span = in + pad_before + pad_after - eff;
    return span < 0 ? 0 : span / stride + 1;
}

static int8_t rand_s8(uint32_t *s) { return (int8_t)rnd(s, -128, 127); }

/* When nonzero, convolutions draw in_c from [g_min_in_c, g_min_in_c + 400] (slices of the fast
 * pointwise kernel: input channels beyond one NN_PW_SLICE). */
static int32_t g_min_in_c = 0;

/* Fills a random case; returns 0 if the drawn shape has no output (caller redraws). */
static int make_case(uint32_t *s, conv_case *c, int depthwise, int pointwise)
{
    const int32_t ks[3] = {1, 3, 5};
    int32_t k_h, k_w, in_c, out_c, taps, i, pad_b, pad_r, zp_in;
    int32_t extreme = rnd(s, 0, 3) == 0;
    memset(c, 0, sizeof(*c));
    c->in.n = rnd(s, 1, 2);
    c->in.h = rnd(s, 1, 11);
    c->in.w = rnd(s, 1, 11);
    k_h = pointwise ? 1 : ks[rnd(s, 0, 2)];
    k_w = pointwise ? 1 : (rnd(s, 0, 3) == 0 ? ks[rnd(s, 0, 2)] : k_h);
    c->p.stride_h = rnd(s, 1, 2);
    c->p.stride_w = rnd(s, 1, 2);
    c->p.dilation_h = pointwise || rnd(s, 0, 3) ? 1 : 2;
    c->p.dilation_w = pointwise || rnd(s, 0, 3) ? 1 : 2;
    c->p.pad_top = pointwise ? 0 : rnd(s, 0, k_h - 1);
    c->p.pad_left = pointwise ? 0 : rnd(s, 0, k_w - 1);
    pad_b = pointwise ? 0 : rnd(s, 0, k_h - 1);
    pad_r = pointwise ? 0 : rnd(s, 0, k_w - 1);
    if (depthwise) {
        static const int32_t mults[4] = {1, 1, 2, 8};
        c->p.depth_multiplier = mults[rnd(s, 0, 3)];
        in_c = rnd(s, 0, 2) == 0 ? rnd(s, 40, 110) : rnd(s, 1, 17);
        if (c->p.depth_multiplier > 1 && in_c > 20) {
            in_c = rnd(s, 1, 20);
        }
        out_c = in_c * c->p.depth_multiplier;
    } else {
        c->p.depth_multiplier = 1;
        in_c = rnd(s, 0, 2) == 0 ? rnd(s, 17, 70) : rnd(s, 1, 16);
        if (g_min_in_c > 0) {
            in_c = rnd(s, g_min_in_c, g_min_in_c + 400);
            c->in.h = rnd(s, 1, 4);
            c->in.w = rnd(s, 1, 4);
        }
        out_c = rnd(s, 0, 2) == 0 ? rnd(s, 40, 110) : rnd(s, 1, 17);
    }
    c->in.c = in_c;
    c->out.n = c->in.n;
    c->out.h = out_size(c->in.h, k_h, c->p.stride_h, c->p.dilation_h, c->p.pad_top, pad_b);
    c->out.w = out_size(c->in.w, k_w, c->p.stride_w, c->p.dilation_w, c->p.pad_left, pad_r);
    c->out.c = out_c;
    if (c->out.h < 1 || c->out.w < 1) {
        return 0;
    }
    c->f.n = depthwise ? 1 : out_c;
    c->f.h = k_h;
    c->f.w = k_w;
    c->f.c = depthwise ? out_c : in_c;
    taps = k_h * k_w * (depthwise ? 1 : in_c);
    zp_in = extreme ? (rnd(s, 0, 1) ? -128 : 127) : rnd(s, -128, 127);
    c->p.input_offset = -zp_in;
    c->p.output_offset = extreme ? (rnd(s, 0, 1) ? -128 : 127) : rnd(s, -128, 127);
    c->p.act_min = rnd(s, 0, 1) ? -128 : rnd(s, -128, 0);
    if (rnd(s, 0, 3) == 0) { /* a ReLU / ReLU6 clamp: act_min = the output zero point */
        c->p.act_min = c->p.output_offset;
    }
    c->p.act_max = rnd(s, 0, 1) ? 127 : rnd(s, c->p.act_min, 127);

    c->x = (int8_t *)malloc((size_t)c->in.n * c->in.h * c->in.w * in_c);
    c->w = (int8_t *)malloc((size_t)c->f.n * k_h * k_w * c->f.c);
    c->y_ref = (int8_t *)malloc((size_t)c->out.n * c->out.h * c->out.w * out_c);
    c->y_fast = (int8_t *)malloc((size_t)c->out.n * c->out.h * c->out.w * out_c);
    c->bias = (int32_t *)malloc(sizeof(int32_t) * (size_t)out_c);
    c->mult = (int32_t *)malloc(sizeof(int32_t) * (size_t)out_c);
    c->shift = (int32_t *)malloc(sizeof(int32_t) * (size_t)out_c);
    for (i = 0; i < c->in.n * c->in.h * c->in.w * in_c; i++) {
        c->x[i] = extreme && rnd(s, 0, 1) ? (int8_t)(rnd(s, 0, 1) ? -128 : 127) : rand_s8(s);
    }
    for (i = 0; i < c->f.n * k_h * k_w * c->f.c; i++) {
        c->w[i] = extreme && rnd(s, 0, 1) ? (int8_t)(rnd(s, 0, 1) ? -128 : 127) : rand_s8(s);
    }
    /* (taps * 32640 + |bias|) * 2^max(shift, 0) within int32, as the model reader demands */
    nn_test_rand_channel_quant(s, taps, out_c, c->bias, c->mult, c->shift);
    return 1;
}

static void free_case(conv_case *c)
{
    free(c->x);
    free(c->w);
    free(c->y_ref);
    free(c->y_fast);
    free(c->bias);
    free(c->mult);
    free(c->shift);
}

/* the optimised table under test: each random and model test runs for the fast and the scalar table */
static const nn_kernel_table *g_kt;

static void run_conv_cases(int depthwise, int pointwise, uint32_t seed, int count)
{
    uint32_t s = seed;
    int done = 0, failed = 0;
    while (done < count && !failed) {
        conv_case c;
        nn_channel_quant q;
        size_t n;
        const int32_t *bias;
        if (!make_case(&s, &c, depthwise, pointwise)) {
            continue;
        }
        q.multiplier = c.mult;
        q.shift = c.shift;
        bias = rnd(&s, 0, 7) == 0 ? NULL : c.bias;
        n = (size_t)c.out.n * c.out.h * c.out.w * c.out.c;
        memset(c.y_ref, 0x55, n);
        memset(c.y_fast, 0x2A, n);
        if (depthwise) {
            nn_depthwise_conv2d_s8(&c.p, &q, &c.in, c.x, &c.f, c.w, bias, &c.out, c.y_ref);
            g_kt->depthwise_conv2d(&c.p, &q, &c.in, c.x, &c.f, c.w, bias, &c.out, c.y_fast);
        } else {
            nn_conv2d_s8(&c.p, &q, &c.in, c.x, &c.f, c.w, bias, &c.out, c.y_ref);
            g_kt->conv2d(&c.p, &q, &c.in, c.x, &c.f, c.w, bias, &c.out, c.y_fast);
        }
        if (memcmp(c.y_ref, c.y_fast, n) != 0) {
            printf("  %s: case %d differs: in %dx%dx%dx%d k %dx%d s %d,%d d %d,%d pad %d,%d mult %d out %dx%dx%d\n",
                   g_kt->name, done, (int)c.in.n, (int)c.in.h, (int)c.in.w, (int)c.in.c, (int)c.f.h, (int)c.f.w, (int)c.p.stride_h,
                   (int)c.p.stride_w, (int)c.p.dilation_h, (int)c.p.dilation_w, (int)c.p.pad_top,
                   (int)c.p.pad_left, (int)c.p.depth_multiplier, (int)c.out.h, (int)c.out.w, (int)c.out.c);
            NN_CHECK(0);
            failed = 1;
        }
        free_case(&c);
        done++;
    }
}

static void test_conv_random(void) { run_conv_cases(0, 0, 1u, 1500); }
static void test_conv_pointwise_random(void) { run_conv_cases(0, 1, 2u, 1500); }
static void test_conv_pointwise_wide_random(void)
{
    g_min_in_c = 200;
    run_conv_cases(0, 1, 5u, 150);
    run_conv_cases(0, 0, 6u, 30);
    g_min_in_c = 0;
}
static void test_depthwise_random(void) { run_conv_cases(1, 0, 3u, 2000); }
static void test_depthwise_1x1_random(void) { run_conv_cases(1, 1, 4u, 300); }

/*
 * FULLY_CONNECTED through the scalar table (a 1x1 nn_conv2d_s8_scalar, in slices past its x'
 * block) against nn_fully_connected_s8: random batches, depths from 1 to 1400 (MobileNet v2's
 * classifier has 1280), odd output counts, with and without bias, ReLU and full clamps, shifts
 * that spread the outputs over the int8 range (checked: a case whose outputs all clamp would
 * prove nothing).
 */
static void test_fully_connected_scalar_random(void)
{
    uint32_t s = 4242u;
    int round, spread_cases = 0;
    for (round = 0; round < 300; ++round) {
        const int32_t batches = rnd(&s, 1, 10);
        const int32_t in_depth = round < 40 ? rnd(&s, 1, 16) : round < 200 ? rnd(&s, 1, 600) : rnd(&s, 500, 1400);
        const int32_t out_depth = rnd(&s, 1, 37);
        const size_t nx = (size_t)batches * in_depth, nw = (size_t)out_depth * in_depth, ny = (size_t)batches * out_depth;
        int8_t *x = malloc(nx), *w = malloc(nw), *y_ref = malloc(ny), *y = malloc(ny);
        int32_t *bias = malloc(sizeof(int32_t) * (size_t)out_depth), *mult = malloc(sizeof(int32_t) * (size_t)out_depth);
        int32_t *shift = malloc(sizeof(int32_t) * (size_t)out_depth);
        int32_t e0 = 0, i, distinct = 0;
        int seen[256] = {0};
        nn_fc_params p;
        nn_channel_quant q;
        size_t k;
        int32_t t = in_depth;
        /* a typical |sum| is sqrt(in_depth) * 74 * 74 (74: an int8's spread); aim it at about 40 */
        while (t > 1) {
            t >>= 1;
            ++e0;
        }
        e0 = 7 + e0 / 2 + 1;
        for (k = 0; k < nx; ++k) {
            x[k] = rand_s8(&s);
        }
        for (k = 0; k < nw; ++k) {
            w[k] = rand_s8(&s);
        }
        for (i = 0; i < out_depth; ++i) {
            bias[i] = rnd(&s, -40000, 40000);
            mult[i] = rand_multiplier(&s);
            shift[i] = -(e0 + rnd(&s, -2, 2)) + 1;
        }
        p.input_offset = rnd(&s, -127, 128);
        p.output_offset = rnd(&s, -128, 127);
        p.act_min = rnd(&s, 0, 1) ? -128 : p.output_offset;
        p.act_max = rnd(&s, 0, 3) == 0 ? rnd(&s, p.act_min, 127) : 127;
        q.multiplier = mult;
        q.shift = shift;
        memset(y_ref, 0x55, ny);
        memset(y, 0x2A, ny);
        {
            const int32_t *b = rnd(&s, 0, 5) == 0 ? NULL : bias;
            nn_fully_connected_s8(&p, &q, batches, in_depth, out_depth, x, w, b, y_ref);
            nn_scalar_kernels()->fully_connected(&p, &q, batches, in_depth, out_depth, x, w, b, y);
        }
        for (k = 0; k < ny; ++k) {
            if (!seen[(uint8_t)y_ref[k]]) {
                seen[(uint8_t)y_ref[k]] = 1;
                ++distinct;
            }
        }
        spread_cases += distinct >= 8 || ny < 32;
        if (memcmp(y_ref, y, ny) != 0) {
            printf("  case %d differs: batches %d in %d out %d in_off %d out_off %d clamp [%d, %d]\n", round,
                   (int)batches, (int)in_depth, (int)out_depth, (int)p.input_offset, (int)p.output_offset,
                   (int)p.act_min, (int)p.act_max);
            NN_CHECK(0);
            round = 1000;
        }
        free(x);
        free(w);
        free(y_ref);
        free(y);
        free(bias);
        free(mult);
        free(shift);
    }
    /* most cases must spread their outputs, or equality proves little */
    NN_CHECK(spread_cases >= 240);
}

/* ------------------------------------------------------------------ shipped models */

typedef struct capture {
    uint8_t *buf;
    size_t used, cap;
} capture;

static void capture_observer(void *user, uint32_t op_index, uint32_t tensor_index, const int8_t *data, uint32_t size)
{
    capture *c = (capture *)user;
    (void)op_index;
    (void)tensor_index;
    if (c->used + size <= c->cap) {
        memcpy(c->buf + c->used, data, size);
    }
    c->used += size;
}

static void check_model(const char *name)
{
    char path[512];
    uint8_t *blob;
    size_t size = 0;
    nn_model m;
    nn_tensor_info in, out;
    uint8_t *arena;
    int8_t *x, *y1, *y2;
    capture c1, c2;
    size_t need;
    uint32_t s = 99u, i;
    int round;
    snprintf(path, sizeof(path), "%s/models/%s", NANONET_REPO_DIR, name);
    blob = nn_test_read_file(path, &size);
    NN_CHECK(blob != NULL);
    if (blob == NULL) {
        return;
    }
    NN_CHECK_EQ_INT(nn_model_parse(blob, size, &m, NULL), NN_OK);
    nn_model_tensor(&m, m.input_tensor, &in);
    nn_model_tensor(&m, m.output_tensor, &out);
    need = nn_executor_arena_size(&m);
    arena = (uint8_t *)malloc(need);
    x = (int8_t *)malloc(in.element_count);
    y1 = (int8_t *)malloc(out.element_count);
    y2 = (int8_t *)malloc(out.element_count);
    c1.cap = c2.cap = 8u << 20;
    c1.buf = (uint8_t *)malloc(c1.cap);
    c2.buf = (uint8_t *)malloc(c2.cap);
    for (round = 0; round < 3; round++) {
        for (i = 0; i < in.element_count; i++) {
            x[i] = round == 0 ? (int8_t)-128 : (int8_t)rnd(&s, -128, 127);
        }
        c1.used = c2.used = 0;
        NN_CHECK_EQ_INT(nn_executor_run_with_kernels(&m, x, in.element_count, y1, out.element_count, arena, need,
                                                     capture_observer, &c1, nn_reference_kernels()),
                        NN_OK);
        NN_CHECK_EQ_INT(nn_executor_run_with_kernels(&m, x, in.element_count, y2, out.element_count, arena, need,
                                                     capture_observer, &c2, g_kt),
                        NN_OK);
        NN_CHECK(c1.used == c2.used && c1.used <= c1.cap);
        NN_CHECK(memcmp(c1.buf, c2.buf, c1.used <= c1.cap ? c1.used : c1.cap) == 0);
        NN_CHECK(memcmp(y1, y2, out.element_count) == 0);
    }
    free(c1.buf);
    free(c2.buf);
    free(x);
    free(y1);
    free(y2);
    free(arena);
    free(blob);
}

static void test_model_person_detect(void) { check_model("person_detect.nnb"); }
static void test_model_vww_96(void) { check_model("vww_96.nnb"); }
static void test_model_mobilenet_v2(void) { check_model("mobilenet_v2_035_96_gray.nnb"); }

/* nn_rq32.h against the reference: exhaustive over x in [-2^21, 2^21] (the accumulators of
 * most outputs that do not saturate) for edge and random multipliers and 32 shifts, plus
 * random and extreme x over the whole int32 range and every shift */
static void test_rq32_equals_reference(void)
{
    static const int32_t ms[] = {0, 0x40000000, 0x7FFFFFFF, 0x40000001, 0x7FFF0000, 0x4000FFFF, 0x5A5A5A5A, 0x6ED9EBA1};
    static const int32_t xs[] = {0, 1, -1, INT32_MAX, INT32_MIN, INT32_MIN + 1, 1 << 30, -(1 << 30), 32767, -32768,
                                 65535, -65536, 123456789, -123456789};
    uint32_t s = 777u;
    int32_t mi, shift, i, bad = 0;
    int64_t x;
    for (mi = 0; mi < (int32_t)(sizeof(ms) / sizeof(ms[0])) && !bad; mi++) {
        for (shift = -31; shift <= 30 && !bad; shift += (shift < -12 || shift > 2) ? 3 : 1) {
            nn_rq32 r;
            nn_rq32_prepare(&r, ms[mi], shift);
            for (x = -(1 << 21); x <= (1 << 21); x++) {
                if (nn_rq32_apply(&r, (int32_t)x) != nn_multiply_by_quantized_multiplier((int32_t)x, ms[mi], shift)) {
                    NN_CHECK_EQ_INT(nn_rq32_apply(&r, (int32_t)x),
                                    nn_multiply_by_quantized_multiplier((int32_t)x, ms[mi], shift));
                    bad = 1;
                    break;
                }
            }
        }
    }
    for (shift = -31; shift <= 30; shift++) {
        for (i = 0; i < (int32_t)(sizeof(xs) / sizeof(xs[0])); i++) {
            const int32_t m = rand_multiplier(&s);
            NN_CHECK_EQ_INT(nn_rq32_requant(xs[i], m, shift), nn_multiply_by_quantized_multiplier(xs[i], m, shift));
        }
    }
    for (i = 0; i < 4000000 && !bad; i++) {
        const int32_t xv = (int32_t)nn_test_rand(&s) >> rnd(&s, 0, 31);
        const int32_t m = rand_multiplier(&s);
        const int32_t sh = rnd(&s, -31, 30);
        if (nn_rq32_requant(xv, m, sh) != nn_multiply_by_quantized_multiplier(xv, m, sh)) {
            NN_CHECK_EQ_INT(nn_rq32_requant(xv, m, sh), nn_multiply_by_quantized_multiplier(xv, m, sh));
            bad = 1;
        }
    }
}

/* the reference's requantise, offset and clamp */
static int8_t reference_out(int32_t x, int32_t m, int32_t shift, int32_t out_off, int32_t lo, int32_t hi)
{
    int32_t v = nn_multiply_by_quantized_multiplier(x, m, shift) + out_off;
    v = v > hi ? hi : v;
    return (int8_t)(v < lo ? lo : v);
}

/* nn_rq32_out_relu (ReLU and ReLU6 clamps, lo >= output offset) against the reference, exhaustive
 * over x in [-2^17, 2^17] (both sides of the shortcut's 2^15 bound) for edge and random
 * multipliers, every shift the shortcut serves and more, and ReLU / ReLU6-like clamps; then
 * random x over the whole int32 range within the model reader's bound on x << shift (on which
 * the early-out for acc <= 0 rests) */
static void test_rq32_out_relu_equals_reference(void)
{
    static const int32_t ms[] = {0, 0x40000000, 0x7FFFFFFF, 0x40000001, 0x7FFF0000, 0x4000FFFF, 0x5A5A5A5A, 0x6ED9EBA1};
    static const int32_t clamps[][3] = {{-128, -128, 127}, {-5, -5, 127}, {17, 17, 127}, {-128, -128, -20},
                                        {-100, -60, 40}, {127, 127, 127}};
    uint32_t s = 4242u;
    int32_t mi, shift, ci, i, bad = 0;
    int64_t x;
    for (mi = 0; mi < (int32_t)(sizeof(ms) / sizeof(ms[0])) && !bad; mi++) {
        for (shift = -20; shift <= 3 && !bad; shift += 1 + (shift < -16)) {
            for (ci = 0; ci < (int32_t)(sizeof(clamps) / sizeof(clamps[0])) && !bad; ci++) {
                const int32_t off = clamps[ci][0], lo = clamps[ci][1], hi = clamps[ci][2];
                nn_rq32 r;
                nn_rq32_prepare(&r, ms[mi], shift);
                for (x = -(1 << 17); x <= (1 << 17); x++) {
                    const int8_t want = reference_out((int32_t)x, ms[mi], shift, off, lo, hi);
                    if (nn_rq32_out_relu(&r, (int32_t)x, off, lo, hi) != want) {
                        NN_CHECK_EQ_INT(nn_rq32_out_relu(&r, (int32_t)x, off, lo, hi), want);
                        bad = 1;
                        break;
                    }
                }
            }
        }
    }
    for (i = 0; i < 2000000 && !bad; i++) {
        const int32_t sh = rnd(&s, -31, 30);
        /* |x| << max(shift, 0) < 2^30, within the model reader's bound for every accumulator,
         * |x| 2^max(shift, 0) <= 2^31 - 129 */
        const int32_t xv = ((int32_t)nn_test_rand(&s) >> rnd(&s, 0, 31)) >> (sh > 0 ? sh + 1 : 0);
        const int32_t m = rand_multiplier(&s);
        const int32_t off = rnd(&s, -128, 127), lo = rnd(&s, off > -128 ? off : -128, 127), hi = rnd(&s, lo, 127);
        nn_rq32 r;
        nn_rq32_prepare(&r, m, sh);
        if (nn_rq32_out_relu(&r, xv, off, lo, hi) != reference_out(xv, m, sh, off, lo, hi)) {
            NN_CHECK_EQ_INT(nn_rq32_out_relu(&r, xv, off, lo, hi), reference_out(xv, m, sh, off, lo, hi));
            bad = 1;
        }
    }
}

/* TFLM's QuantizeMultiplier (../shared/docs/BRIEF.md) */
static void quantize_multiplier(double d, int32_t *m, int32_t *shift)
{
    int e = 0;
    const double q = frexp(d, &e);
    int64_t r = (int64_t)(q * 2147483648.0 + (q >= 0 ? 0.5 : -0.5));
    if (r == ((int64_t)1 << 31)) {
        r /= 2;
        ++e;
    }
    if (e < -31) {
        r = 0;
        e = 0;
    }
    *m = (int32_t)r;
    *shift = e;
}

/* ADD's input rescale: nn_rq32_srdhm_v equals SRDHM(v << ls, m) for every v in [-255, 255], every
 * left shift it serves and edge and random multipliers */
static void test_add_input_srdhm_exhaustive(void)
{
    uint32_t s = 99u;
    int32_t ls, k, v;
    for (ls = 15; ls <= 22; ++ls) {
        const int32_t d = 31 - ls, half = (int32_t)1 << (d - 1);
        for (k = 0; k < 2000; ++k) {
            const int32_t m = k < 3 ? (k == 0 ? 0 : k == 1 ? 0x40000000 : INT32_MAX) : rand_multiplier(&s);
            const int32_t mh2 = (m >> 16) << (16 - d), ml = m & 0xFFFF;
            for (v = -255; v <= 255; ++v) {
                const int32_t got = nn_rq32_srdhm_v(v, mh2, ml, d, half);
                const int32_t want = nn_srdhm((int32_t)((uint32_t)v << ls), m);
                if (got != want) {
                    printf("  ls %d m %d v %d: %d, SRDHM %d\n", (int)ls, (int)m, (int)v, (int)got, (int)want);
                    NN_CHECK(0);
                    return;
                }
            }
        }
    }
}

/* nn_rq32_pos (a positive sum past the shortcut, from mh, ml and e alone) equals the reference:
 * exhaustively over x in [2^15, 2^22] for edge and random multipliers, and on random x up to
 * 2^31 - 1, every e in [0, 15] */
static void test_rq32_pos_equals_reference(void)
{
    uint32_t s = 2468u;
    int32_t ms[6], mi, e, i;
    ms[0] = 0x40000000;
    ms[1] = INT32_MAX;
    ms[2] = 0x40000001;
    for (mi = 3; mi < 6; ++mi) {
        ms[mi] = rand_multiplier(&s) | 0x40000000;
    }
    for (mi = 0; mi < 6; ++mi) {
        for (e = 0; e <= 15; e += (mi < 2 ? 1 : 5)) {
            const int32_t m = ms[mi];
            int32_t x, bad = 0;
            for (x = 1 << 15; x <= 1 << 22 && !bad; ++x) {
                if (nn_rq32_pos(x, m >> 16, m & 0xFFFF, e) != nn_multiply_by_quantized_multiplier(x, m, -e)) {
                    printf("  x %d m %d e %d\n", (int)x, (int)m, (int)e);
                    NN_CHECK(0);
                    bad = 1;
                }
            }
        }
    }
    for (i = 0; i < 2000000; ++i) {
        const int32_t x = (int32_t)(nn_test_rand(&s) >> 1 >> rnd(&s, 0, 15)) | 1;
        const int32_t m = rand_multiplier(&s) | 0x40000000;
        const int32_t ee = rnd(&s, 0, 15);
        if (nn_rq32_pos(x, m >> 16, m & 0xFFFF, ee) != nn_multiply_by_quantized_multiplier(x, m, -ee)) {
            printf("  x %d m %d e %d\n", (int)x, (int)m, (int)ee);
            NN_CHECK(0);
            break;
        }
    }
}

/* ADD through the scalar table against nn_add_s8, exhaustively over every pair of int8 inputs,
 * for 60 parameter sets made as TFLM's Prepare makes them from random scales (and, for every
 * fourth set, another left shift the reader accepts) */
static void test_add_scalar_exhaustive(void)
{
    uint32_t s = 4242u;
    static int8_t x1[256 * 256], x2[256 * 256], y_ref[256 * 256], y[256 * 256];
    int32_t set, i;
    for (i = 0; i < 256 * 256; ++i) {
        x1[i] = (int8_t)(i & 0xFF);
        x2[i] = (int8_t)(i >> 8);
    }
    for (set = 0; set < 60; ++set) {
        nn_add_params p;
        p.input1_offset = rnd(&s, -127, 128);
        p.input2_offset = rnd(&s, -127, 128);
        p.output_offset = rnd(&s, -128, 127);
        p.left_shift = set % 4 == 3 ? rnd(&s, 0, 22) : 20;
        {
            const double s1 = 0.005 + rnd(&s, 0, 1000) * 1e-4, s2 = 0.005 + rnd(&s, 0, 1000) * 1e-4;
            const double so = 0.005 + rnd(&s, 0, 2000) * 1e-4;
            const double twice_max = 2.0 * (s1 > s2 ? s1 : s2);
            quantize_multiplier(s1 / twice_max, &p.input1_multiplier, &p.input1_shift);
            quantize_multiplier(s2 / twice_max, &p.input2_multiplier, &p.input2_shift);
            quantize_multiplier(twice_max / ((double)(1 << p.left_shift) * so), &p.output_multiplier,
                                &p.output_shift);
        }
        p.act_min = rnd(&s, 0, 1) ? -128 : rnd(&s, -128, 0);
        p.act_max = rnd(&s, 0, 1) ? 127 : rnd(&s, p.act_min, 127);
        nn_add_s8(&p, 256 * 256, x1, x2, y_ref);
        nn_scalar_kernels()->add(&p, 256 * 256, x1, x2, y);
        if (memcmp(y, y_ref, sizeof y) != 0) {
            for (i = 0; i < 256 * 256 && y[i] == y_ref[i]; ++i) {
            }
            printf("  set %d (left shift %d): x1 %d x2 %d: scalar %d, reference %d\n", (int)set, (int)p.left_shift,
                   (int)x1[i], (int)x2[i], (int)y[i], (int)y_ref[i]);
            NN_CHECK(0);
            break;
        }
    }
}

static void for_each_table(void (*fn)(void))
{
    g_kt = nn_fast_kernels();
    fn();
    g_kt = nn_scalar_kernels();
    fn();
}

#define BOTH(name)                                                                                     \
    static void name##_both(void) { for_each_table(name); }
BOTH(test_conv_random)
BOTH(test_conv_pointwise_random)
BOTH(test_conv_pointwise_wide_random)
BOTH(test_depthwise_random)
BOTH(test_depthwise_1x1_random)
BOTH(test_model_person_detect)
BOTH(test_model_vww_96)
BOTH(test_model_mobilenet_v2)

static void test_tables(void)
{
    NN_CHECK(nn_reference_kernels() != NULL && nn_default_kernels() != NULL);
    NN_CHECK(strcmp(nn_reference_kernels()->name, "reference") == 0);
    NN_CHECK(nn_reference_kernels()->conv2d == nn_conv2d_s8);
    NN_CHECK(nn_fast_kernels()->conv2d == nn_conv2d_s8_fast);
    NN_CHECK(nn_fast_kernels()->depthwise_conv2d == nn_depthwise_conv2d_s8_fast);
    NN_CHECK(nn_scalar_kernels()->conv2d == nn_conv2d_s8_scalar);
    NN_CHECK(nn_scalar_kernels()->depthwise_conv2d == nn_depthwise_conv2d_s8_scalar);
    NN_CHECK(nn_scalar_kernels()->add == nn_add_s8_scalar);
    NN_CHECK(nn_scalar_kernels()->fully_connected == nn_fully_connected_s8_scalar);
    /* x86-64 and arm64 hosts get the vectoriser's kernels by default (Xtensa the scalar ones) */
    NN_CHECK(nn_default_kernels() == nn_fast_kernels());
}

int main(void)
{
    NN_RUN(test_tables);
    NN_RUN(test_requant_fast_equals_reference);
    NN_RUN(test_requant_chunk_equals_reference);
    NN_RUN(test_requant_store_equals_reference);
    NN_RUN(test_rq32_equals_reference);
    NN_RUN(test_rq32_out_relu_equals_reference);
    NN_RUN(test_rq32_pos_equals_reference);
    NN_RUN(test_add_input_srdhm_exhaustive);
    NN_RUN(test_add_scalar_exhaustive);
    NN_RUN(test_fully_connected_scalar_random);
    NN_RUN(test_conv_random_both);
    NN_RUN(test_conv_pointwise_random_both);
    NN_RUN(test_conv_pointwise_wide_random_both);
    NN_RUN(test_depthwise_random_both);
    NN_RUN(test_depthwise_1x1_random_both);
    NN_RUN(test_model_person_detect_both);
    NN_RUN(test_model_vww_96_both);
    NN_RUN(test_model_mobilenet_v2_both);
    return nn_test_finish();
}
