/*
 * test_esp_nn_adapter.c - the ESP-NN kernel table (native-interop/src/kernels/esp_nn/, the board
 * build's default table) against the reference kernels, with ESP-NN replaced by the stand-in of
 * support/esp_nn_standin.c: ESP-NN's S3 signatures computing with our reference kernels and
 * refusing (counted, garbage output) every call the real S3 kernels would mishandle: padding
 * other than (0,0) or the same p before and after, misaligned pointers, scratch missing or
 * smaller than asked, NULL bias, input rows outside the caller's band, batches, dilation.
 *
 *  - random CONV_2D / DEPTHWISE_CONV_2D cases (batches, strides, paddings, dilations, 1x1/3x3/5x5,
 *    depth multipliers, NULL bias, misaligned input/output) exact-equal to the reference kernels,
 *    with a large, a small and no scratch region (splitting into row slices and falling back);
 *  - row slices as the streaming executor makes them: one output row, the band of input rows its
 *    taps reach in its own exact buffer, pad_top adjusted;
 *  - the three shipped models layer by layer (every tensor equal to the reference table's) and
 *    planned at the smallest plan (streamed), on both golden inputs, equal to TFLM's outputs.
 * Every case also checks that the stand-in refused nothing and that ESP-NN was really called.
 * The same file links against ESP-NN's real portable C outside the repository (docs/esp-nn.md).
 */
#include <stdlib.h>
#include <string.h>

#include "esp_nn_standin.h"
#include "nanonet/nn_executor.h"
#include "nanonet/nn_kernel_table.h"
#include "nanonet/nn_kernels.h"
#include "nanonet/nn_model.h"
#include "nanonet/nn_planner.h"
#include "nn_test.h"

#include "../../native-interop/src/kernels/esp_nn/nn_esp_nn.h"
#include "../../native-interop/src/kernels/esp_nn/nn_esp_nn_table.h"

static int32_t rnd(uint32_t *s, int32_t lo, int32_t hi) { return nn_test_rand_range(s, lo, hi); }

/* ------------------------------------------------------------------ buffers */

/* A buffer of n bytes that ends exactly at its allocation's end when 16-aligned (ASan sees any
 * read past it), or starts `mis` (1..15) bytes past a 16-byte boundary. */
typedef struct tbuf {
    void *raw;
    int8_t *p;
    size_t n;
} tbuf;

static void tb_alloc(tbuf *b, size_t n, int32_t mis)
{
    b->n = n;
    if (mis == 0) {
        b->raw = malloc(n > 0 ? n : 1u);
        if (b->raw != NULL && ((uintptr_t)b->raw & 15u) == 0) {
            b->p = (int8_t *)b->raw;
            return;
        }
        free(b->raw);
    }
    b->raw = malloc(n + 32u);
    b->p = (int8_t *)(((uintptr_t)b->raw + 15u) & ~(uintptr_t)15u) + mis;
}

static void tb_free(tbuf *b) { free(b->raw); }

/* The adapter's scratch region, bounds told to the stand-in. */
static uint8_t *g_scratch_raw;

static void set_scratch(size_t size)
{
    free(g_scratch_raw);
    g_scratch_raw = NULL;
    if (size == 0) {
        nn_esp_nn_set_scratch(NULL, 0);
        esp_nn_standin_set_scratch_bounds(NULL, 0);
        return;
    }
    g_scratch_raw = (uint8_t *)malloc(size);
    nn_esp_nn_set_scratch(g_scratch_raw, size);
    esp_nn_standin_set_scratch_bounds(g_scratch_raw, size);
}

/* no region at all (not even the static one): nn_esp_nn_set_scratch(non-NULL, tiny) */
static uint8_t g_tiny[1];
static void set_no_scratch(void)
{
    set_scratch(0);
    nn_esp_nn_set_scratch(g_tiny, 1);
}

/* ------------------------------------------------------------------ random cases */

typedef struct conv_case {
    nn_conv_params p;
    nn_dims in, f, out;
    tbuf x, y_esp;
    int8_t *w, *y_ref;
    int32_t *bias, *mult, *shift;
} conv_case;

static int32_t out_size(int32_t in, int32_t k, int32_t stride, int32_t dil, int32_t pad_before, int32_t pad_after)
{
    const int32_t eff = (k - 1) * dil + 1;
    const int32_t span = in + pad_before + pad_after - eff;
    return span < 0 ? 0 : span / stride + 1;
}


/* Fills a random case (0: the drawn shape has no output; the caller redraws). */
static int make_case(uint32_t *s, conv_case *c, int depthwise, int pointwise, int32_t mis_in, int32_t mis_out)
{
    static const int32_t ks[3] = {1, 3, 5};
    int32_t k_h, k_w, in_c, out_c, taps, i, pad_b, pad_r, zp_in, n_in, n_w, n_out;
    const int extreme = rnd(s, 0, 3) == 0;
    memset(c, 0, sizeof(*c));
    c->in.n = rnd(s, 0, 4) == 0 ? 2 : 1;
    c->in.h = rnd(s, 1, 12);
    c->in.w = rnd(s, 1, 12);
    k_h = pointwise ? 1 : ks[rnd(s, 0, 2)];
    k_w = pointwise ? 1 : (rnd(s, 0, 3) == 0 ? ks[rnd(s, 0, 2)] : k_h);
    c->p.stride_h = rnd(s, 1, 2);
    c->p.stride_w = rnd(s, 0, 4) == 0 ? 3 - c->p.stride_h : c->p.stride_h;
    c->p.dilation_h = pointwise || rnd(s, 0, 5) ? 1 : 2;
    c->p.dilation_w = pointwise || rnd(s, 0, 5) ? 1 : 2;
    /* SAME-like symmetric, asymmetric and VALID paddings */
    c->p.pad_top = pointwise ? 0 : rnd(s, 0, k_h - 1);
    c->p.pad_left = pointwise ? 0 : (rnd(s, 0, 1) ? c->p.pad_top % k_w : rnd(s, 0, k_w - 1));
    pad_b = pointwise ? 0 : (rnd(s, 0, 1) ? c->p.pad_top : rnd(s, 0, k_h - 1));
    pad_r = pointwise ? 0 : (rnd(s, 0, 1) ? c->p.pad_left : rnd(s, 0, k_w - 1));
    if (depthwise) {
        static const int32_t mults[5] = {1, 1, 2, 4, 8};
        c->p.depth_multiplier = mults[rnd(s, 0, 4)];
        in_c = rnd(s, 0, 2) == 0 ? 16 * rnd(s, 1, 4) : rnd(s, 1, 20);
        if (c->p.depth_multiplier > 2 && in_c > 8) {
            in_c = rnd(s, 1, 8);
        }
        out_c = in_c * c->p.depth_multiplier;
    } else {
        c->p.depth_multiplier = 1;
        in_c = rnd(s, 0, 2) == 0 ? 8 * rnd(s, 1, 8) : rnd(s, 1, 20);
        out_c = rnd(s, 0, 2) == 0 ? rnd(s, 17, 64) : rnd(s, 1, 16);
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
    c->p.act_max = rnd(s, 0, 1) ? 127 : rnd(s, c->p.act_min, 127);

    n_in = c->in.n * c->in.h * c->in.w * in_c;
    n_w = c->f.n * k_h * k_w * c->f.c;
    n_out = c->out.n * c->out.h * c->out.w * out_c;
    tb_alloc(&c->x, (size_t)n_in, mis_in);
    tb_alloc(&c->y_esp, (size_t)n_out, mis_out);
    c->w = (int8_t *)malloc((size_t)n_w); /* malloc: 16-aligned, as the model format's weights */
    c->y_ref = (int8_t *)malloc((size_t)n_out);
    c->bias = (int32_t *)malloc(sizeof(int32_t) * (size_t)out_c);
    c->mult = (int32_t *)malloc(sizeof(int32_t) * (size_t)out_c);
    c->shift = (int32_t *)malloc(sizeof(int32_t) * (size_t)out_c);
    for (i = 0; i < n_in; i++) {
        c->x.p[i] = extreme && rnd(s, 0, 1) ? (int8_t)(rnd(s, 0, 1) ? -128 : 127) : (int8_t)rnd(s, -128, 127);
    }
    for (i = 0; i < n_w; i++) {
        c->w[i] = extreme && rnd(s, 0, 1) ? (int8_t)(rnd(s, 0, 1) ? -128 : 127) : (int8_t)rnd(s, -128, 127);
    }
    /* (taps * 32640 + |bias|) * 2^max(shift, 0) within int32, as the model reader demands */
    nn_test_rand_channel_quant(s, taps, out_c, c->bias, c->mult, c->shift);
    return 1;
}

static void free_case(conv_case *c)
{
    tb_free(&c->x);
    tb_free(&c->y_esp);
    free(c->w);
    free(c->y_ref);
    free(c->bias);
    free(c->mult);
    free(c->shift);
}

static void print_case(const char *what, int done, const conv_case *c)
{
    printf("  %s case %d differs: in %dx%dx%dx%d k %dx%d s %d,%d d %d,%d pad %d,%d mult %d out %dx%dx%d\n", what, done,
           (int)c->in.n, (int)c->in.h, (int)c->in.w, (int)c->in.c, (int)c->f.h, (int)c->f.w, (int)c->p.stride_h,
           (int)c->p.stride_w, (int)c->p.dilation_h, (int)c->p.dilation_w, (int)c->p.pad_top, (int)c->p.pad_left,
           (int)c->p.depth_multiplier, (int)c->out.h, (int)c->out.w, (int)c->out.c);
}

static uint32_t g_cases_total;

/* count cases through the adapter table, whole calls; returns the ESP-NN calls made */
static uint32_t run_random(int depthwise, int pointwise, uint32_t seed, int count)
{
    const nn_kernel_table *t = nn_esp_nn_kernels();
    uint32_t s = seed;
    int done = 0, failed = 0;
    nn_esp_nn_stats st;
    nn_esp_nn_reset_stats();
    esp_nn_standin_reset();
    while (done < count && !failed) {
        conv_case c;
        nn_channel_quant q;
        const int32_t mis_in = rnd(&s, 0, 3) == 0 ? rnd(&s, 1, 15) : 0;
        const int32_t mis_out = rnd(&s, 0, 3) == 0 ? rnd(&s, 1, 15) : 0;
        const int32_t *bias;
        size_t n;
        if (!make_case(&s, &c, depthwise, pointwise, mis_in, mis_out)) {
            free_case(&c);
            continue;
        }
        q.multiplier = c.mult;
        q.shift = c.shift;
        bias = rnd(&s, 0, 7) == 0 ? NULL : c.bias;
        n = c.y_esp.n;
        memset(c.y_ref, 0x55, n);
        memset(c.y_esp.p, 0x2A, n);
        esp_nn_standin_set_regions(c.x.p, c.x.n, c.y_esp.p, c.y_esp.n);
        if (depthwise) {
            nn_depthwise_conv2d_s8(&c.p, &q, &c.in, c.x.p, &c.f, c.w, bias, &c.out, c.y_ref);
            t->depthwise_conv2d(&c.p, &q, &c.in, c.x.p, &c.f, c.w, bias, &c.out, c.y_esp.p);
        } else {
            nn_conv2d_s8(&c.p, &q, &c.in, c.x.p, &c.f, c.w, bias, &c.out, c.y_ref);
            t->conv2d(&c.p, &q, &c.in, c.x.p, &c.f, c.w, bias, &c.out, c.y_esp.p);
        }
        esp_nn_standin_set_regions(NULL, 0, NULL, 0);
        if (memcmp(c.y_ref, c.y_esp.p, n) != 0) {
            print_case(depthwise ? "depthwise" : "conv", done, &c);
            NN_CHECK(0);
            failed = 1;
        }
        free_case(&c);
        done++;
    }
    g_cases_total += (uint32_t)done;
    nn_esp_nn_get_stats(&st);
    NN_CHECK_EQ_INT(esp_nn_standin_violations(), 0);
    printf("  %d cases: %u ESP-NN calls (%u staged input, %u staged output), %u split, %u fallback (%u scratch)\n",
           done, (unsigned)st.esp_calls, (unsigned)st.staged_calls, (unsigned)st.staged_outputs,
           (unsigned)st.split_calls, (unsigned)st.fallback_calls, (unsigned)st.fallback_scratch);
    return st.esp_calls;
}

static void test_conv_random(void)
{
    set_scratch(64u << 10);
    NN_CHECK(run_random(0, 0, 11u, 1500) > 1000u);
}
static void test_conv_random_small_scratch(void)
{
    set_scratch(1536u); /* slices of fewer rows, and rows that must fall back */
    NN_CHECK(run_random(0, 0, 12u, 800) > 100u);
}
static void test_conv_pointwise_random(void)
{
    set_scratch(16u << 10);
    NN_CHECK(run_random(0, 1, 13u, 1000) > 700u);
}
static void test_depthwise_random(void)
{
    set_scratch(64u << 10);
    NN_CHECK(run_random(1, 0, 14u, 2000) > 1400u);
}
static void test_depthwise_random_small_scratch(void)
{
    set_scratch(1024u);
    NN_CHECK(run_random(1, 0, 15u, 800) > 100u);
}
static void test_depthwise_1x1_random(void)
{
    set_scratch(16u << 10);
    NN_CHECK(run_random(1, 1, 16u, 400) > 250u);
}
static void test_no_scratch_falls_back(void)
{
    nn_esp_nn_stats st;
    set_no_scratch();
    NN_CHECK_EQ_INT(nn_esp_nn_scratch_size(), 0);
    run_random(0, 0, 17u, 200);
    run_random(1, 0, 18u, 200);
    nn_esp_nn_get_stats(&st);
    if (esp_nn_standin_present()) {
        /* the S3 kernels always want scratch: every call on the portable kernel, still exact */
        NN_CHECK_EQ_INT(esp_nn_standin_calls(), 0);
        NN_CHECK(st.fallback_calls >= 200u);
    } else {
        printf("  a real ESP-NN without scratch needs (portable C): %u calls went to it\n",
               (unsigned)esp_nn_standin_calls());
    }
}

/* ------------------------------------------------------------------ streaming row slices */

/* Each output row alone, as row_kernel / run_inplace call it: the band of input rows its taps
 * reach (clipped), in its own exact buffer, pad_top = first band row - first tap row.
 * Returns 0 if a row differs. */
static int rows_of_case(const conv_case *c, int depthwise, int done)
{
    const nn_kernel_table *t = nn_esp_nn_kernels();
    const size_t row_in = (size_t)c->in.w * (size_t)c->in.c, row_out = (size_t)c->out.w * (size_t)c->out.c;
    const int32_t span = (c->f.h - 1) * c->p.dilation_h;
    nn_channel_quant q;
    int32_t y;
    q.multiplier = c->mult;
    q.shift = c->shift;
    if (depthwise) {
        nn_depthwise_conv2d_s8(&c->p, &q, &c->in, c->x.p, &c->f, c->w, c->bias, &c->out, c->y_ref);
    } else {
        nn_conv2d_s8(&c->p, &q, &c->in, c->x.p, &c->f, c->w, c->bias, &c->out, c->y_ref);
    }
    for (y = 0; y < c->out.h; y++) {
        const int32_t l = y * c->p.stride_h - c->p.pad_top;
        const int32_t lo = l < 0 ? 0 : l, hi = l + span > c->in.h - 1 ? c->in.h - 1 : l + span;
        nn_conv_params p = c->p;
        nn_dims band = c->in, one = c->out;
        tbuf b, o;
        int same;
        if (hi < lo) {
            continue; /* a row of padding only: the executors never make one */
        }
        p.pad_top = lo - l;
        band.h = hi - lo + 1;
        one.h = 1;
        tb_alloc(&b, (size_t)band.h * row_in, 0);
        tb_alloc(&o, row_out, (y & 1) ? 0 : 3); /* a misaligned destination too (grouped pointwise's stack buffer) */
        memcpy(b.p, c->x.p + (size_t)lo * row_in, b.n);
        memset(o.p, 0x33, o.n);
        esp_nn_standin_set_regions(b.p, b.n, o.p, o.n);
        if (depthwise) {
            t->depthwise_conv2d(&p, &q, &band, b.p, &c->f, c->w, c->bias, &one, o.p);
        } else {
            t->conv2d(&p, &q, &band, b.p, &c->f, c->w, c->bias, &one, o.p);
        }
        esp_nn_standin_set_regions(NULL, 0, NULL, 0);
        same = memcmp(o.p, c->y_ref + (size_t)y * row_out, row_out) == 0;
        tb_free(&b);
        tb_free(&o);
        if (!same) {
            print_case(depthwise ? "depthwise row" : "conv row", done, c);
            printf("  output row %d, band %d..%d, pad_top %d\n", (int)y, (int)lo, (int)hi, (int)p.pad_top);
            NN_CHECK(0);
            return 0;
        }
    }
    return 1;
}

static void run_row_slices(int depthwise, uint32_t seed, int count)
{
    uint32_t s = seed;
    int done = 0, failed = 0;
    nn_esp_nn_stats st;
    nn_esp_nn_reset_stats();
    esp_nn_standin_reset();
    while (done < count && !failed) {
        conv_case c;
        if (!make_case(&s, &c, depthwise, 0, 0, 0) || c.in.n != 1) { /* streamed ops have batch 1 */
            free_case(&c);
            continue;
        }
        failed = !rows_of_case(&c, depthwise, done);
        free_case(&c);
        done++;
    }
    g_cases_total += (uint32_t)done;
    nn_esp_nn_get_stats(&st);
    NN_CHECK_EQ_INT(esp_nn_standin_violations(), 0);
    NN_CHECK(st.esp_calls > 0u);
    printf("  %d cases: %u ESP-NN row calls (%u staged input, %u staged output), %u fallback\n", done,
           (unsigned)st.esp_calls, (unsigned)st.staged_calls, (unsigned)st.staged_outputs, (unsigned)st.fallback_calls);
}

static void test_conv_row_slices(void)
{
    set_scratch(32u << 10);
    run_row_slices(0, 21u, 600);
}
static void test_depthwise_row_slices(void)
{
    set_scratch(32u << 10);
    run_row_slices(1, 22u, 800);
}

/* The slices the streaming executor makes for a 3x3 stride-1 SAME depthwise of 16 channels over
 * 6 rows: the first row goes to ESP-NN as it is with padding (1,1); the middle rows (no padding
 * above, one column each side) and the last row (a row of padding below, none above) have
 * their band staged to padding (0,0): the two forms ESP-NN's 3x3 fast paths take. */
static void test_streaming_3x3_shapes(void)
{
    uint32_t s = 24u;
    conv_case c;
    nn_esp_nn_stats st;
    int found = 0, tries;
    set_scratch(16u << 10);
    for (tries = 0; tries < 100000 && !found; tries++) {
        if (make_case(&s, &c, 1, 0, 0, 0)) {
            found = c.in.n == 1 && c.f.h == 3 && c.f.w == 3 && c.p.stride_h == 1 && c.p.stride_w == 1 &&
                    c.p.pad_top == 1 && c.p.pad_left == 1 && c.out.h == c.in.h && c.out.w == c.in.w &&
                    c.p.dilation_h == 1 && c.p.dilation_w == 1 && c.in.c >= 16 && c.p.depth_multiplier == 1 &&
                    c.in.h >= 3;
        }
        if (!found) {
            free_case(&c);
        }
    }
    NN_CHECK(found);
    if (!found) {
        return;
    }
    nn_esp_nn_reset_stats();
    esp_nn_standin_reset();
    NN_CHECK(rows_of_case(&c, 1, 0));
    nn_esp_nn_get_stats(&st);
    NN_CHECK_EQ_INT(esp_nn_standin_violations(), 0);
    NN_CHECK_EQ_INT(st.esp_calls, c.out.h);
    NN_CHECK_EQ_INT(st.staged_calls, c.out.h - 1);
    NN_CHECK_EQ_INT(st.fallback_calls, 0);
    free_case(&c);
}

/* ------------------------------------------------------------------ the stand-in is armed */

static void test_standin_refuses(void)
{
    static int8_t in[16 * 4 * 4 + 16], w[16 * 9 + 16], out[16 * 4 * 4 + 16], scratch[8192 + 16];
    int8_t *x = (int8_t *)(((uintptr_t)in + 15u) & ~(uintptr_t)15u);
    int8_t *f = (int8_t *)(((uintptr_t)w + 15u) & ~(uintptr_t)15u);
    int8_t *y = (int8_t *)(((uintptr_t)out + 15u) & ~(uintptr_t)15u);
    int8_t *sc = (int8_t *)(((uintptr_t)scratch + 15u) & ~(uintptr_t)15u);
    int32_t bias[16], mult[16], shift[16], i;
    data_dims_t id = {4, 4, 16, 1}, fd = {3, 3, 16, 1}, od = {4, 4, 16, 1};
    dw_conv_params_t p;
    quant_data_t q;
    if (!esp_nn_standin_present()) {
        printf("  linked against a real ESP-NN, not the stand-in: nothing to refuse\n");
        return;
    }
    for (i = 0; i < 16; i++) {
        bias[i] = 0;
        mult[i] = 1 << 30;
        shift[i] = -1;
    }
    memset(&p, 0, sizeof(p));
    p.ch_mult = 1;
    p.stride.width = p.stride.height = 1;
    p.padding.width = p.padding.height = 1;
    p.dilation.width = p.dilation.height = 1;
    p.activation.min = -128;
    p.activation.max = 127;
    q.shift = shift;
    q.mult = mult;
    esp_nn_standin_reset();
    esp_nn_standin_set_scratch_bounds(NULL, 0);
    esp_nn_set_depthwise_conv_scratch_buf_nn(sc);
    esp_nn_depthwise_conv_s8_nn(&id, x, &fd, f, bias, &od, y, &p, &q);
    NN_CHECK_EQ_INT(esp_nn_standin_violations(), 0); /* a good call */
    p.padding.height = 0;                           /* (1,0): not symmetric */
    esp_nn_depthwise_conv_s8_nn(&id, x, &fd, f, bias, &od, y, &p, &q);
    NN_CHECK_EQ_INT(esp_nn_standin_violations(), 1);
    p.padding.height = 1;
    id.height = 3; /* the last output row would need 2 rows of padding below, p = 1 */
    esp_nn_depthwise_conv_s8_nn(&id, x, &fd, f, bias, &od, y, &p, &q);
    NN_CHECK_EQ_INT(esp_nn_standin_violations(), 2);
    id.height = 4;
    esp_nn_depthwise_conv_s8_nn(&id, x + 1, &fd, f, bias, &od, y, &p, &q); /* misaligned */
    NN_CHECK_EQ_INT(esp_nn_standin_violations(), 3);
    esp_nn_depthwise_conv_s8_nn(&id, x, &fd, f, NULL, &od, y, &p, &q); /* NULL bias */
    NN_CHECK_EQ_INT(esp_nn_standin_violations(), 4);
    esp_nn_set_depthwise_conv_scratch_buf_nn(NULL); /* no scratch */
    esp_nn_depthwise_conv_s8_nn(&id, x, &fd, f, bias, &od, y, &p, &q);
    NN_CHECK_EQ_INT(esp_nn_standin_violations(), 5);
    esp_nn_set_depthwise_conv_scratch_buf_nn(sc);
    esp_nn_standin_set_scratch_bounds(sc, 64); /* smaller than asked */
    esp_nn_depthwise_conv_s8_nn(&id, x, &fd, f, bias, &od, y, &p, &q);
    NN_CHECK_EQ_INT(esp_nn_standin_violations(), 6);
    esp_nn_standin_set_scratch_bounds(NULL, 0);
    esp_nn_standin_set_regions(x + 16, sizeof(in) - 32, NULL, 0); /* input outside the declared band */
    esp_nn_depthwise_conv_s8_nn(&id, x, &fd, f, bias, &od, y, &p, &q);
    NN_CHECK_EQ_INT(esp_nn_standin_violations(), 7);
    esp_nn_standin_set_regions(NULL, 0, NULL, 0);
    esp_nn_standin_reset();
}

static void test_table(void)
{
    const nn_kernel_table *t = nn_esp_nn_kernels();
    const nn_kernel_table *r = nn_reference_kernels();
    NN_CHECK(t != NULL && strcmp(t->name, "esp-nn") == 0);
    NN_CHECK(t->conv2d != r->conv2d && t->depthwise_conv2d != r->depthwise_conv2d);
    NN_CHECK(t->avg_pool == r->avg_pool && t->mean_hw == r->mean_hw && t->fully_connected == r->fully_connected);
    NN_CHECK(t->softmax == r->softmax && t->add == r->add && t->pad == r->pad);
    /* the host build's default table is not this one (the board build's is) */
    NN_CHECK(nn_default_kernels() != t);
    /* scratch regions are aligned to 16 and shrink by what alignment costs */
    set_scratch(1000u);
    NN_CHECK(nn_esp_nn_scratch_size() <= 1000u && nn_esp_nn_scratch_size() >= 1000u - 31u);
    NN_CHECK(nn_esp_nn_scratch_size() % 16u == 0);
    set_scratch(0);
    NN_CHECK_EQ_INT(nn_esp_nn_scratch_size(), NN_ESP_NN_STATIC_SCRATCH);
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

static void check_model(const char *file, const char *golden_name, const char *input_kind)
{
    static const char *inputs[2] = {"tflm_person", "tflm_no_person"};
    static const size_t scratch_sizes[3] = {16u << 10, 4u << 10, 64u << 10};
    char path[512];
    uint8_t *blob;
    size_t size = 0;
    nn_model m;
    nn_tensor_info in, out;
    int k, si;
    snprintf(path, sizeof(path), "%s/models/%s", NANONET_REPO_DIR, file);
    blob = nn_test_read_file(path, &size);
    NN_CHECK(blob != NULL);
    if (blob == NULL) {
        return;
    }
    NN_CHECK_EQ_INT(nn_model_parse(blob, size, &m, NULL), NN_OK);
    nn_model_tensor(&m, m.input_tensor, &in);
    nn_model_tensor(&m, m.output_tensor, &out);
    for (k = 0; k < 2; k++) {
        size_t xs = 0, need = nn_executor_arena_size(&m);
        uint8_t *x;
        int8_t y_ref[2] = {0, 0}, y_esp[2] = {9, 9}, y_plan[2] = {7, 7};
        int expected[2] = {0, 0};
        uint8_t *arena = (uint8_t *)malloc(need), *plan = (uint8_t *)malloc(nn_plan_buffer_size(&m));
        capture c1, c2;
        uint32_t peak = 0;
        nn_esp_nn_stats st;
        snprintf(path, sizeof(path), "%s/golden/inputs/%s.%s.i8", NANONET_SHARED_DIR, inputs[k], input_kind);
        x = nn_test_read_file(path, &xs);
        NN_CHECK(x != NULL && xs == in.element_count && out.element_count == 2);
        NN_CHECK(nn_test_golden_output(golden_name, inputs[k], expected));
        if (x == NULL || xs != in.element_count || out.element_count != 2) {
            free(x);
            free(arena);
            free(plan);
            break;
        }
        c1.cap = c2.cap = 8u << 20;
        c1.buf = (uint8_t *)malloc(c1.cap);
        c2.buf = (uint8_t *)malloc(c2.cap);
        c1.used = c2.used = 0;
        esp_nn_standin_reset();
        nn_esp_nn_reset_stats();
        set_scratch(scratch_sizes[0]);
        /* layer by layer: every tensor equal to the reference table's */
        NN_CHECK_EQ_INT(nn_executor_run_with_kernels(&m, (const int8_t *)x, xs, y_ref, 2, arena, need,
                                                     capture_observer, &c1, nn_reference_kernels()),
                        NN_OK);
        NN_CHECK_EQ_INT(nn_executor_run_with_kernels(&m, (const int8_t *)x, xs, y_esp, 2, arena, need,
                                                     capture_observer, &c2, nn_esp_nn_kernels()),
                        NN_OK);
        NN_CHECK(c1.used == c2.used && c1.used <= c1.cap);
        NN_CHECK(memcmp(c1.buf, c2.buf, c1.used <= c1.cap ? c1.used : c1.cap) == 0);
        NN_CHECK(memcmp(y_ref, y_esp, 2) == 0);
        NN_CHECK_EQ_INT(y_esp[0], expected[0]);
        NN_CHECK_EQ_INT(y_esp[1], expected[1]);
        nn_esp_nn_get_stats(&st);
        printf("  %s %s layer by layer: %u ESP-NN calls (%u staged, %u split), %u fallback, max scratch wanted %u\n",
               golden_name, inputs[k], (unsigned)st.esp_calls, (unsigned)st.staged_calls, (unsigned)st.split_calls,
               (unsigned)st.fallback_calls, (unsigned)st.max_scratch_wanted);
        NN_CHECK(st.esp_calls > 0u);
        /* planned at the smallest plan (streamed row slices, in-place depthwise, grouped pointwise) */
        NN_CHECK_EQ_INT(nn_plan_create(&m, NN_PLAN_BUDGET_MIN, plan, nn_plan_buffer_size(&m), &peak, NULL), NN_OK);
        for (si = 0; si < 3; si++) {
            uint8_t *parena = (uint8_t *)malloc(peak);
            nn_run_stats rs;
            nn_esp_nn_reset_stats();
            set_scratch(scratch_sizes[si]);
            y_plan[0] = y_plan[1] = 7;
            NN_CHECK_EQ_INT(nn_executor_run_planned(&m, NN_PLAN_BUDGET_MIN, (const int8_t *)x, xs, y_plan, 2, parena,
                                                    peak, NULL, NULL, nn_esp_nn_kernels(), &rs),
                            NN_OK);
            NN_CHECK_EQ_INT(y_plan[0], expected[0]);
            NN_CHECK_EQ_INT(y_plan[1], expected[1]);
            nn_esp_nn_get_stats(&st);
            printf("  %s %s smallest plan (%u B), scratch %u: %u kernel calls, %u ESP-NN (%u staged input, %u staged "
                   "output), %u fallback (%u scratch)\n",
                   golden_name, inputs[k], (unsigned)peak, (unsigned)scratch_sizes[si], (unsigned)rs.kernel_calls,
                   (unsigned)st.esp_calls, (unsigned)st.staged_calls, (unsigned)st.staged_outputs,
                   (unsigned)st.fallback_calls, (unsigned)st.fallback_scratch);
            NN_CHECK(st.esp_calls > 0u);
            free(parena);
        }
        NN_CHECK_EQ_INT(esp_nn_standin_violations(), 0);
        NN_CHECK(esp_nn_standin_calls() > 0u);
        free(c1.buf);
        free(c2.buf);
        free(x);
        free(arena);
        free(plan);
    }
    free(blob);
}

static void test_model_person_detect(void) { check_model("person_detect.nnb", "person_detect", "gray96"); }
static void test_model_vww_96(void) { check_model("vww_96.nnb", "vww96", "rgb96"); }
static void test_model_mobilenet_v2(void) { check_model("mobilenet_v2_035_96_gray.nnb", "ei_mbv2", "gray96"); }

int main(void)
{
    NN_RUN(test_table);
    NN_RUN(test_standin_refuses);
    NN_RUN(test_conv_random);
    NN_RUN(test_conv_random_small_scratch);
    NN_RUN(test_conv_pointwise_random);
    NN_RUN(test_depthwise_random);
    NN_RUN(test_depthwise_random_small_scratch);
    NN_RUN(test_depthwise_1x1_random);
    NN_RUN(test_no_scratch_falls_back);
    NN_RUN(test_conv_row_slices);
    NN_RUN(test_depthwise_row_slices);
    NN_RUN(test_streaming_3x3_shapes);
    NN_RUN(test_model_person_detect);
    NN_RUN(test_model_vww_96);
    NN_RUN(test_model_mobilenet_v2);
    printf("  %u random and row-slice cases in all\n", (unsigned)g_cases_total);
    set_scratch(0);
    return nn_test_finish();
}
